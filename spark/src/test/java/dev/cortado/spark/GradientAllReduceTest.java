package dev.cortado.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.backend.Backend;
import dev.cortado.backend.TransferStats;
import dev.cortado.device.Devices;
import dev.cortado.nn.Parameter;
import dev.cortado.spark.ring.RingAllReduce;
import dev.cortado.spark.ring.RingEndpoint;
import dev.cortado.spark.ring.RingSettings;
import dev.cortado.tensor.Shape;
import dev.cortado.train.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The gradient exchange on the CPU backend with two workers over a real ring: gradients become
 * {@code (n0 g0 + n1 g1) / (n0 + n1)} on both, also when one worker's share is empty, through one download and one
 * upload per step; the step's figures become those of both workers' samples.
 */
class GradientAllReduceTest {

    /** Worker {@code rank}'s gradients: a 2x3 weight and a bias of 2, filled from the rank. */
    private static float[][] gradients(int rank) {
        return new float[][] {{1 + rank, 2, 3, 4, 5, 6 * rank}, {-1, rank}};
    }

    @Test
    void gradientsBecomeTheMeanOverAllSamplesThroughOneTransferEachWay() throws Exception {
        int[] samples = {3, 5};
        List<float[][]> results = exchange(samples);
        float[][] g0 = gradients(0);
        float[][] g1 = gradients(1);
        for (int rank = 0; rank < 2; rank++) {
            for (int t = 0; t < 2; t++) {
                float[] expected = new float[g0[t].length];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = (3 * g0[t][i] + 5 * g1[t][i]) / 8;
                }
                assertArrayEquals(expected, results.get(rank)[t], 1e-6f, "worker " + rank + ", tensor " + t);
            }
            assertArrayEquals(new float[] {1, 1, 0, 0}, results.get(rank)[2], "one download and one upload");
        }
    }

    @Test
    void aWorkerWithAnEmptyShareContributesNothing() throws Exception {
        List<float[][]> results = exchange(new int[] {0, 4});
        for (int rank = 0; rank < 2; rank++) {
            assertArrayEquals(gradients(1)[0], results.get(rank)[0], 1e-6f);
            assertArrayEquals(gradients(1)[1], results.get(rank)[1], 1e-6f);
        }
    }

    /** Runs one exchange and one combine on two workers; per worker: both gradients, then the transfer counts. */
    private static List<float[][]> exchange(int[] samples) throws Exception {
        RingEndpoint e0 = RingEndpoint.open("127.0.0.1");
        RingEndpoint e1 = RingEndpoint.open("127.0.0.1");
        List<String> addresses = List.of(e0.address(), e1.address());
        List<RingEndpoint> endpoints = List.of(e0, e1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                futures.add(threads.submit(() -> {
                    try (RingEndpoint endpoint = endpoints.get(rank);
                         RingAllReduce ring = RingAllReduce.join(rank, addresses, endpoint, 1, RingSettings.DEFAULTS,
                                 () -> false);
                         Backend cpu = Devices.open("cpu")) {
                        float[][] g = gradients(rank);
                        List<Parameter> parameters = List.of(
                                new Parameter("weight", cpu.full(Shape.of(2, 3), 0f), cpu.upload(Shape.of(2, 3), g[0])),
                                new Parameter("bias", cpu.full(Shape.of(2), 0f), cpu.upload(Shape.of(2), g[1])));
                        try (GradientAllReduce exchange = new GradientAllReduce(cpu, ring, false)) {
                            TransferStats before = cpu.transfers();
                            exchange.exchange(parameters, samples[rank]);
                            TransferStats moved = cpu.transfers().since(before);
                            StepResult both = exchange.combine(new StepResult(0, 0.5f + rank, rank, samples[rank],
                                    0.1f));
                            assertEquals(samples[0] + samples[1], both.count());
                            assertEquals(1f, both.metricSum());
                            assertEquals((0.5 * samples[0] + 1.5 * samples[1]) / (samples[0] + samples[1]),
                                    both.loss(), 1e-6);
                            float[][] out = {parameters.get(0).grad().toArray(), parameters.get(1).grad().toArray(),
                                    {moved.uploads(), moved.downloads(), 0, 0}};
                            parameters.forEach(Parameter::close);
                            return out;
                        }
                    }
                }));
            }
            return List.of(futures.get(0).get(), futures.get(1).get());
        } finally {
            threads.shutdownNow();
        }
    }
}
