package dev.cortado.spark.ring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Sums float arrays across workers with the ring algorithm over TCP: each worker connects to the next one
 * ({@code rank + 1}, modulo the ring's size) and takes a connection from the previous one. A sum of {@code n} values
 * is cut into one chunk per worker; in {@code size - 1} reduce steps every worker sends a chunk on and adds the chunk
 * it receives into its own, after which each worker holds one chunk's total; in {@code size - 1} gather steps the
 * totals go round. Every worker sends and receives {@code 2 (size - 1) n / size} values, whatever the ring's size,
 * and every worker ends with the same bits, since each chunk is added up once, by one worker, in ring order.
 *
 * <p>Each message carries a header (exchange number, step, chunk, length) that the receiver checks, so workers with
 * buffers of different sizes, or out of step, fail with a message rather than sum garbage. A peer that closes or
 * resets its connection, or that sends or takes nothing for {@link RingSettings#ioTimeout()}, ends the exchange with a
 * {@link PeerLostException} naming its rank and address; an interrupt of the calling thread, or the cancellation flag,
 * ends it within {@link Duplex#SLICE_MILLIS} milliseconds. After any failure the ring is unusable: close it.
 *
 * <p>One ring is used by one thread at a time.
 */
public final class RingAllReduce implements AutoCloseable {
    private static final int HELLO_MAGIC = 0x436f5247; // "CoRG"
    private static final int HELLO_BYTES = 4 + 4 + 4 + 8;
    private static final int HEADER_BYTES = 16;

    private final int rank;
    private final int size;
    private final Duplex duplex;
    private final Peer previousPeer;
    private ByteBuffer out = ByteBuffer.allocateDirect(0);
    private ByteBuffer in = ByteBuffer.allocateDirect(0);
    private float[] received = new float[0];
    private int exchanges;
    private boolean broken;

    private RingAllReduce(int rank, int size, Duplex duplex, Peer previousPeer) {
        this.rank = rank;
        this.size = size;
        this.duplex = duplex;
        this.previousPeer = previousPeer;
    }

    /**
     * Joins the ring: connects to the next worker and accepts the previous one's connection on {@code endpoint}
     * (which may then be closed).
     *
     * @param addresses every worker's {@link RingEndpoint#address()}, in rank order
     * @param session the same number on every worker of this ring and on no other (say, a run's id and the attempt),
     *     so that a connection from another ring is refused
     * @param cancelled asked while waiting: true ends the wait with an {@link InterruptedIOException}
     * @throws PeerLostException naming the worker that could not be reached, or that did not connect, in time
     */
    public static RingAllReduce join(int rank, List<String> addresses, RingEndpoint endpoint, long session,
                                     RingSettings settings, BooleanSupplier cancelled) throws IOException {
        int size = addresses.size();
        if (rank < 0 || rank >= size) {
            throw new IllegalArgumentException("rank " + rank + " is outside a ring of " + size);
        }
        List<Peer> peers = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            peers.add(Peer.parse(r, addresses.get(r)));
        }
        if (size == 1) {
            return new RingAllReduce(0, 1, null, null);
        }
        Peer next = peers.get((rank + 1) % size);
        Peer previous = peers.get((rank + size - 1) % size);
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
        SocketChannel toNext = null;
        SocketChannel fromPrevious = null;
        try {
            toNext = connect(next, deadline, cancelled);
            send(toNext, hello(rank, size, session), next, deadline, cancelled);
            fromPrevious = accept(endpoint.listener(), previous, size, session, deadline, cancelled);
            Duplex duplex = new Duplex(toNext, next, fromPrevious, previous, settings.ioTimeout().toNanos(),
                    cancelled);
            return new RingAllReduce(rank, size, duplex, previous);
        } catch (IOException | RuntimeException e) {
            closeQuietly(toNext, e);
            closeQuietly(fromPrevious, e);
            throw e;
        }
    }

    /** This worker's place in the ring. */
    public int rank() {
        return rank;
    }

    /** The number of workers. */
    public int size() {
        return size;
    }

    /**
     * Replaces {@code values} with their sums over all workers, element by element; every worker must pass an array
     * of the same length, and every worker gets the same result.
     *
     * @throws PeerLostException when a peer is lost or sends what does not fit (another length, another exchange)
     * @throws InterruptedIOException when interrupted or cancelled
     */
    public void sum(float[] values) throws IOException {
        if (broken) {
            throw new IOException("this ring failed in an earlier exchange; join a new one");
        }
        exchanges++;
        if (size == 1) {
            return;
        }
        broken = true;
        int n = values.length;
        for (int step = 0; step < size - 1; step++) {
            int send = Math.floorMod(rank - step, size);
            int receive = Math.floorMod(rank - step - 1, size);
            exchange(values, send, receive, "exchange " + exchanges + ", reduce step " + (step + 1) + " of "
                    + (size - 1));
            int from = chunkStart(n, receive);
            for (int i = 0, count = chunkStart(n, receive + 1) - from; i < count; i++) {
                values[from + i] += received[i];
            }
        }
        for (int step = 0; step < size - 1; step++) {
            int send = Math.floorMod(rank + 1 - step, size);
            int receive = Math.floorMod(rank - step, size);
            exchange(values, send, receive, "exchange " + exchanges + ", gather step " + (step + 1) + " of "
                    + (size - 1));
            int from = chunkStart(n, receive);
            System.arraycopy(received, 0, values, from, chunkStart(n, receive + 1) - from);
        }
        broken = false;
    }

    /** Sends chunk {@code send} of {@code values} on and receives chunk {@code receive} into {@link #received}. */
    private void exchange(float[] values, int send, int receive, String doing) throws IOException {
        int n = values.length;
        int sendFrom = chunkStart(n, send);
        int sendCount = chunkStart(n, send + 1) - sendFrom;
        int receiveCount = chunkStart(n, receive + 1) - chunkStart(n, receive);
        out = capacity(out, HEADER_BYTES + Float.BYTES * sendCount);
        out.putInt(exchanges).putInt(n).putInt(send).putInt(sendCount);
        out.asFloatBuffer().put(values, sendFrom, sendCount);
        out.position(out.position() + Float.BYTES * sendCount).flip();
        in = capacity(in, HEADER_BYTES + Float.BYTES * receiveCount);
        in.limit(HEADER_BYTES + Float.BYTES * receiveCount);
        duplex.transfer(out, in, doing);
        in.flip();
        int theirExchange = in.getInt();
        int theirLength = in.getInt();
        int theirChunk = in.getInt();
        int theirCount = in.getInt();
        if (theirExchange != exchanges || theirLength != n || theirChunk != receive || theirCount != receiveCount) {
            throw new PeerLostException(previousPeer, previousPeer + " is out of step (" + doing + "): it sent chunk "
                    + theirChunk + " of exchange " + theirExchange + " of " + theirLength + " values, this worker "
                    + "expected chunk " + receive + " of exchange " + exchanges + " of " + n + " values: the workers "
                    + "must train the same model in the same steps");
        }
        if (received.length < receiveCount) {
            received = new float[receiveCount];
        }
        FloatBuffer floats = in.asFloatBuffer();
        floats.get(received, 0, receiveCount);
    }

    /** The first index of chunk {@code chunk} (0..size) of {@code n} values. */
    private int chunkStart(int n, int chunk) {
        return (int) ((long) n * chunk / size);
    }

    private static ByteBuffer capacity(ByteBuffer buffer, int bytes) {
        ByteBuffer b = buffer.capacity() >= bytes ? buffer : ByteBuffer.allocateDirect(Math.max(bytes,
                2 * buffer.capacity()));
        b.clear();
        b.order(ByteOrder.LITTLE_ENDIAN);
        return b;
    }

    private static ByteBuffer hello(int rank, int size, long session) {
        ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HELLO_MAGIC).putInt(rank).putInt(size).putLong(session).flip();
        return b;
    }

    private static SocketChannel connect(Peer peer, long deadline, BooleanSupplier cancelled) throws IOException {
        InetSocketAddress target = new InetSocketAddress(peer.address().getHostString(), peer.address().getPort());
        if (target.isUnresolved()) {
            throw new PeerLostException(peer, "cannot resolve the host of " + peer);
        }
        IOException last = null;
        while (System.nanoTime() < deadline) {
            SocketChannel channel = SocketChannel.open();
            try (Selector selector = Selector.open()) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (!channel.connect(target)) {
                    channel.register(selector, SelectionKey.OP_CONNECT);
                    while (!channel.finishConnect()) {
                        waitSlice(selector, deadline, cancelled, "connecting to " + peer);
                        if (System.nanoTime() >= deadline) {
                            throw new PeerLostException(peer, "could not connect to " + peer + " in time");
                        }
                    }
                }
                return channel;
            } catch (ConnectException | NoRouteToHostException e) {
                channel.close();
                last = e;
                sleepSlice(cancelled, "connecting to " + peer);
            } catch (PeerLostException | InterruptedIOException e) {
                channel.close();
                throw e;
            } catch (IOException e) {
                channel.close();
                throw new PeerLostException(peer, "could not connect to " + peer + ": " + e.getMessage(), e);
            }
        }
        throw new PeerLostException(peer, "could not connect to " + peer + " in time"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private static void send(SocketChannel channel, ByteBuffer bytes, Peer peer, long deadline,
                             BooleanSupplier cancelled) throws IOException {
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    waitSlice(selector, deadline, cancelled, "greeting " + peer);
                    if (System.nanoTime() >= deadline) {
                        throw new PeerLostException(peer, peer + " took no greeting in time");
                    }
                }
            }
        } catch (PeerLostException | InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new PeerLostException(peer, "lost " + peer + " while greeting it: " + e.getMessage(), e);
        }
    }

    /** Accepts connections until the previous worker's, refusing any other, up to the deadline. */
    private static SocketChannel accept(ServerSocketChannel listener, Peer previous, int size, long session,
                                        long deadline, BooleanSupplier cancelled) throws IOException {
        try (Selector selector = Selector.open()) {
            SelectionKey key = listener.register(selector, SelectionKey.OP_ACCEPT);
            try {
                while (true) {
                    SocketChannel channel = listener.accept();
                    if (channel == null) {
                        waitSlice(selector, deadline, cancelled, "waiting for " + previous + " to connect");
                        if (System.nanoTime() >= deadline) {
                            throw new PeerLostException(previous, previous + " did not connect in time");
                        }
                        continue;
                    }
                    if (greetedBy(channel, previous, size, session, deadline, cancelled)) {
                        return channel;
                    }
                    channel.close();
                }
            } finally {
                key.cancel();
            }
        }
    }

    private static boolean greetedBy(SocketChannel channel, Peer previous, int size, long session, long deadline,
                                     BooleanSupplier cancelled) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ByteBuffer hello = ByteBuffer.allocate(HELLO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (Selector selector = Selector.open()) {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            while (hello.hasRemaining()) {
                int n = channel.read(hello);
                if (n < 0) {
                    return false;
                }
                if (n == 0) {
                    waitSlice(selector, deadline, cancelled, "waiting for " + previous + "'s greeting");
                    if (System.nanoTime() >= deadline) {
                        return false;
                    }
                }
            }
            key.cancel();
            selector.selectNow();
        } catch (InterruptedIOException e) {
            channel.close();
            throw e;
        } catch (IOException e) {
            return false;
        }
        hello.flip();
        return hello.getInt() == HELLO_MAGIC && hello.getInt() == previous.rank() && hello.getInt() == size
                && hello.getLong() == session;
    }

    private static void waitSlice(Selector selector, long deadline, BooleanSupplier cancelled, String doing)
            throws IOException {
        long left = Math.max(1, Math.min(Duplex.SLICE_MILLIS, (deadline - System.nanoTime()) / 1_000_000));
        selector.select(left);
        selector.selectedKeys().clear();
        checkCancelled(cancelled, doing);
    }

    private static void sleepSlice(BooleanSupplier cancelled, String doing) throws InterruptedIOException {
        try {
            Thread.sleep(Duplex.SLICE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkCancelled(cancelled, doing);
    }

    private static void checkCancelled(BooleanSupplier cancelled, String doing) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while " + doing);
        }
        if (cancelled.getAsBoolean()) {
            throw new InterruptedIOException("cancelled while " + doing);
        }
    }

    private static void closeQuietly(SocketChannel channel, Exception failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Closes both connections; the peers see their ring end. */
    @Override
    public void close() throws IOException {
        if (duplex != null) {
            duplex.close();
        }
    }
}
