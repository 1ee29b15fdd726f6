package dev.cortado.backend;

/** Counts a backend's uploads and downloads for {@link Backend#transfers()}; safe to use from any thread. */
public final class TransferCounter {
    private long uploads;
    private long uploadedFloats;
    private long downloads;
    private long downloadedFloats;

    /** Records an upload of {@code floats} floats. */
    public synchronized void upload(long floats) {
        uploads++;
        uploadedFloats += floats;
    }

    /** Records a download of {@code floats} floats. */
    public synchronized void download(long floats) {
        downloads++;
        downloadedFloats += floats;
    }

    public synchronized TransferStats stats() {
        return new TransferStats(uploads, uploadedFloats * Float.BYTES, downloads, downloadedFloats * Float.BYTES);
    }
}
