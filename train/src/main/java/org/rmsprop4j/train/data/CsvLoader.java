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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/**
 * Reads a classification CSV: each row holds the features, numbers, and a label. Gzip-compressed
 * files are recognised by their first bytes.
 *
 * <h2>Format</h2> UTF-8 text (a leading byte-order mark is skipped), comma-separated, one row per
 * line (LF, CR LF or CR), no quoted commas (a field's surrounding double quotes are removed); blank
 * lines are skipped. Features are decimal numbers ({@code 1}, {@code -0.5}, {@code 2.5e-3}; not
 * {@code 0x1p3}, {@code 1f}, {@code 1d}, NaN or infinities). The label is in the last column unless a
 * label column is given, by its 1-based number or, with a header of column names, by name. Labels
 * are class numbers {@code 0, 1, 2, ...} when every label is a whole number; otherwise every label is
 * a class name and the classes are the distinct names, sorted. The first line may be:
 * <ul>
 *   <li>a header of column names, such as {@code sepal_length,sepal_width,species} (a line that is not
 *       all numbers and is not the form below);</li>
 *   <li>scikit-learn's form {@code rows,features,className0,className1,...} (as in its shipped
 *       {@code 569,30,malignant,benign}): it fixes the row count, the feature count (the label is
 *       then the last column) and the class names; labels must then be in {@code 0..classNames-1}.</li>
 * </ul>
 * Without either, the first row fixes the field count.
 *
 * <h2>Bounds</h2> At most {@value #MAX_CLASSES} classes, and with class numbers at most one class
 * per data row: a label of 1,000,000 in an 8-row file is refused rather than making a model with a
 * million outputs. Lines are at most {@value #MAX_LINE_CHARS} characters.
 *
 * <h2>Errors</h2> Every refusal is a {@link MalformedDataException} naming the file, the line and
 * the problem: binary data, wrong field count, a field that is not a finite decimal number, a label
 * out of range, a row count that disagrees with the header, or a damaged gzip stream. Messages show
 * the file's characters with control characters escaped.
 */
public final class CsvLoader {
    /** The longest line accepted, in characters; a longer one (say {@code /dev/zero}) is refused instead of filling the heap. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    /** The most classes a file may have. */
    public static final int MAX_CLASSES = 1 << 16;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern WHOLE = Pattern.compile("\\+?\\d+");

    private CsvLoader() {}

    /** Reads {@code file}, the label in the last column. */
    public static Dataset load(Path file) throws IOException { return load(file, null); }

