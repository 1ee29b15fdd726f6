package dev.cortado.spark;

import dev.cortado.backend.Backend;
import dev.cortado.nn.Parameter;
import dev.cortado.spark.ring.RingAllReduce;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import dev.cortado.train.GradientExchange;
import dev.cortado.train.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes every worker's gradients the mean over all workers' samples, through a {@link RingAllReduce}. Each worker's
 * loss is the mean over its own {@code n_r} samples, so the gradient of the whole batch's mean loss is
 * {@code sum_r(n_r * g_r) / N} with {@code N = sum_r(n_r)}. Per step: the gradients are copied on the device into one
 * flat tensor, scaled there by {@code n_r} and downloaded once; on the host {@code n_r} is appended and everything
 * summed over the ring; the sums are uploaded once, divided there by the summed count and copied back into the
 * gradients.
 *
 * <p>The step's loss and metric are summed the same way ({@link #combine}), so every worker reports the figures of
 * the whole batch. The times of the ring's sum and of the whole exchange are kept for benchmarks.
 */
public final class GradientAllReduce implements GradientExchange, AutoCloseable {
    private final Backend backend;
    private final RingAllReduce ring;
    private final List<Tensor> flatGradients = new ArrayList<>();
    private final List<Tensor> flatSlices = new ArrayList<>();
    private Tensor flat;
    private float[] host;
    private final float[] figures = new float[3];
    private final Timings ringTimes = new Timings();
    private final Timings waitTimes = new Timings();
    private final Timings exchangeTimes = new Timings();
    private final boolean syncFirst;
    private final float[] token = new float[1];

    /**
     * Exchanges through {@code ring} the gradients of parameters on {@code backend}.
     *
     * @param syncFirst for benchmarks: sum one value over the ring before each gradient sum, so that the sum's time
     *     leaves out waiting for the slowest worker (timed apart)
     */
    public GradientAllReduce(Backend backend, RingAllReduce ring, boolean syncFirst) {
        this.backend = backend;
        this.ring = ring;
        this.syncFirst = syncFirst;
    }

    @Override
    public void exchange(List<Parameter> parameters, int samples) {
        long start = System.nanoTime();
        long waited = 0;
        if (flat == null) {
            layOut(parameters);
        }
        int total = host.length - 1;
        for (int i = 0; i < flatGradients.size(); i++) {
            backend.copy(flatGradients.get(i), flatSlices.get(i));
        }
        backend.affine(samples, flat, 0f, flat);
        backend.download(flat, host, 0);
        host[total] = samples;
        if (syncFirst) {
            long waitStart = System.nanoTime();
            sum(token);
            waited = System.nanoTime() - waitStart;
            waitTimes.add(waited);
        }
        long ringStart = System.nanoTime();
        sum(host);
        ringTimes.add(System.nanoTime() - ringStart);
        float count = host[total];
        if (!(count >= 1)) {
            throw new IllegalStateException("the workers' batches held " + count + " samples together");
        }
        backend.upload(host, 0, flat);
        backend.affine(1f / count, flat, 0f, flat);
        for (int i = 0; i < flatGradients.size(); i++) {
            backend.copy(flatSlices.get(i), flatGradients.get(i));
        }
        exchangeTimes.add(System.nanoTime() - start - waited);
    }

    /** One flat device tensor with a slice per gradient, in parameter order, and the host buffer (plus the count). */
    private void layOut(List<Parameter> parameters) {
        long total = 0;
        for (Parameter p : parameters) {
            total += p.grad().size();
        }
        if (total + 1 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the model has " + total + " parameters, more than one exchange "
                    + "buffer holds");
        }
        flat = backend.allocate(Shape.of((int) Math.max(total, 1)));
        host = new float[(int) total + 1];
        int offset = 0;
        for (Parameter p : parameters) {
            int n = (int) p.grad().size();
            flatGradients.add(p.grad().reshape(Shape.of(n)));
            flatSlices.add(flat.slice(offset, offset + n));
            offset += n;
        }
    }

    @Override
    public StepResult combine(StepResult local) {
        figures[0] = local.loss() * local.count();
        figures[1] = local.metricSum();
        figures[2] = local.count();
        sum(figures);
        int count = Math.round(figures[2]);
        return new StepResult(local.step(), count == 0 ? 0f : figures[0] / count, figures[1], count, local.lr());
    }

    private void sum(float[] values) {
        try {
            ring.sum(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The median time of summing one step's gradients over the ring (the network's part), in milliseconds. */
    public double medianRingMillis() {
        return ringTimes.medianMillis();
    }

    /**
     * The median time of waiting for the slowest worker before a gradient sum, in milliseconds, when measured
     * ({@code syncFirst}); else 0, and that wait is part of {@link #medianRingMillis()}.
     */
    public double medianWaitMillis() {
        return waitTimes.medianMillis();
    }

    /**
     * The median time of a whole exchange (device copies, transfers, scaling and ring; without the wait when that
     * is measured apart), in milliseconds.
     */
    public double medianExchangeMillis() {
        return exchangeTimes.medianMillis();
    }

    /** Releases the flat device tensor (not the ring). */
    @Override
    public void close() {
        if (flat != null) {
            flat.close();
        }
    }
}
