package dev.cortado.data;

import static dev.cortado.data.Samples.inputs;
import static dev.cortado.data.Samples.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {
    private static final CsvDataset.Settings DEFAULTS = CsvDataset.Settings.defaults();

    @TempDir
    Path dir;

    @Test
    void classNamesInTheLastColumnMakeAClassificationOfTheOtherColumns() throws Exception {
        Files.writeString(dir.resolve("train.csv"), """
                length,"width, in cm",species
                5.1,3.5,setosa
                7.0,3.2,versicolor
                "6.3",2.9,setosa
                """);
        Files.writeString(dir.resolve("test.csv"), "length,\"width, in cm\",species\r\n6.0,2.2,versicolor\r\n");

        CsvDataset train = CsvDataset.open(dir, Split.TRAIN, DEFAULTS, null);
        CsvDataset test = CsvDataset.open(dir, Split.TEST, DEFAULTS, train.targets());

        assertEquals(Targets.classes(List.of("setosa", "versicolor")), train.targets());
        assertEquals(Shape.of(2), train.sampleShape());
        assertEquals(List.of("length", "width, in cm"), train.features());
        assertEquals("species", train.target());
        assertArrayEquals(new float[] {6.3f, 2.9f}, inputs(train, 2));
        assertEquals(List.of(0f, 1f, 0f), labels(train));
        assertEquals(List.of(1f), labels(test));
    }

    @Test
    void integersMakeClassesOtherNumbersAValueAndRegressionReadsIntegersAsValues() throws Exception {
        Path integers = Files.writeString(dir.resolve("digits.csv"), "x,y,label\n1,2,3\n3,4,1\n5,6,3.0\n7,8,10\n");
        CsvDataset.Settings wholeFile = new CsvDataset.Settings(null, false, 0.01, 0);
        CsvDataset classes = CsvDataset.open(integers, Split.TRAIN, wholeFile, null);
        assertEquals(Targets.classes(List.of("1", "3", "10")), classes.targets());
        assertEquals(List.of(1f, 0f, 1f, 2f), labels(classes));

        CsvDataset values = CsvDataset.open(integers, Split.TRAIN, new CsvDataset.Settings("label", true, 0.01, 0),
                null);
        assertEquals(Targets.values(1), values.targets());
        assertEquals(List.of(3f, 1f, 3f, 10f), labels(values));

        Path prices = Files.writeString(dir.resolve("prices.csv"), "price,rooms,area\n120.5,3,80\n99,2,61\n");
        CsvDataset regression = CsvDataset.open(prices, Split.TRAIN, new CsvDataset.Settings("price", false, 0.01, 0),
                null);
        assertEquals(Targets.values(1), regression.targets());
        assertEquals(List.of("rooms", "area"), regression.features());
        assertEquals(List.of(120.5f, 99f), labels(regression));
        assertArrayEquals(new float[] {2f, 61f}, inputs(regression, 1));
    }

    @Test
    void aMissingValueIsAnErrorNamingTheFileTheLineAndTheColumn() throws Exception {
        Path file = Files.writeString(dir.resolve("train.csv"), "a,b,y\n1,2,x\n\n3,,y\n");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDataset.open(dir, Split.TRAIN, DEFAULTS,
                null));
        assertEquals(file + ": line 4: column 'b' is empty (a missing value): fill it in or drop the row",
                e.getMessage());

        Files.writeString(file, "a,b,y\n1,NA,x\n3,4,y\n");
        assertEquals(file + ": line 2: column 'b' is 'NA' (a missing value): fill it in or drop the row",
                assertThrows(DatasetException.class, () -> CsvDataset.open(dir, Split.TRAIN, DEFAULTS, null))
                        .getMessage());
    }

    @Test
    void badRowsAndHeadersAreErrorsNamingTheLine() throws Exception {
        Path file = dir.resolve("train.csv");
        assertEquals(file + ": line 3 has 2 fields, the header has 3",
                message(file, "a,b,y\n1,2,x\n3,4\n"));
        assertEquals(file + ": line 2: column 'b' is 'blue', not a number (every column but the target must hold "
                + "numbers)", message(file, "a,b,y\n1,blue,x\n2,3,z\n"));
        assertEquals(file + ": line 1 is not a header (every field is a number): a CSV file needs a first row naming "
                + "its columns", message(file, "1,2,3\n4,5,6\n"));
        assertEquals(file + ": line 2: a quoted field is not closed by the end of the file",
                message(file, "a,b,y\n1,\"2,x\n"));
        Files.writeString(file, "a,b,y\n1,2,x\n2,3,z\n");
        assertEquals(file + ": no column 'z' (the columns are a, b, y)", assertThrows(DatasetException.class,
                () -> CsvDataset.open(dir, Split.TRAIN, new CsvDataset.Settings("z", false, 0.2, 0), null))
                .getMessage());
    }

    @Test
    void aTestTargetOutsideTheTrainingClassesIsAnError() throws Exception {
        Files.writeString(dir.resolve("train.csv"), "a,y\n1,cat\n2,dog\n");
        Path test = Files.writeString(dir.resolve("test.csv"), "a,y\n1,cat\n2,emu\n");
        CsvDataset train = CsvDataset.open(dir, Split.TRAIN, DEFAULTS, null);
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDataset.open(dir, Split.TEST, DEFAULTS,
                train.targets()));
        assertEquals(test + ": line 3: target 'emu' is not one of the 2 classes of the training data (cat, dog)",
                e.getMessage());
    }

    @Test
    void aSingleFileIsSplitBySeededFraction() throws Exception {
        StringBuilder rows = new StringBuilder("a,y\n");
        for (int i = 0; i < 20; i++) {
            rows.append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Files.writeString(dir.resolve("numbers.csv"), rows);
        CsvDataset.Settings settings = new CsvDataset.Settings(null, false, 0.25, 9);
        CsvDataset train = CsvDataset.open(dir, Split.TRAIN, settings, null);
        CsvDataset test = CsvDataset.open(dir, Split.TEST, settings, null);
        assertEquals(15, train.count());
        assertEquals(5, test.count());
        Set<Float> all = new HashSet<>();
        for (CsvDataset split : List.of(train, test)) {
            for (int i = 0; i < split.count(); i++) {
                all.add(inputs(split, i)[0]);
            }
        }
        assertEquals(20, all.size(), "every row once");
        assertEquals(List.of(dir.resolve("numbers.csv")), CsvDataset.files(dir));
    }

    private String message(Path file, String text) throws Exception {
        Files.writeString(file, text);
        return assertThrows(DatasetException.class, () -> CsvDataset.open(dir, Split.TRAIN, DEFAULTS, null))
                .getMessage();
    }
}