    /**
     * Reads {@code file}; the path as given names it in messages.
     *
     * @param labelColumn the label's column: a 1-based number, or a name from a header of column names;
     *                    {@code null} for the last column
     */
    public static Dataset load(Path file, String labelColumn) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString(), labelColumn);
        }
    }

    /** Reads {@code in}, the label in the last column; {@code source} names it in messages and becomes the data set's name. */
    public static Dataset load(InputStream in, String source) throws IOException { return load(in, source, null); }

    /** Reads {@code in}; {@code source} names it in messages and becomes the data set's name. */
    public static Dataset load(InputStream in, String source, String labelColumn) throws IOException {
        try {
            return parse(new BufferedReader(new InputStreamReader(Streams.maybeGunzip(in), StandardCharsets.UTF_8), 1 << 16),
                    source, labelColumn);
        } catch (ZipException | EOFException e) {
            throw new MalformedDataException(source, "", "damaged gzip data (" + e.getMessage() + ")");
        }
    }

    private static Dataset parse(BufferedReader r, String source, String labelColumn) throws IOException {
        String line;
        int lineNo = 0;
        int expectRows = -1, fields = -1, labelAt = -1;
        List<String> classNames = null, columns = null;
        float[] x = new float[1024];
        int[] y = new int[64];
        int rows = 0, maxLabel = -1;
        boolean named = false; // labels are class names
        Map<String, Integer> names = new HashMap<>();
        List<String> nameOrder = new ArrayList<>();
        int firstNamedLine = 0;
        StringBuilder buf = new StringBuilder();
        while ((line = readLine(r, buf, lineNo + 1, source)) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1); // byte-order mark
            checkText(line, source, lineNo);
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (fields < 0 && rows == 0 && !allNumbers(f)) {
                String where = "line " + lineNo;
                if (isSklearnHeader(f)) { // rows,features,className...
                    expectRows = headerInt(f[0], "rows", source, where);
                    int features = headerInt(f[1], "features", source, where);
                    if (features < 1) throw new MalformedDataException(source, where, "header features must be >= 1, got " + features);
                    if (f.length - 2 > MAX_CLASSES) throw new MalformedDataException(source, where, "the header names more than " + MAX_CLASSES + " classes");
                    classNames = new ArrayList<>();
                    for (int i = 2; i < f.length; i++) classNames.add(unquote(f[i]));
                    fields = features + 1;
                    labelAt = labelIndex(labelColumn, fields, null, source, where);
                    if (labelAt != features) {
                        throw new MalformedDataException(source, where, "with a 'rows,features,className...' header the label is the last column ("
                                + fields + "), not " + labelColumn);
                    }
                } else { // column names
                    columns = new ArrayList<>();
                    for (String c : f) columns.add(unquote(c));
                    if (columns.size() < 2) throw new MalformedDataException(source, where, "expected at least 2 columns (features and the label), got 1");
                    fields = columns.size();
                    labelAt = labelIndex(labelColumn, fields, columns, source, where);
                }
                continue;
            }
            if (fields < 0) {
                if (f.length < 2) {
                    throw new MalformedDataException(source, "line " + lineNo, "expected at least 2 fields (features and the label), got "
                            + f.length);
                }
                fields = f.length;
                labelAt = labelIndex(labelColumn, fields, null, source, "line " + lineNo);
            }
            int features = fields - 1;
            if (f.length != fields) {
                throw new MalformedDataException(source, "line " + lineNo, "expected " + fields + " fields (" + features
                        + " features and the label), got " + f.length);
            }
            if ((rows + 1L) * features > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(source, "line " + lineNo, "too many numbers for one array");
            }
            if ((rows + 1) * features > x.length) x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max((long) x.length * 2, (long) (rows + 1) * features)));
            if (rows == y.length) y = Arrays.copyOf(y, y.length * 2);
            for (int j = 0, k = 0; j < fields; j++) {
                if (j == labelAt) continue;
                String s = unquote(f[j]);
                if (!DECIMAL.matcher(s).matches()) {
                    boolean nonFinite = s.equalsIgnoreCase("nan") || s.matches("(?i)[+-]?inf(inity)?");
                    throw new MalformedDataException(source, "line " + lineNo, "field " + (j + 1) + (nonFinite ? " must be a finite number, got '"
                            : " must be a decimal number (such as 1, -0.5 or 2.5e-3), got '") + abbreviate(s) + "'");
                }
                double v = Double.parseDouble(s);
                if (Float.isInfinite((float) v)) {
                    throw new MalformedDataException(source, "line " + lineNo, "field " + (j + 1) + " must be a finite float32 number, got '" + abbreviate(s) + "'");
                }
                x[rows * features + k++] = (float) v;
            }
            String ls = unquote(f[labelAt]);
            int label;
            if (!WHOLE.matcher(ls).matches() && DECIMAL.matcher(ls).matches()) {
                throw new MalformedDataException(source, "line " + lineNo, "the label (field " + (labelAt + 1)
                        + ") must be a class number 0, 1, 2, ... or a class name, got the number '" + abbreviate(ls) + "'");
            }
            if (WHOLE.matcher(ls).matches() && !named) {
                String digits = ls.startsWith("+") ? ls.substring(1) : ls;
                int limit = classNames != null ? classNames.size() : MAX_CLASSES;
                long v = digits.replaceFirst("^0+(?=.)", "").length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
                if (v >= limit) {
                    throw new MalformedDataException(source, "line " + lineNo, classNames != null
                            ? "label must be in 0.." + (classNames.size() - 1) + " (the header names " + classNames.size() + " classes), got " + abbreviate(ls)
                            : "label " + abbreviate(ls) + " would make more than " + MAX_CLASSES + " classes; labels are class numbers 0, 1, 2, ...");
                }
                label = (int) v;
                maxLabel = Math.max(maxLabel, label);
                names.putIfAbsent(ls, label);
            } else {
                if (classNames != null) {
                    throw new MalformedDataException(source, "line " + lineNo, "label must be in 0.." + (classNames.size() - 1)
                            + " (the header names " + classNames.size() + " classes), got '" + abbreviate(ls) + "'");
                }
                if (ls.isEmpty()) throw new MalformedDataException(source, "line " + lineNo, "the label (field " + (labelAt + 1) + ") is empty");
                if (!named) { // from now on labels are class names; the rows read so far keep theirs as names
                    named = true;
                    firstNamedLine = lineNo;
                    names.clear();
                    for (int i = 0; i < rows; i++) {
                        String n = Integer.toString(y[i]);
                        y[i] = names.computeIfAbsent(n, k -> { nameOrder.add(k); return nameOrder.size() - 1; });
                    }
                }
                Integer id = names.get(ls);
                if (id == null) {
                    if (names.size() == MAX_CLASSES) {
                        throw new MalformedDataException(source, "line " + lineNo, "more than " + MAX_CLASSES + " distinct labels");
                    }
                    id = names.size();
                    names.put(ls, id);
                    nameOrder.add(ls);
                }
                label = id;
            }
            y[rows] = label;
            rows++;
        }
        if (rows == 0) throw new MalformedDataException(source, "", lineNo == 0 ? "no data rows (the file is empty)" : "no data rows");
        if (expectRows >= 0 && rows != expectRows) {
            throw new MalformedDataException(source, "line " + lineNo, "the header says " + expectRows + " rows, the file has " + rows);
        }
        if (named) { // classes: the distinct names, sorted
            List<String> sorted = new ArrayList<>(nameOrder);
            java.util.Collections.sort(sorted);
            int[] map = new int[nameOrder.size()];
            for (int i = 0; i < map.length; i++) map[i] = sorted.indexOf(nameOrder.get(i));
            for (int i = 0; i < rows; i++) y[i] = map[y[i]];
            if (sorted.size() < 2) throw new MalformedDataException(source, "", "labels must name at least 2 classes, all are '" + abbreviate(sorted.get(0)) + "'");
            classNames = sorted;
        } else if (classNames == null) {
            if (maxLabel < 1) throw new MalformedDataException(source, "", "labels must name at least 2 classes, all are " + maxLabel);
            if (maxLabel + 1 > Math.max(2, rows)) {
                throw new MalformedDataException(source, "", "the largest label, " + maxLabel + ", would make " + (maxLabel + 1L) + " classes for "
                        + rows + " rows; class numbers must run 0, 1, 2, ... with at most one class per row");
            }
            classNames = Dataset.numberedClasses(maxLabel + 1);
        }
        return new Dataset(source, fields - 1, classNames, Arrays.copyOf(x, rows * (fields - 1)), Arrays.copyOf(y, rows));
    }

    /** The 0-based label column: {@code spec} is null (last), a 1-based number, or a column name of {@code columns}. */
    private static int labelIndex(String spec, int fields, List<String> columns, String source, String where) throws MalformedDataException {
        if (spec == null) return fields - 1;
        String s = spec.trim();
        if (WHOLE.matcher(s).matches()) {
            long v = s.length() > 9 ? Long.MAX_VALUE : Long.parseLong(s.replace("+", ""));
            if (v < 1 || v > fields) {
                throw new MalformedDataException(source, where, "label column " + spec + " does not exist: the file has " + fields + " columns (1.." + fields + ")");
            }
            return (int) v - 1;
        }
        if (columns == null) {
            throw new MalformedDataException(source, where, "label column '" + spec + "' is a name, but the file has no header of column names; "
                    + "give the column's number (1.." + fields + ")");
        }
        int i = columns.indexOf(s);
        if (i < 0) throw new MalformedDataException(source, where, "label column '" + spec + "' is not among the header's columns " + abbreviate(columns.toString()));
        return i;
    }

    /** scikit-learn's {@code rows,features,className0,className1,...}: two whole numbers, then at least two fields that are not all numbers. */
    private static boolean isSklearnHeader(String[] f) {
        if (f.length < 4 || !WHOLE.matcher(unquote(f[0])).matches() || !WHOLE.matcher(unquote(f[1])).matches()) return false;
        return !allNumbers(Arrays.copyOfRange(f, 2, f.length));
    }

    /** Refuses binary data (control characters other than tab) before any of it is parsed or echoed. */
    private static void checkText(String line, String source, int lineNo) throws MalformedDataException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c == '\uFFFD') {
                throw new MalformedDataException(source, "line " + lineNo, String.format(java.util.Locale.ROOT,
                        "holds binary data (%s at character %d): this is not a CSV text file%s", c == '\uFFFD' ? "bytes that are not UTF-8"
                                : String.format(java.util.Locale.ROOT, "byte 0x%02x", (int) c), i + 1,
                        source.contains("idx") ? " (IDX images are read from a file whose name contains 'images-idx3', with its 'labels-idx1' file beside it, "
                                + "or from a folder of MNIST files)" : ""));
            }
        }
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1).trim() : t;
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
        for (String s : f) if (!DECIMAL.matcher(unquote(s)).matches()) return false;
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

    /** At most 60 characters, control and other invisible characters escaped as {@code \\uXXXX}. */
    static String abbreviate(String s) {
        String t = s.length() <= 60 ? s : s.substring(0, 57) + "...";
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == '\uFFFD') {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
