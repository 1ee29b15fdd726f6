package dev.cortado.train;

import dev.cortado.backend.Backend;
import dev.cortado.data.Batch;
import dev.cortado.data.BatchLoader;
import dev.cortado.data.Dataset;
import dev.cortado.data.SampleOrder;
import dev.cortado.data.Shard;
import dev.cortado.nn.Layer;
import dev.cortado.nn.Mode;
import dev.cortado.nn.Parameter;
import dev.cortado.nn.TensorSlot;
import dev.cortado.optim.LrSchedule;
import dev.cortado.optim.Optimizer;
import dev.cortado.tensor.Shape;
import dev.cortado.tensor.Tensor;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs training steps, epochs and evaluations of a model on one backend, for an {@link Objective}
 * (classification or regression). A step uploads the batch, runs forward, loss, backward and the optimizer
 * update on the device, and downloads two floats: the loss and the batch's metric sum. Batches are shuffled from
 * the seed and the epoch, so an epoch can be resumed at any batch with the same order.
 *
 * <p>In data-parallel training ({@link #shareSteps}) each worker trains on its {@link Shard} of every batch and
 * hands its gradients to a {@link GradientExchange} between the backward pass and the update.
 */
public final class Trainer implements AutoCloseable {
    private final Backend backend;
    private final Layer model;
    private final Objective objective;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final int batchSize;
    private final long seed;
    private final TensorSlot inputs = new TensorSlot();
    private final TensorSlot stats = new TensorSlot();
    private final float[] hostStats = new float[2];
    private final Evaluator evaluator;
    private final List<Parameter> parameters;
    private Shard shard = Shard.WHOLE;
    private GradientExchange exchange = GradientExchange.NONE;

    /**
     * @param backend the device everything runs on; model, objective and optimizer must live there
     * @param batchSize samples per step
     * @param seed the run's seed, which fixes the order of batches in every epoch
     */
    public Trainer(Backend backend, Layer model, Objective objective, Optimizer optimizer, LrSchedule schedule,
                   int batchSize, long seed) {
        this.evaluator = new Evaluator(backend, model, objective, batchSize); // checks the batch size
        this.backend = backend;
        this.model = model;
        this.objective = objective;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.batchSize = batchSize;
        this.seed = seed;
        this.parameters = model.parameters();
    }

    /**
     * Makes this trainer one worker of data-parallel training: it trains on {@code shard}'s share of each batch of
     * the batch size (the batch of all workers together) and calls {@code exchange} after each backward pass.
     */
    public void shareSteps(Shard shard, GradientExchange exchange) {
        this.shard = shard;
        this.exchange = exchange;
    }

    /** Batches per epoch of a dataset at this trainer's batch size. */
    public int batchesPerEpoch(Dataset data) {
        return BatchLoader.batchCount(data.count(), batchSize);
    }

    /**
     * Trains on the batches of {@code epoch} from {@code startBatch} on. After every step the listener is told
     * and {@code stop} is asked; when it answers true the epoch ends early, between two steps. When the epoch
     * completes and {@code test} is not null, the model is evaluated on it.
     *
     * @throws NonFiniteLossException when a step's loss is NaN or infinite
     */
    public EpochResult trainEpoch(Dataset train, int epoch, int startBatch, Dataset test,
                                  TrainingListener listener, BooleanSupplier stop) {
        int batches = batchesPerEpoch(train);
        EpochStats epochStats = new EpochStats();
        long start = System.nanoTime();
        boolean complete = true;
        try (BatchLoader loader = BatchLoader.open(train, batchSize, SampleOrder.shuffled(seed, epoch),
                startBatch, shard)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                StepResult result = step(batch);
                if (!Float.isFinite(result.loss())) {
                    throw new NonFiniteLossException(result.step(), epoch, batch.index(), result.loss());
                }
                epochStats.add(result);
                double seconds = (System.nanoTime() - start) / 1e9;
                listener.onStep(epoch, batch.index(), batches, result,
                        epochStats.samples() / Math.max(seconds, 1e-9));
                if (loader.hasNext() && stop.getAsBoolean()) {
                    complete = false;
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation evaluation = complete && test != null ? evaluate(test) : null;
        EpochResult result = epochStats.result(epoch, seconds, complete, evaluation);
        listener.onEpoch(result);
        return result;
    }

    /** One optimizer step on a batch (on an empty share of one, only the exchange and the update). */
    public StepResult step(Batch batch) {
        long step = optimizer.steps();
        float lr = schedule.at(step);
        Tensor both = stats.get(backend, Shape.of(2));
        if (batch.count() > 0) {
            Tensor x = inputs.upload(backend, batch.inputShape(), batch.inputs());
            Tensor y = objective.uploadTargets(backend, batch);
            Tensor output = model.forward(x, Mode.TRAIN);
            backend.copy(objective.loss().forward(output, y), both.slice(0, 1));
            objective.metricSum(output, y, both.slice(1, 2));
            model.backward(objective.loss().backward(), false);
        } else {
            backend.fill(both, 0f);
        }
        exchange.exchange(parameters, batch.count());
        optimizer.step(lr);
        backend.download(both, hostStats, 0);
        return exchange.combine(new StepResult(step, hostStats[0], hostStats[1], batch.count(), lr));
    }

    /** The model's mean loss and metric on a dataset (and a confusion matrix for classes), in index order. */
    public Evaluation evaluate(Dataset data) {
        return evaluator.evaluate(data);
    }

    /** Releases the trainer's own device tensors (not the model, objective or optimizer). */
    @Override
    public void close() {
        inputs.close();
        stats.close();
        evaluator.close();
    }
}
