package dev.cortado.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DataInfoTest {

    @Test
    void metadataReadsBackBitForBit() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            float[] mean = {(float) random.nextDouble(-1, 1), (float) random.nextDouble() * 1e-6f,
                    Float.intBitsToFloat(random.nextInt(0x3F800000))};
            float[] std = {(float) random.nextDouble(0.001, 10), Float.MIN_NORMAL, 1f / 3};
            DataInfo info = new DataInfo(List.of("a", "b \"quoted\"", "ü"), new Preprocessing(new Normalization(mean,
                    std), round % 2 == 0 ? Augmentation.standard() : null));
            Map<String, String> metadata = info.toMetadata();
            assertEquals(info, DataInfo.fromMetadata(metadata));
        }
        assertEquals(DataInfo.NONE, DataInfo.fromMetadata(DataInfo.NONE.toMetadata()));
        assertEquals(Map.of(), DataInfo.NONE.toMetadata());
    }

    @Test
    void aResumeComparesPreprocessingAndClassNamesWhereBothHaveThem() {
        Normalization n = Normalization.parse("0.5,0.25");
        DataInfo stored = new DataInfo(List.of("a", "b"), new Preprocessing(n, Augmentation.standard()));
        assertEquals(List.of(), stored.differencesFrom(stored));
        assertEquals(List.of(), DataInfo.NONE.differencesFrom(new DataInfo(List.of("a", "b"), Preprocessing.NONE)),
                "files from before class names were stored");
        assertEquals(List.of("normalization: mean [0.5], std [0.25] vs none",
                "augmentation: random crops with padding 4, horizontal flips vs none"),
                stored.differencesFrom(new DataInfo(List.of("a", "b"), Preprocessing.NONE)));
    }
}
