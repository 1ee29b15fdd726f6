package dev.cortado.backend;

/**
 * Traffic between the host and a backend's device since the backend was opened: how many uploads and downloads,
 * and how many bytes each way. A training step in steady state shows the batch's upload and one small download
 * (see {@code Trainer}); anything more is a host round trip inside the step.
 */
public record TransferStats(long uploads, long uploadedBytes, long downloads, long downloadedBytes) {

    /** The traffic between {@code earlier} and this snapshot. */
    public TransferStats since(TransferStats earlier) {
        return new TransferStats(uploads - earlier.uploads, uploadedBytes - earlier.uploadedBytes,
                downloads - earlier.downloads, downloadedBytes - earlier.downloadedBytes);
    }
}
