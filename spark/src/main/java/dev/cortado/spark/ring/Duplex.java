package dev.cortado.spark.ring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/**
 * A worker's two ring connections, non-blocking on one selector: bytes go to the next worker while others come from
 * the previous one, so neither side waits for the other's buffers to drain. Every wait is cut into short slices that
 * check the thread's interrupt and the cancellation flag, and is given up after the timeout without progress, naming
 * the peer waited for.
 */
final class Duplex implements AutoCloseable {
    /** The longest single wait between checks for an interrupt or a cancellation. */
    static final long SLICE_MILLIS = 100;

    private final Selector selector;
    private final SocketChannel next;
    private final SocketChannel previous;
    private final SelectionKey nextKey;
    private final SelectionKey previousKey;
    private final Peer nextPeer;
    private final Peer previousPeer;
    private final long timeoutNanos;
    private final BooleanSupplier cancelled;

    Duplex(SocketChannel next, Peer nextPeer, SocketChannel previous, Peer previousPeer, long timeoutNanos,
           BooleanSupplier cancelled) throws IOException {
        this.selector = Selector.open();
        this.next = next;
        this.previous = previous;
        this.nextPeer = nextPeer;
        this.previousPeer = previousPeer;
        this.timeoutNanos = timeoutNanos;
        this.cancelled = cancelled;
        this.nextKey = next.register(selector, 0);
        this.previousKey = previous.register(selector, 0);
    }

    /**
     * Sends what {@code out} holds to the next worker and fills {@code in} from the previous one.
     *
     * @param doing what this is, for messages ("exchange 12, reduce step 1")
     * @throws PeerLostException when a peer closes or resets its connection, or neither sends nor takes a byte
     *     within the timeout
     * @throws InterruptedIOException when the thread is interrupted or the exchange cancelled (the interrupt status is
     *     kept)
     */
    void transfer(ByteBuffer out, ByteBuffer in, String doing) throws IOException {
        long lastProgress = System.nanoTime();
        while (out.hasRemaining() || in.hasRemaining()) {
            boolean progress = false;
            if (out.hasRemaining()) {
                progress = write(out, doing) > 0;
            }
            if (in.hasRemaining()) {
                progress |= read(in, doing) > 0;
            }
            if (progress) {
                lastProgress = System.nanoTime();
                continue;
            }
            if (System.nanoTime() - lastProgress > timeoutNanos) {
                throw timeout(out.hasRemaining(), in.hasRemaining(), doing);
            }
            nextKey.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
            previousKey.interestOps(in.hasRemaining() ? SelectionKey.OP_READ : 0);
            selector.select(SLICE_MILLIS);
            selector.selectedKeys().clear();
            checkCancelled(doing);
        }
    }

    private int write(ByteBuffer out, String doing) throws IOException {
        try {
            return next.write(out);
        } catch (IOException e) {
            throw new PeerLostException(nextPeer, "lost " + nextPeer + " while sending to it (" + doing + "): "
                    + e.getMessage() + "; its task failed or its executor was lost", e);
        }
    }

    private int read(ByteBuffer in, String doing) throws IOException {
        int n;
        try {
            n = previous.read(in);
        } catch (IOException e) {
            throw new PeerLostException(previousPeer, "lost " + previousPeer + " while receiving from it (" + doing
                    + "): " + e.getMessage() + "; its task failed or its executor was lost", e);
        }
        if (n < 0) {
            throw new PeerLostException(previousPeer, previousPeer + " closed its ring connection (" + doing
                    + "): its task failed or ended, or its executor was lost");
        }
        return n;
    }

    private PeerLostException timeout(boolean sending, boolean receiving, String doing) {
        long seconds = timeoutNanos / 1_000_000_000L;
        String waited = receiving && sending
                ? previousPeer + " sent nothing and " + nextPeer + " took nothing"
                : receiving ? previousPeer + " sent nothing" : nextPeer + " took nothing";
        return new PeerLostException(receiving ? previousPeer : nextPeer, waited + " for " + seconds + " s ("
                + doing + "): it hangs, or waits itself for a worker further up the ring that does");
    }

    void checkCancelled(String doing) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted during " + doing);
        }
        if (cancelled.getAsBoolean()) {
            throw new InterruptedIOException("cancelled during " + doing);
        }
    }

    @Override
    public void close() throws IOException {
        try (selector; next; previous) {
            // closes all three, reporting the first failure
        }
    }
}
