package dev.cortado.spark.ring;

import java.net.InetSocketAddress;

/**
 * Another worker of the ring, as messages name it: {@code rank 1 (10.0.0.7:41235)}.
 *
 * @param rank its place in the ring
 * @param address where it listens for its ring connection
 */
public record Peer(int rank, InetSocketAddress address) {

    /** Parses {@code host:port}, as {@link RingEndpoint#address()} writes it. */
    public static Peer parse(int rank, String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("rank " + rank + " published the ring address '" + hostAndPort
                    + "', not host:port");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(hostAndPort.substring(colon + 1));
        return new Peer(rank, InetSocketAddress.createUnresolved(host, port));
    }

    @Override
    public String toString() {
        return "rank " + rank + " (" + address.getHostString() + ":" + address.getPort() + ")";
    }
}
