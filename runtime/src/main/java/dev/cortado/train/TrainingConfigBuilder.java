package dev.cortado.train;

import dev.cortado.train.TrainingConfig.OptimizerKind;
import dev.cortado.train.TrainingConfig.ScheduleKind;

/**
 * Builds a {@link TrainingConfig} from the reference recipe ({@link TrainingConfig#defaults()}), changing only
 * what is named: {@code TrainingConfig.builder().adam(1e-3f).epochs(10).batchSize(128).build()}. The values are
 * checked by {@link #build()}, each error naming its setting.
 */
public final class TrainingConfigBuilder {
    private OptimizerKind optimizer;
    private float lr;
    private float momentum;
    private float weightDecay;
    private boolean nesterov;
    private ScheduleKind schedule;
    private int stepEpochs;
    private int epochs;
    private int batchSize;
    private long seed;
    private int trainLimit;
    private int testLimit;
    private float labelSmoothing;
    private float clipGradNorm;

    TrainingConfigBuilder(TrainingConfig start) {
        optimizer = start.optimizer();
        lr = start.lr();
        momentum = start.momentum();
        weightDecay = start.weightDecay();
        nesterov = start.nesterov();
        schedule = start.schedule();
        stepEpochs = start.stepEpochs();
        epochs = start.epochs();
        batchSize = start.batchSize();
        seed = start.seed();
        trainLimit = start.trainLimit();
        testLimit = start.testLimit();
        labelSmoothing = start.labelSmoothing();
        clipGradNorm = start.clipGradNorm();
    }

    /** SGD at this learning rate with this momentum (0 for none). */
    public TrainingConfigBuilder sgd(float newLr, float newMomentum) {
        optimizer = OptimizerKind.SGD;
        lr = newLr;
        momentum = newMomentum;
        return this;
    }

    /** Adam at this learning rate. */
    public TrainingConfigBuilder adam(float newLr) {
        return adaptive(OptimizerKind.ADAM, newLr);
    }

    /** AdamW (decoupled weight decay) at this learning rate. */
    public TrainingConfigBuilder adamW(float newLr) {
        return adaptive(OptimizerKind.ADAMW, newLr);
    }

    private TrainingConfigBuilder adaptive(OptimizerKind kind, float newLr) {
        optimizer = kind;
        lr = newLr;
        momentum = 0f;
        nesterov = false;
        return this;
    }

    /** The base learning rate. */
    public TrainingConfigBuilder lr(float newLr) {
        lr = newLr;
        return this;
    }

    /** L2 (SGD, Adam) or decoupled (AdamW) weight decay. */
    public TrainingConfigBuilder weightDecay(float decay) {
        weightDecay = decay;
        return this;
    }

    /** Nesterov momentum (SGD). */
    public TrainingConfigBuilder nesterov(boolean on) {
        nesterov = on;
        return this;
    }

    /** A constant rate. */
    public TrainingConfigBuilder constantSchedule() {
        schedule = ScheduleKind.CONSTANT;
        return this;
    }

    /** The rate decays along a cosine to 0 at the end of the last epoch. */
    public TrainingConfigBuilder cosineSchedule() {
        schedule = ScheduleKind.COSINE;
        return this;
    }

    /** The rate is multiplied by {@value TrainingConfig#STEP_GAMMA} every {@code everyEpochs} epochs. */
    public TrainingConfigBuilder stepSchedule(int everyEpochs) {
        schedule = ScheduleKind.STEP;
        stepEpochs = everyEpochs;
        return this;
    }

    /** Passes over the training data. */
    public TrainingConfigBuilder epochs(int count) {
        epochs = count;
        return this;
    }

    /** Samples per step. */
    public TrainingConfigBuilder batchSize(int size) {
        batchSize = size;
        return this;
    }

    /** Fixes the order of batches (and, for {@code cortado train}, the initial weights and dropout masks). */
    public TrainingConfigBuilder seed(long newSeed) {
        seed = newSeed;
        return this;
    }

    /** Trains on the first {@code n} samples only (0 for all). */
    public TrainingConfigBuilder trainLimit(int n) {
        trainLimit = n;
        return this;
    }

    /** Evaluates on the first {@code n} samples only (0 for all). */
    public TrainingConfigBuilder testLimit(int n) {
        testLimit = n;
        return this;
    }

    /** The cross-entropy's label smoothing in [0, 1], as PyTorch's {@code label_smoothing} (0 for none). */
    public TrainingConfigBuilder labelSmoothing(float smoothing) {
        labelSmoothing = smoothing;
        return this;
    }

    /** Scales the gradients down to this global L2 norm before each update when it is larger (0 for none). */
    public TrainingConfigBuilder clipGradNorm(float maxNorm) {
        clipGradNorm = maxNorm;
        return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first setting that makes no sense
     */
    public TrainingConfig build() {
        return new TrainingConfig(optimizer, lr, momentum, weightDecay, nesterov, schedule, stepEpochs, epochs,
                batchSize, seed, trainLimit, testLimit, labelSmoothing, clipGradNorm);
    }
}
