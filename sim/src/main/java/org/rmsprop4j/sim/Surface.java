package org.rmsprop4j.sim;

import java.util.List;
import java.util.Objects;

/**
 * A 2-D objective {@code f(x, y)} with its analytic gradient, the rectangle worth looking at, a
 * default start point and its known minima. Immutable; {@link Surfaces} holds the catalogue.
 *
 * <h2>Contract</h2>
 * {@link #value} and {@link #gradient} are pure functions defined on the whole plane (not only the
 * domain); outside it they may overflow to infinity, which the {@link Simulator} records as
 * divergence. The gradient is analytic and checked against central finite differences in the tests.
 */
public final class Surface {

    /** A scalar function of two variables. */
    @FunctionalInterface
    public interface Function2 {
        double value(double x, double y);
    }

    /** The gradient of a {@link Function2}: writes {@code ∂f/∂x} to {@code out[0]} and {@code ∂f/∂y} to {@code out[1]}. */
    @FunctionalInterface
    public interface Gradient2 {
        void gradient(double x, double y, double[] out);
    }

    /** A point of the plane. */
    public record Point(double x, double y) {
        /** Parses {@code "x,y"}; refuses anything else naming {@code argument}. */
        public static Point parse(String argument, String text) {
            String[] parts = text == null ? new String[0] : text.split(",");
            if (parts.length == 2) {
                try {
                    double x = Double.parseDouble(parts[0].trim()), y = Double.parseDouble(parts[1].trim());
                    if (Double.isFinite(x) && Double.isFinite(y)) return new Point(x, y);
                } catch (NumberFormatException ignored) {
                    // fall through to the message below
                }
            }
            throw new IllegalArgumentException(argument + " must be two finite numbers 'x,y' (e.g. -1.5,2), got '" + text + "'");
        }

        @Override public String toString() { return "(" + fmt(x) + ", " + fmt(y) + ")"; }
    }

    /** An axis-aligned rectangle {@code [xMin, xMax] × [yMin, yMax]}. */
    public record Domain(double xMin, double xMax, double yMin, double yMax) {
        public Domain {
            if (!(xMin < xMax) || !(yMin < yMax) || !Double.isFinite(xMin + xMax + yMin + yMax)) {
                throw new IllegalArgumentException("domain must be finite with xMin < xMax and yMin < yMax, got "
                        + xMin + ".." + xMax + " × " + yMin + ".." + yMax);
            }
        }

        public boolean contains(double x, double y) { return x >= xMin && x <= xMax && y >= yMin && y <= yMax; }

        public double width() { return xMax - xMin; }

        public double height() { return yMax - yMin; }

        @Override public String toString() { return "[" + fmt(xMin) + ", " + fmt(xMax) + "] × [" + fmt(yMin) + ", " + fmt(yMax) + "]"; }
    }

    private final String name;
    private final String title;
    private final String formula;
    private final String xLabel;
    private final String yLabel;
    private final Domain domain;
    private final Point start;
    private final List<Point> minima;
    private final double minValue;
    private final Function2 f;
    private final Gradient2 grad;

    Surface(String name, String title, String formula, String xLabel, String yLabel, Domain domain, Point start,
            List<Point> minima, double minValue, Function2 f, Gradient2 grad) {
        this.name = Objects.requireNonNull(name);
        this.title = Objects.requireNonNull(title);
        this.formula = Objects.requireNonNull(formula);
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.domain = Objects.requireNonNull(domain);
        this.start = Objects.requireNonNull(start);
        this.minima = List.copyOf(minima);
        this.minValue = minValue;
        this.f = Objects.requireNonNull(f);
        this.grad = Objects.requireNonNull(grad);
    }

    /** Lower-case identifier used on the command line ({@code rosenbrock}, {@code sigmoid-neuron}, ...). */
    public String name() { return name; }

    /** Human-readable name for titles. */
    public String title() { return title; }

    /** The formula in plain text. */
    public String formula() { return formula; }

    /** Name of the first coordinate ({@code x}, or {@code w} for the neuron). */
    public String xLabel() { return xLabel; }

    /** Name of the second coordinate ({@code y}, or {@code b} for the neuron). */
    public String yLabel() { return yLabel; }

    /** The rectangle worth drawing; start points must lie in it. */
    public Domain domain() { return domain; }

    /** The default start point (inside the domain). */
    public Point start() { return start; }

    /** Known global minima (and, where stated in {@link Surfaces}, notable local ones); may be empty. */
    public List<Point> minima() { return minima; }

    /** The global minimum value of {@code f} over the domain, used as the floor of log-loss plots. */
    public double minValue() { return minValue; }

    /** {@code f(x, y)}. */
    public double value(double x, double y) { return f.value(x, y); }

    /** The analytic gradient at {@code (x, y)} into {@code out} (length at least 2). */
    public void gradient(double x, double y, double[] out) { grad.gradient(x, y, out); }

    /** The analytic gradient at {@code (x, y)} as a new array. */
    public double[] gradient(double x, double y) {
        double[] g = new double[2];
        grad.gradient(x, y, g);
        return g;
    }

    /** Refuses a start point outside the domain, naming {@code argument}. */
    public Point checkStart(String argument, Point p) {
        if (p == null || !domain.contains(p.x(), p.y())) {
            throw new IllegalArgumentException(argument + " must lie in the domain of surface '" + name + "', " + domain
                    + ", got " + (p == null ? "null" : p));
        }
        return p;
    }

    @Override public String toString() { return "Surface[" + name + ": " + formula + " on " + domain + "]"; }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return String.valueOf((long) v);
        return String.valueOf(v);
    }
}
