package dev.cortado.spark.ring;

import java.io.IOException;

/** A ring peer failed: it closed its connection, reset it, or sent or took nothing within the timeout. */
public final class PeerLostException extends IOException {
    private final transient Peer peer;

    public PeerLostException(Peer peer, String message, Throwable cause) {
        super(message, cause);
        this.peer = peer;
    }

    public PeerLostException(Peer peer, String message) {
        this(peer, message, null);
    }

    /** The peer this worker lost. */
    public Peer peer() {
        return peer;
    }
}
