package org.rmsprop4j.train.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads a numeric classification CSV: each row holds the features and then the class label, an
 * integer {@code >= 0}. Gzip-compressed files are recognised by their first bytes.
 *
 * <h2>Format</h2> Comma-separated, one row per line, no quoting; blank lines are skipped. An
 * optional first line {@code rows,features,className0,className1,...} (as in scikit-learn's shipped
 * CSV files: {@code 569,30,malignant,benign}) fixes the row count, the feature count and the class
 * names; labels must then be in {@code 0..classNames-1}. Without it the first row fixes the field
 * count and the classes are {@code 0..max label}. A line is a header when any of its fields is not a
 * number.
 *
 * <h2>Errors</h2> Every refusal is a {@link MalformedDataException} naming the file, the line and
 * the problem: wrong field count, a field that is not a finite number, a label that is not a whole
 * number or is out of range, a row count that disagrees with the header, or a damaged gzip stream.
 */
public final class CsvLoader {
    /** The longest line accepted, in characters; a longer one (say {@code /dev/zero}) is refused instead of filling the heap. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private CsvLoader() {}

    /** Reads {@code file}. */
    public static Dataset load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.getFileName().toString());
        }
    }

    /** Reads {@code in}; {@code source} names it in messages and becomes the data set's name. */
    public static Dataset load(InputStream in, String source) throws IOException {
        try {
            return parse(new BufferedReader(new InputStreamReader(Streams.maybeGunzip(in), StandardCharsets.UTF_8), 1 << 16),
                    source);
        } catch (ZipException | EOFException e) {
            throw new MalformedDataException(source, "", "damaged gzip data (" + e.getMessage() + ")");
        }
    }

    private static Dataset parse(BufferedReader r, String source) throws IOException {
        String line;
        int lineNo = 0;
        int expectRows = -1, features = -1;
        List<String> classNames = null;
        float[] x = new float[1024];
        int[] y = new int[64];
        int rows = 0, maxLabel = -1;
        StringBuilder buf = new StringBuilder();
        while ((line = readLine(r, buf, lineNo + 1, source)) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (features < 0 && classNames == null && rows == 0 && !allNumbers(f)) {
                // header: rows,features,className...
                String where = "line " + lineNo;
                if (f.length < 4) {
                    throw new MalformedDataException(source, where, "a header must be 'rows,features,className0,className1,...' "
                            + "with at least two class names, got '" + abbreviate(line) + "'");
                }
                expectRows = headerInt(f[0], "rows", source, where);
                features = headerInt(f[1], "features", source, where);
                if (features < 1) throw new MalformedDataException(source, where, "header features must be >= 1, got " + features);
                classNames = new ArrayList<>();
                for (int i = 2; i < f.length; i++) classNames.add(f[i].trim());
                continue;
            }
            if (features < 0) {
                if (f.length < 2) {
                    throw new MalformedDataException(source, "line " + lineNo, "expected at least 2 fields (features, then the label), got "
                            + f.length);
                }
                features = f.length - 1;
            }
            if (f.length != features + 1) {
                throw new MalformedDataException(source, "line " + lineNo, "expected " + (features + 1) + " fields (" + features
                        + " features and the label), got " + f.length);
            }
            if ((rows + 1L) * features > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(source, "line " + lineNo, "too many numbers for one array");
            }
            if ((rows + 1) * features > x.length) x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max((long) x.length * 2, (long) (rows + 1) * features)));
            if (rows == y.length) y = Arrays.copyOf(y, y.length * 2);
            for (int j = 0; j < features; j++) {
                String s = f[j].trim();
                double v;
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new MalformedDataException(source, "line " + lineNo, "field " + (j + 1) + " must be a number, got '" + abbreviate(s) + "'");
                }
                if (!Double.isFinite(v) || Float.isInfinite((float) v)) {
                    throw new MalformedDataException(source, "line " + lineNo, "field " + (j + 1) + " must be a finite number, got '" + abbreviate(s) + "'");
                }
                x[rows * features + j] = (float) v;
            }
            String ls = f[features].trim();
            int label;
            try {
                label = Integer.parseInt(ls);
            } catch (NumberFormatException e) {
                throw new MalformedDataException(source, "line " + lineNo, "the label (field " + (features + 1)
                        + ") must be a whole number >= 0, got '" + abbreviate(ls) + "'");
            }
            if (label < 0 || (classNames != null && label >= classNames.size())) {
                throw new MalformedDataException(source, "line " + lineNo, classNames == null ? "label must be >= 0, got " + label
                        : "label must be in 0.." + (classNames.size() - 1) + " (the header names " + classNames.size()
                        + " classes), got " + label);
            }
            y[rows] = label;
            maxLabel = Math.max(maxLabel, label);
            rows++;
        }
        if (rows == 0) throw new MalformedDataException(source, "", "no data rows");
        if (expectRows >= 0 && rows != expectRows) {
            throw new MalformedDataException(source, "line " + lineNo, "the header says " + expectRows + " rows, the file has " + rows);
        }
        if (classNames == null) {
            if (maxLabel < 1) throw new MalformedDataException(source, "", "labels must name at least 2 classes, all are " + maxLabel);
            classNames = Dataset.numberedClasses(maxLabel + 1);
        }
        return new Dataset(source, features, classNames, Arrays.copyOf(x, rows * features), Arrays.copyOf(y, rows));
    }

    /** As {@link BufferedReader#readLine()} (a line ends at LF, CR or CR LF), but refuses a line longer than {@link #MAX_LINE_CHARS}. */
    private static String readLine(BufferedReader r, StringBuilder buf, int lineNo, String source) throws IOException {
        buf.setLength(0);
        int c;
        while ((c = r.read()) >= 0) {
            if (c == '\n') return buf.toString();
            if (c == '\r') {
                r.mark(1);
                if (r.read() != '\n') r.reset();
                return buf.toString();
            }
            if (buf.length() == MAX_LINE_CHARS) {
                throw new MalformedDataException(source, "line " + lineNo, "the line is longer than " + MAX_LINE_CHARS + " characters");
            }
            buf.append((char) c);
        }
        return buf.length() == 0 ? null : buf.toString();
    }

    private static boolean allNumbers(String[] f) {
        for (String s : f) {
            try {
                Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static int headerInt(String s, String what, String source, String where) throws MalformedDataException {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new MalformedDataException(source, where, "header " + what + " must be a whole number >= 0, got '" + abbreviate(s) + "'");
        }
    }

    private static String abbreviate(String s) { return s.length() <= 60 ? s : s.substring(0, 57) + "..."; }
}
