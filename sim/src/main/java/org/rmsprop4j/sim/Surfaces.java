package org.rmsprop4j.sim;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.rmsprop4j.sim.Surface.Domain;
import org.rmsprop4j.sim.Surface.Point;

/**
 * The catalogue of {@link Surface}s. Each factory documents the formula, the domain, the start and
 * the minima; {@link #byName(String)} finds one by its command-line name.
 */
public final class Surfaces {
    private Surfaces() {}

    /** Inputs of the seed article's neuron. */
    private static final double[] NEURON_X = {0.5, 2.5};
    /** Targets of the seed article's neuron. */
    private static final double[] NEURON_Y = {0.2, 0.9};

    /**
     * The seed article's error surface of one sigmoid neuron {@code f(x) = 1/(1+exp(−(w·x+b)))} over
     * its weight and bias: {@code L(w, b) = Σ ½(f(x)−y)²} over {@code X = [0.5, 2.5]},
     * {@code Y = [0.2, 0.9]}. Both points are fitted exactly at {@code w = ln 6},
     * {@code b = ln(1/4) − ln(6)/2}, where {@code L = 0}. Domain {@code [−6, 6]²}, start (−2, −2) as
     * in the article's demo; large flat plateaus make plain gradient descent slow.
     */
    public static Surface sigmoidNeuron() {
        double wStar = Math.log(6.0);
        double bStar = Math.log(0.25) - wStar / 2;
        return new Surface("sigmoid-neuron", "Sigmoid neuron error surface",
                "L(w,b) = Σ ½(σ(w·x+b) − y)², X = [0.5, 2.5], Y = [0.2, 0.9]", "w", "b",
                new Domain(-6, 6, -6, 6), new Point(-2, -2), List.of(new Point(wStar, bStar)), 0.0,
                (w, b) -> {
                    double s = 0;
                    for (int i = 0; i < NEURON_X.length; i++) {
                        double d = sigmoid(w * NEURON_X[i] + b) - NEURON_Y[i];
                        s += 0.5 * d * d;
                    }
                    return s;
                },
                (w, b, out) -> {
                    double gw = 0, gb = 0;
                    for (int i = 0; i < NEURON_X.length; i++) {
                        double fx = sigmoid(w * NEURON_X[i] + b);
                        double common = (fx - NEURON_Y[i]) * fx * (1 - fx);
                        gw += common * NEURON_X[i];
                        gb += common;
                    }
                    out[0] = gw;
                    out[1] = gb;
                });
    }

    /**
     * An ill-conditioned elliptic bowl {@code f = 0.05·x² + 2.5·y²} (curvatures 0.1 and 5, condition
     * number 50): the "vertical oscillation" picture. Gradient descent and momentum zig-zag across
     * the steep y direction while creeping along x; RMSprop divides each axis by its own gradient scale.
     * Domain {@code [−10, 10] × [−4, 4]}, start (−9, 3), minimum (0, 0).
     */
    public static Surface ellipticBowl() {
        return new Surface("bowl", "Ill-conditioned elliptic bowl", "f = 0.05·x² + 2.5·y²", "x", "y",
                new Domain(-10, 10, -4, 4), new Point(-9, 3), List.of(new Point(0, 0)), 0.0,
                (x, y) -> 0.05 * x * x + 2.5 * y * y,
                (x, y, out) -> {
                    out[0] = 0.1 * x;
                    out[1] = 5.0 * y;
                });
    }

    /**
     * A long narrow valley along the diagonal: with {@code u = (x+y)/√2}, {@code v = (x−y)/√2},
     * {@code f = 0.01·u² + 5·v²}. The valley is not aligned with the axes, so per-axis scaling
     * (RMSprop, AdaGrad) helps less than on the {@link #ellipticBowl() bowl}. Domain {@code [−6, 6]²},
     * start (−5, −3), minimum (0, 0).
     */
    public static Surface narrowValley() {
        final double r = Math.sqrt(0.5);
        return new Surface("valley", "Long narrow diagonal valley", "f = 0.01·u² + 5·v², u = (x+y)/√2, v = (x−y)/√2",
                "x", "y", new Domain(-6, 6, -6, 6), new Point(-5, -3), List.of(new Point(0, 0)), 0.0,
                (x, y) -> {
                    double u = (x + y) * r, v = (x - y) * r;
                    return 0.01 * u * u + 5 * v * v;
                },
                (x, y, out) -> {
                    double u = (x + y) * r, v = (x - y) * r;
                    double du = 0.02 * u, dv = 10 * v;
                    out[0] = (du + dv) * r;
                    out[1] = (du - dv) * r;
                });
    }

