package dev.cortado.spark.ring;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The listening socket of one worker, opened before the workers publish their addresses to each other, so that
 * every address published already accepts connections. It listens on every interface, on a port the system picks;
 * {@link #address()} is what the others connect to: the host given (the worker's address as the cluster knows it)
 * and that port.
 */
public final class RingEndpoint implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final String host;

    private RingEndpoint(ServerSocketChannel listener, String host) {
        this.listener = listener;
        this.host = host;
    }

    /**
     * Listens on a free port.
     *
     * @param host the name or address the other workers reach this one by
     */
    public static RingEndpoint open(String host) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(0));
            listener.configureBlocking(false);
            return new RingEndpoint(listener, host);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** {@code host:port}, to publish to the other workers. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + listener.socket().getLocalPort();
    }

    ServerSocketChannel listener() {
        return listener;
    }

    /** Stops listening; connections already made stay open. */
    @Override
    public void close() throws IOException {
        listener.close();
    }
}
