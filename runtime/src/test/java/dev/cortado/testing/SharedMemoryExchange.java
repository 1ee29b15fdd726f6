package dev.cortado.testing;

import dev.cortado.nn.Parameter;
import dev.cortado.train.GradientExchange;
import dev.cortado.train.StepResult;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Data-parallel gradient exchange between worker threads of one JVM, for tests: each worker puts its gradients
 * times its sample count in its slot, and every worker sums the slots in rank order and divides by the samples of
 * all (so every worker gets the same bits). Gradients move tensor by tensor; this is a reference, not a fast path.
 */
public final class SharedMemoryExchange {
    private final int workers;
    private final CyclicBarrier barrier;
    private final float[][] slots;
    private final double[][] stats;

    public SharedMemoryExchange(int workers) {
        this.workers = workers;
        this.barrier = new CyclicBarrier(workers);
        this.slots = new float[workers][];
        this.stats = new double[workers][];
    }

    /** The exchange of worker {@code rank}. */
    public GradientExchange worker(int rank) {
        return new GradientExchange() {
            @Override
            public void exchange(List<Parameter> parameters, int samples) {
                int total = 0;
                for (Parameter p : parameters) {
                    total += (int) p.grad().size();
                }
                float[] mine = new float[total + 1];
                int offset = 0;
                for (Parameter p : parameters) {
                    p.grad().backend().download(p.grad(), mine, offset);
                    offset += (int) p.grad().size();
                }
                for (int i = 0; i < total; i++) {
                    mine[i] *= samples;
                }
                mine[total] = samples;
                slots[rank] = mine;
                await();
                float[] sum = new float[total + 1];
                for (int r = 0; r < workers; r++) {
                    for (int i = 0; i <= total; i++) {
                        sum[i] += slots[r][i];
                    }
                }
                await();
                float inverse = 1f / sum[total];
                for (int i = 0; i < total; i++) {
                    sum[i] *= inverse;
                }
                offset = 0;
                for (Parameter p : parameters) {
                    p.grad().backend().upload(sum, offset, p.grad());
                    offset += (int) p.grad().size();
                }
            }

            @Override
            public StepResult combine(StepResult local) {
                stats[rank] = new double[] {(double) local.loss() * local.count(), local.metricSum(), local.count()};
                await();
                double loss = 0;
                double metric = 0;
                double count = 0;
                for (int r = 0; r < workers; r++) {
                    loss += stats[r][0];
                    metric += stats[r][1];
                    count += stats[r][2];
                }
                await();
                return new StepResult(local.step(), (float) (loss / count), (float) metric, (int) count, local.lr());
            }
        };
    }

    private void await() {
        try {
            barrier.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the other workers", e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("another worker failed or hung", e);
        }
    }
}