    /**
     * Rosenbrock's banana {@code f = (1−x)² + 100·(y−x²)²}: a curved valley with a flat floor.
     * Domain {@code [−2, 2] × [−1, 3]}, start (−1.5, 2), minimum (1, 1).
     */
    public static Surface rosenbrock() {
        return new Surface("rosenbrock", "Rosenbrock", "f = (1 − x)² + 100·(y − x²)²", "x", "y",
                new Domain(-2, 2, -1, 3), new Point(-1.5, 2), List.of(new Point(1, 1)), 0.0,
                (x, y) -> {
                    double a = 1 - x, b = y - x * x;
                    return a * a + 100 * b * b;
                },
                (x, y, out) -> {
                    double b = y - x * x;
                    out[0] = -2 * (1 - x) - 400 * x * b;
                    out[1] = 200 * b;
                });
    }

    /**
     * Beale's function {@code f = (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²}: flat regions and
     * steep walls. Domain {@code [−4.5, 4.5]²}, start (1, 1.5), minimum (3, 0.5).
     */
    public static Surface beale() {
        return new Surface("beale", "Beale", "f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²", "x", "y",
                new Domain(-4.5, 4.5, -4.5, 4.5), new Point(1, 1.5), List.of(new Point(3, 0.5)), 0.0,
                (x, y) -> {
                    double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y * y, t3 = 2.625 - x + x * y * y * y;
                    return t1 * t1 + t2 * t2 + t3 * t3;
                },
                (x, y, out) -> {
                    double y2 = y * y, y3 = y2 * y;
                    double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y2, t3 = 2.625 - x + x * y3;
                    out[0] = 2 * t1 * (y - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1);
                    out[1] = 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y2;
                });
    }

    /**
     * Himmelblau's function {@code f = (x²+y−11)² + (x+y²−7)²}: four global minima of value 0.
     * Domain {@code [−5, 5]²}, start (0, 0).
     */
    public static Surface himmelblau() {
        return new Surface("himmelblau", "Himmelblau", "f = (x² + y − 11)² + (x + y² − 7)²", "x", "y",
                new Domain(-5, 5, -5, 5), new Point(0, 0),
                List.of(new Point(3, 2), new Point(-2.805118086952745, 3.131312518250573),
                        new Point(-3.779310253377747, -3.283185991286170), new Point(3.584428340330492, -1.848126526964404)),
                0.0,
                (x, y) -> {
                    double a = x * x + y - 11, b = x + y * y - 7;
                    return a * a + b * b;
                },
                (x, y, out) -> {
                    double a = x * x + y - 11, b = x + y * y - 7;
                    out[0] = 4 * x * a + 2 * b;
                    out[1] = 2 * a + 4 * y * b;
                });
    }

    /**
     * Booth's function {@code f = (x+2y−7)² + (2x+y−5)²}: a tilted quadratic bowl.
     * Domain {@code [−10, 10]²}, start (−8, −8), minimum (1, 3).
     */
    public static Surface booth() {
        return new Surface("booth", "Booth", "f = (x + 2y − 7)² + (2x + y − 5)²", "x", "y",
                new Domain(-10, 10, -10, 10), new Point(-8, -8), List.of(new Point(1, 3)), 0.0,
                (x, y) -> {
                    double a = x + 2 * y - 7, b = 2 * x + y - 5;
                    return a * a + b * b;
                },
                (x, y, out) -> {
                    double a = x + 2 * y - 7, b = 2 * x + y - 5;
                    out[0] = 2 * a + 4 * b;
                    out[1] = 4 * a + 2 * b;
                });
    }

    /**
     * A saddle between two valleys: {@code f = x² + y⁴/4 − y²/2}. The origin is a saddle point
     * (a minimum along x, a maximum along y); the minima are (0, ±1) with value −1/4. Starting just
     * off the ridge, (−1.8, 0.01), the y gradient is tiny: plain gradient descent lingers near the
     * saddle, while adaptive methods rescale the small gradient and escape. Domain {@code [−2, 2]²}.
     */
    public static Surface saddle() {
        return new Surface("saddle", "Saddle between two valleys", "f = x² + y⁴/4 − y²/2", "x", "y",
                new Domain(-2, 2, -2, 2), new Point(-1.8, 0.01), List.of(new Point(0, 1), new Point(0, -1)), -0.25,
                (x, y) -> x * x + 0.25 * y * y * y * y - 0.5 * y * y,
                (x, y, out) -> {
                    out[0] = 2 * x;
                    out[1] = y * y * y - y;
                });
    }

