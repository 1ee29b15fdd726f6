package dev.cortado.optim;

/**
 * The learning rate as a function of the optimizer step (0-based), so a resumed run continues the curve exactly.
 */
public sealed interface LrSchedule {

    /** The learning rate for the update at {@code step}. */
    float at(long step);

    /** A fixed rate. */
    record Constant(float lr) implements LrSchedule {
        @Override
        public float at(long step) {
            return lr;
        }
    }

    /** {@code lr * gamma^(step / every)}: PyTorch's StepLR, counted in steps. */
    record StepDecay(float lr, long every, float gamma) implements LrSchedule {
        public StepDecay {
            if (every < 1) {
                throw new IllegalArgumentException("step decay interval must be >= 1 step, got " + every);
            }
        }

        @Override
        public float at(long step) {
            return (float) (lr * Math.pow(gamma, step / every));
        }
    }

    /** Cosine annealing from {@code lr} to {@code minLr} over {@code total} steps, then {@code minLr}. */
    record Cosine(float lr, long total, float minLr) implements LrSchedule {
        public Cosine {
            if (total < 1) {
                throw new IllegalArgumentException("cosine schedule needs >= 1 step, got " + total);
            }
        }

        @Override
        public float at(long step) {
            double progress = Math.min(1.0, (double) step / total);
            return (float) (minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress)));
        }
    }
}
