package org.rmsprop4j.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {

    static Dataset csv(String text) throws IOException {
        return CsvLoader.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv");
    }

    @Test
    void shippedDataSetsHaveTheirDocumentedShapes() throws IOException {
        record Shape(String name, int rows, int features, int classes) {}
        for (Shape s : new Shape[] {new Shape("digits", 1797, 64, 10), new Shape("breast-cancer", 569, 30, 2),
                new Shape("iris", 150, 4, 3), new Shape("wine", 178, 13, 3), new Shape("mnist10k", 10000, 784, 10)}) {
            Dataset.Split sp = Datasets.load(s.name(), 0.2, 1);
            assertThat(sp.train().size() + sp.test().size()).as(s.name()).isEqualTo(s.rows());
            assertThat(sp.train().features()).as(s.name()).isEqualTo(s.features());
            assertThat(sp.train().classes()).as(s.name()).isEqualTo(s.classes());
        }
        Dataset.Split m = Datasets.mnist10k();
        assertThat(m.train().size()).isEqualTo(8000);
        assertThat(m.test().size()).isEqualTo(2000);
        assertThat(Datasets.load("breast-cancer", 0.2, 1).train().classNames()).containsExactly("malignant", "benign");
    }

    @Test
    void readsHeaderedAndPlainCsv() throws IOException {
        Dataset a = csv("3,2,no,yes\n1,2,0\n3,4.5,1\n\n-1e-3,6,1\n");
        assertThat(a.size()).isEqualTo(3);
        assertThat(a.classNames()).containsExactly("no", "yes");
        assertThat(a.x()).containsExactly(1f, 2f, 3f, 4.5f, -1e-3f, 6f);
        Dataset b = csv("1,2,3\n4,5,0\n6,7,0\n8,9,0\n");
        assertThat(b.features()).isEqualTo(2);
        assertThat(b.classes()).isEqualTo(4);
    }

    @Test
    void malformedCsvIsRefusedNamingFileLineAndProblem() {
        assertThatThrownBy(() -> csv("1,2,0\n3,4\n")).isInstanceOf(MalformedDataException.class)
                .hasMessage("t.csv line 2: expected 3 fields (2 features and the label), got 2");
        assertThatThrownBy(() -> csv("1,2,0\n3,x,1\n")).hasMessage("t.csv line 2: field 2 must be a decimal number (such as 1, -0.5 or 2.5e-3), got 'x'");
        assertThatThrownBy(() -> csv("1,2,0\n3,NaN,1\n")).hasMessage("t.csv line 2: field 2 must be a finite number, got 'NaN'");
        assertThatThrownBy(() -> csv("2,2,a,b\n1,2,0\n3,4,2\n"))
                .hasMessage("t.csv line 3: label must be in 0..1 (the header names 2 classes), got 2");
        assertThatThrownBy(() -> csv("1,2,0\n3,4,-1\n")).hasMessage("t.csv line 2: the label (field 3) must be a class number 0, 1, 2, ... or a class name, got the number '-1'");
        assertThatThrownBy(() -> csv("1,2,0\n3,4,1.5\n")).hasMessage("t.csv line 2: the label (field 3) must be a class number 0, 1, 2, ... "
                + "or a class name, got the number '1.5'");
        assertThatThrownBy(() -> csv("3,2,a,b\n1,2,0\n3,4,1\n")).hasMessage("t.csv line 3: the header says 3 rows, the file has 2");
        assertThatThrownBy(() -> csv("99999999999,2,a,b\n1,2,0\n")).hasMessageContaining("t.csv line 1: header rows must be a whole number");
        assertThatThrownBy(() -> csv("")).hasMessage("t.csv: no data rows (the file is empty)");
    }

    @Test
    void numbersAreDecimalOnly() {
        for (String bad : new String[] {"0x1p3", "1f", "1d", "1_000", " ", ""}) {
            assertThatThrownBy(() -> csv("1,2,0\n" + bad + ",4,1\n")).as(bad).isInstanceOf(MalformedDataException.class)
                    .hasMessageStartingWith("t.csv line 2: field 1 must be a decimal number (such as 1, -0.5 or 2.5e-3), got '" + bad.trim() + "'");
        }
        assertThatThrownBy(() -> csv("1,2,0\nInfinity,4,1\n")).hasMessage("t.csv line 2: field 1 must be a finite number, got 'Infinity'");
        assertThatThrownBy(() -> csv("1,2,0\n1e39,4,1\n")).hasMessage("t.csv line 2: field 1 must be a finite float32 number, got '1e39'");
    }

    @Test
    void classesAreBoundedByTheRowsAndAnAbsoluteCap() {
        String rows8 = "1,2,0\n".repeat(7);
        // 100,000,000 and 5,000,000 used to build huge models (or run out of memory); 2^31-1 overflowed; 99999999999 was "not a whole number"
        for (String big : new String[] {"100000000", "5000000", "2147483647", "99999999999", "65536"}) {
            assertThatThrownBy(() -> csv(rows8 + "3,4," + big + "\n")).as(big).isInstanceOf(MalformedDataException.class)
                    .hasMessage("t.csv line 8: label " + big + " would make more than 65536 classes; labels are class numbers 0, 1, 2, ...");
        }
        assertThatThrownBy(() -> csv(rows8 + "3,4,1000\n")).hasMessage("t.csv: the largest label, 1000, would make 1001 classes for 8 rows; "
                + "class numbers must run 0, 1, 2, ... with at most one class per row");
    }

    @Test
    void binaryDataAndByteOrderMarksAreHandled() throws IOException {
        assertThat(csv("\uFEFF1,2,0\n3,4,1\n").x()).containsExactly(1f, 2f, 3f, 4f);
        assertThatThrownBy(() -> csv("1,2,0\n3,\u0008\u0000,1\n")).isInstanceOf(MalformedDataException.class)
                .hasMessage("t.csv line 2: holds binary data (byte 0x08 at character 3): this is not a CSV text file");
        // the shipped IDX labels file, handed over as CSV
        byte[] idx;
        try (var in = Datasets.class.getResourceAsStream("/org/rmsprop4j/data/mnist10k-test-labels-idx1-ubyte.gz")) {
            idx = in.readAllBytes();
        }
        assertThatThrownBy(() -> CsvLoader.load(new ByteArrayInputStream(idx), "t10k-labels-idx1-ubyte.gz"))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("holds binary data").hasMessageContaining("IDX images are read from");
    }

    @Test
    void theUsualCsvWithAHeaderOfColumnNamesAndALabelColumn() throws IOException {
        Dataset d = csv("a,b,label\n1,2,0\n3,4,1\n");
        assertThat(d.features()).isEqualTo(2);
        assertThat(d.x()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(d.classes()).isEqualTo(2);
        Dataset named = CsvLoader.load(new ByteArrayInputStream("\"species\",x,y\nsetosa,1,2\nversicolor,3,4\nsetosa,5,6\n"
                .getBytes(StandardCharsets.UTF_8)), "t.csv", "species");
        assertThat(named.classNames()).containsExactly("setosa", "versicolor");
        assertThat(named.y()).containsExactly(0, 1, 0);
        assertThat(named.x()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        Dataset byNumber = CsvLoader.load(new ByteArrayInputStream("0,1,2\n1,3,4\n".getBytes(StandardCharsets.UTF_8)), "t.csv", "1");
        assertThat(byNumber.x()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(byNumber.y()).containsExactly(0, 1);
        assertThatThrownBy(() -> CsvLoader.load(new ByteArrayInputStream("a,b,c\n1,2,0\n".getBytes(StandardCharsets.UTF_8)), "t.csv", "d"))
                .hasMessage("t.csv line 1: label column 'd' is not among the header's columns [a, b, c]");
        assertThatThrownBy(() -> CsvLoader.load(new ByteArrayInputStream("1,2,0\n".getBytes(StandardCharsets.UTF_8)), "t.csv", "4"))
                .hasMessage("t.csv line 1: label column 4 does not exist: the file has 3 columns (1..3)");
        assertThatThrownBy(() -> CsvLoader.load(new ByteArrayInputStream("1,2,0\n".getBytes(StandardCharsets.UTF_8)), "t.csv", "y"))
                .hasMessageContaining("label column 'y' is a name, but the file has no header of column names");
    }

    @Test
    void aHugeLineIsRefusedInsteadOfFillingTheHeap() throws IOException {
        String ok = "1,2,0\n3,4,1\r\n5,6,1\r7,8,0";
        assertThat(csv(ok).size()).isEqualTo(4);
        String huge = "1,2,0\n" + "1".repeat(CsvLoader.MAX_LINE_CHARS + 10) + ",0\n";
        assertThatThrownBy(() -> csv(huge)).isInstanceOf(MalformedDataException.class)
                .hasMessage("t.csv line 2: the line is longer than 1048576 characters");
        // an endless stream without a line end (as /dev/zero) ends with the same refusal
        java.io.InputStream endless = new java.io.InputStream() {
            @Override public int read() { return '0'; }
        };
        assertThatThrownBy(() -> CsvLoader.load(endless, "zero")).hasMessage("zero line 1: the line is longer than 1048576 characters");
    }

    @Test
    void truncatedGzipIsRefused() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write("1,2,0\n3,4,1\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        byte[] cut = Arrays.copyOf(bos.toByteArray(), bos.size() - 10);
        assertThatThrownBy(() -> CsvLoader.load(new ByteArrayInputStream(cut), "t.csv.gz")).isInstanceOf(MalformedDataException.class)
                .hasMessageStartingWith("t.csv.gz: damaged gzip data");
    }

    static byte[] idx(int magic, int[] dims, int dataBytes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, magic);
        for (int d : dims) writeInt(b, d);
        for (int i = 0; i < dataBytes; i++) b.write(i % 10);
        return b.toByteArray();
    }

    static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    @Test
    void readsIdxAndRefusesDamagedFiles() throws IOException {
        IdxLoader.Images im = IdxLoader.readImages(new ByteArrayInputStream(idx(2051, new int[] {3, 2, 2}, 12)), "i");
        assertThat(im.count()).isEqualTo(3);
        assertThat(im.pixels()).hasSize(12);
        int[] y = IdxLoader.readLabels(new ByteArrayInputStream(idx(2049, new int[] {3}, 3)), "l");
        assertThat(y).containsExactly(0, 1, 2);
        assertThat(IdxLoader.dataset("d", im, "i", y, "l", 10).size()).isEqualTo(3);

        assertThatThrownBy(() -> IdxLoader.readImages(new ByteArrayInputStream(idx(2049, new int[] {3, 2, 2}, 12)), "img"))
                .isInstanceOf(MalformedDataException.class)
                .hasMessage("img offset 0: magic number must be 2051 (0x00000803, IDX images of unsigned bytes), got 2049 (0x00000801)");
        assertThatThrownBy(() -> IdxLoader.readImages(new ByteArrayInputStream(idx(2051, new int[] {3, 2, 2}, 11)), "img"))
                .hasMessage("img offset 27: truncated: the header promises 28 bytes, the file has 27");
        assertThatThrownBy(() -> IdxLoader.readImages(new ByteArrayInputStream(idx(2051, new int[] {3, 2, 2}, 13)), "img"))
                .hasMessage("img offset 28: 1 unexpected bytes after the data the header describes");
        assertThatThrownBy(() -> IdxLoader.readLabels(new ByteArrayInputStream(Arrays.copyOf(idx(2049, new int[] {3}, 3), 6)), "lab"))
                .hasMessage("lab offset 6: truncated header: expected 8 bytes, got 6");
        assertThatThrownBy(() -> IdxLoader.dataset("d", im, "img", new int[] {1, 2}, "lab", 10))
                .hasMessage("lab offset 4: holds 2 labels but img holds 3 images");
        assertThatThrownBy(() -> IdxLoader.dataset("d", im, "img", new int[] {1, 2, 12}, "lab", 10))
                .hasMessage("lab offset 10: label must be in 0..9, got 12");
    }

    @Test
    void unknownNamesAndMissingFilesAreRefused(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Datasets.load("digitz", 0.2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data set must be one of digits, breast-cancer, iris, wine, mnist10k or an existing file or folder, got 'digitz'");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,0\n1,2,0\n3,4\n");
        assertThatThrownBy(() -> Datasets.load(bad.toString(), 0.2, 1)).hasMessage(bad + " line 3: expected 3 fields (2 features and the label), got 2");
    }

    @Test
    void standardisationIsFittedOnTheTrainingPartOnly() throws IOException {
        Dataset.Split sp = Datasets.load("wine", 0.25, 3);
        Dataset.Split st = sp.standardized();
        Standardizer s = Standardizer.fit(sp.train());
        int d = sp.train().features();
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (int r = 0; r < st.train().size(); r++) sum += st.train().x()[r * d + j];
            assertThat(sum / st.train().size()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(st.test().x()[0]).isEqualTo((float) ((sp.test().x()[0] - s.mean(0)) * s.scale(0)));
        assertThat(Datasets.load("wine", 0.25, 3).test().y()).containsExactly(sp.test().y());
        assertThat(Datasets.load("wine", 0.25, 4).test().y()).isNotEqualTo(sp.test().y());
    }
}