    /**
     * Rastrigin's function {@code f = 20 + x² − 10·cos(2πx) + y² − 10·cos(2πy)}: a bowl covered in
     * regularly spaced local minima. Domain {@code [−5.12, 5.12]²}, start (−4.5, 4.2), global minimum (0, 0).
     */
    public static Surface rastrigin() {
        final double tp = 2 * Math.PI;
        return new Surface("rastrigin", "Rastrigin", "f = 20 + x² − 10·cos(2πx) + y² − 10·cos(2πy)", "x", "y",
                new Domain(-5.12, 5.12, -5.12, 5.12), new Point(-4.5, 4.2), List.of(new Point(0, 0)), 0.0,
                (x, y) -> 20 + x * x - 10 * Math.cos(tp * x) + y * y - 10 * Math.cos(tp * y),
                (x, y, out) -> {
                    out[0] = 2 * x + 10 * tp * Math.sin(tp * x);
                    out[1] = 2 * y + 10 * tp * Math.sin(tp * y);
                });
    }

    /** The coordinate of the Styblinski–Tang global minimum along each axis (root of 4x³ − 32x + 5). */
    static final double STYBLINSKI_TANG_ARGMIN = -2.903534027771178;

    /**
     * The Styblinski–Tang function {@code f = ½·Σ (xᵢ⁴ − 16·xᵢ² + 5·xᵢ)}: one global minimum at
     * (−2.9035, −2.9035) with value ≈ −78.332, and three local ones. Domain {@code [−5, 5]²},
     * start (4, −0.5).
     */
    public static Surface styblinskiTang() {
        Surface.Function2 f = (x, y) -> 0.5 * (x * x * x * x - 16 * x * x + 5 * x + y * y * y * y - 16 * y * y + 5 * y);
        double m = STYBLINSKI_TANG_ARGMIN;
        return new Surface("styblinski-tang", "Styblinski–Tang", "f = ½·Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ)", "x", "y",
                new Domain(-5, 5, -5, 5), new Point(4, -0.5), List.of(new Point(m, m)), f.value(m, m), f,
                (x, y, out) -> {
                    out[0] = 0.5 * (4 * x * x * x - 32 * x + 5);
                    out[1] = 0.5 * (4 * y * y * y - 32 * y + 5);
                });
    }

    /**
     * A plateau around a single well: {@code f = 1 − exp(−(x² + y²)/2)}. Far from the origin the
     * gradient is nearly zero (at the start (−3.5, 3) it is about 10⁻⁴), so plain gradient descent
     * barely moves while RMSprop, which divides by the gradient's own scale, crosses the plateau at
     * the pace of its learning rate. Domain {@code [−5, 5]²}, minimum (0, 0).
     */
    public static Surface plateau() {
        return new Surface("plateau", "Plateau around a well", "f = 1 − exp(−(x² + y²)/2)", "x", "y",
                new Domain(-5, 5, -5, 5), new Point(-3.5, 3), List.of(new Point(0, 0)), 0.0,
                (x, y) -> 1 - Math.exp(-0.5 * (x * x + y * y)),
                (x, y, out) -> {
                    double e = Math.exp(-0.5 * (x * x + y * y));
                    out[0] = x * e;
                    out[1] = y * e;
                });
    }

    /** Every surface, in a fixed order. */
    public static List<Surface> all() {
        return List.of(sigmoidNeuron(), ellipticBowl(), narrowValley(), rosenbrock(), beale(), himmelblau(), booth(),
                saddle(), rastrigin(), styblinskiTang(), plateau());
    }

    /** Names accepted by {@link #byName(String)}. */
    public static List<String> names() { return all().stream().map(Surface::name).toList(); }

    /** The surface called {@code name} (case-insensitive); refuses unknown names with the list of known ones. */
    public static Surface byName(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Surface s : all()) if (s.name().equals(n)) return s;
        }
        throw new IllegalArgumentException("surface must be one of " + String.join(", ", names()) + ", got "
                + (name == null ? "null" : "'" + name + "'"));
    }

    /** A one-line-per-surface listing for help texts. */
    public static String describeAll() {
        return all().stream().map(s -> s.name() + ": " + s.formula() + " on " + s.domain() + ", start " + s.start())
                .collect(Collectors.joining("\n"));
    }

    static double sigmoid(double z) { return 1.0 / (1.0 + Math.exp(-z)); }
}
