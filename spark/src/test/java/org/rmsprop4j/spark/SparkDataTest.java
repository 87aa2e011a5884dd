package org.rmsprop4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmsprop4j.optim.Dtype;
import org.rmsprop4j.train.TrainConfig;
import org.rmsprop4j.train.data.CsvLoader;
import org.rmsprop4j.train.data.Dataset;
import org.rmsprop4j.train.data.IdxLoader;
import org.rmsprop4j.train.data.MalformedDataException;
import org.rmsprop4j.train.data.Standardizer;

class SparkDataTest {
    static final JavaSparkContext SC = LocalSpark.get();

    /** As {@link #hundredThousandRowsFromCsvTrainToTheBitsOfOneMachine} on 20,000 rows: the default run's share. */
    @Test
    void generatedRowsFromCsvTrainToTheBitsOfOneMachine(@TempDir Path dir) throws Exception {
        csvPipeline(dir, 20_000, 1000);
    }

    /**
     * 100,000 generated rows written as CSV, read by the executors in 4 partitions, split, standardised and trained
     * on Spark: the same rows as CsvLoader reads and the same final parameters as the Trainer on one machine.
     * About 20-40 s on the 2-core machine: {@code mvn verify -pl spark -am -DexcludedGroups=none -Dgroups=slow}.
     */
    @Test
    @Tag("slow")
    void hundredThousandRowsFromCsvTrainToTheBitsOfOneMachine(@TempDir Path dir) throws Exception {
        csvPipeline(dir, 100_000, 4000);
    }

    static void csvPipeline(Path dir, int n, int batch) throws Exception {
        Path csv = dir.resolve("blobs.csv");
        Generated.writeCsv(csv, n, 12, 4, 5);
        Dataset all = CsvLoader.load(csv);
        SparkRows rows = SparkData.csv(SC, csv.toString(), 4);
        assertThat(rows.size()).isEqualTo(n);
        assertThat(rows.partitions()).isGreaterThanOrEqualTo(4);
        assertThat(rows.classNames()).isEqualTo(all.classNames());

        Dataset.Split s = all.split(0.2, 9);
        Standardizer st = Standardizer.fit(s.train());
        Dataset.Split local = new Dataset.Split(st.apply(s.train()), st.apply(s.test()));
        SparkRows.Split ss = rows.split(0.2, 9);
        double[][] ms = ss.train().standardization();
        SparkRows train = ss.train().standardizedBy(ms[0], ms[1]);
        Dataset test = ss.test().standardizedBy(ms[0], ms[1]).collect("test");
        assertThat(test.x()).containsExactly(local.test().x());

        TrainConfig cfg = TrainConfig.builder().epochs(1).batchSize(batch).chunkSize(250).seed(9).threads(2).build();
        double[] expected = SparkTrainingTest.local(local, "softmax", Dtype.FLOAT32, cfg);
        double[] got = SparkTrainingTest.spark(train, test, "softmax", Dtype.FLOAT32, cfg, 2);
        assertThat(got).containsExactly(expected);
        for (SparkRows r : new SparkRows[] {rows, ss.train(), ss.test(), train}) r.unpersist();
    }

    @Test
    void csvWithAHeaderReadsAsCsvLoaderDoes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("h.csv");
        Files.writeString(f, "4,2,no,yes\n1.5,2,0\n\n-3,4e-3,1\r\n7,8,1\n0.1,0.2,0\n");
        Dataset a = CsvLoader.load(f);
        Dataset b = SparkData.csv(SC, f.toString(), 3).collect("h");
        assertThat(b.x()).containsExactly(a.x());
        assertThat(b.y()).containsExactly(a.y());
        assertThat(b.classNames()).containsExactly("no", "yes");
    }

    @Test
    void malformedCsvNamesTheFileAndTheLineWhicheverPartitionHasIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) sb.append(i % 7).append(',').append(i * 0.5).append(',').append(i % 2).append('\n');
        sb.append("1,x,0\n");
        Files.writeString(f, sb);
        assertThatThrownBy(() -> SparkData.csv(SC, f.toString(), 4)).isInstanceOf(MalformedDataException.class)
                .hasMessage("bad.csv line 5001: field 2 must be a number, got 'x'");
        Files.writeString(f, "1,2,0\n3,4,1\n5,0\n");
        assertThatThrownBy(() -> SparkData.csv(SC, f.toString(), 2)).isInstanceOf(MalformedDataException.class)
                .hasMessage("bad.csv line 3: expected 3 fields (2 features and the label), got 2");
        Files.writeString(f, "1,2,0\n3,4,-1\n");
        assertThatThrownBy(() -> SparkData.csv(SC, f.toString(), 2)).hasMessage("bad.csv line 2: label must be >= 0, got -1");
        Files.writeString(f, "\n\n");
        assertThatThrownBy(() -> SparkData.csv(SC, f.toString(), 2)).hasMessage("bad.csv: no data rows");
    }

    @Test
    void missingPathIsNamed(@TempDir Path dir) {
        String p = dir.resolve("nope.csv").toString();
        assertThatThrownBy(() -> SparkData.csv(SC, p, 2)).isInstanceOf(FileNotFoundException.class).hasMessageContaining("'" + p + "'")
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> SparkData.idx(SC, p, p, 2)).isInstanceOf(FileNotFoundException.class).hasMessageContaining(p);
    }

    @Test
    void idxReadsInRangesAsIdxLoaderDoes(@TempDir Path dir) throws Exception {
        Path im = dir.resolve("x-images-idx3-ubyte"), lb = dir.resolve("x-labels-idx1-ubyte.gz");
        int n = 37;
        byte[] px = new byte[n * 4 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31);
        byte[] ls = new byte[n];
        for (int i = 0; i < n; i++) ls[i] = (byte) (i % 3);
        writeIdx(Files.newOutputStream(im), IdxLoader.IMAGES_MAGIC, new int[] {n, 4, 3}, px);
        writeIdx(new GZIPOutputStream(Files.newOutputStream(lb)), IdxLoader.LABELS_MAGIC, new int[] {n}, ls);
        Dataset a = IdxLoader.dataset("x", IdxLoader.readImages(im), "i", IdxLoader.readLabels(lb), "l", 3);
        Dataset b = SparkData.idx(SC, im.toString(), lb.toString(), 4).collect("x");
        assertThat(b.x()).containsExactly(a.x());
        assertThat(b.y()).containsExactly(a.y());

        Files.write(im, java.util.Arrays.copyOf(Files.readAllBytes(im), 16 + 10));
        assertThatThrownBy(() -> SparkData.idx(SC, im.toString(), lb.toString(), 4)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("x-images-idx3-ubyte offset 26: truncated");
        writeIdx(Files.newOutputStream(im), IdxLoader.LABELS_MAGIC, new int[] {n}, ls);
        assertThatThrownBy(() -> SparkData.idx(SC, im.toString(), lb.toString(), 4)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("x-images-idx3-ubyte offset 0: magic number must be 0x00000803");
    }

    static void writeIdx(OutputStream os, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(magic);
            for (int d : dims) out.writeInt(d);
            out.write(data);
        }
    }
}
