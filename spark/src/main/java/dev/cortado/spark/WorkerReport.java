package dev.cortado.spark;

import java.io.Serializable;

/**
 * What a worker's task returns to the driver when training ends.
 *
 * @param rank the worker
 * @param device the device it trained on and why
 * @param complete whether every epoch ran
 * @param position where the run stands, in words
 * @param epochTable the table of completed epochs (worker 0; empty for the others)
 * @param steps the steps this task ran
 * @param medianStepMillis the median time of a step, the gradient exchange included (0 without steps)
 * @param medianRingMillis the median time of one gradient sum over the ring
 * @param medianWaitMillis the median wait for the slowest worker before a sum, when measured apart (else 0)
 * @param medianExchangeMillis the median time of a whole gradient exchange: device copies, transfers, scaling and
 *     ring (without the wait, when that is measured apart)
 */
record WorkerReport(int rank, String device, boolean complete, String position, String epochTable, long steps,
                    double medianStepMillis, double medianRingMillis, double medianWaitMillis,
                    double medianExchangeMillis)
        implements Serializable {
}
