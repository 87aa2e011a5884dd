package org.rmsprop4j.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SurfacesTest {

    static Stream<Surface> surfaces() { return Surfaces.all().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void analyticGradientMatchesCentralFiniteDifferences(Surface s) {
        Random rnd = new Random(42);
        Surface.Domain d = s.domain();
        for (int i = 0; i < 200; i++) {
            double x = d.xMin() + rnd.nextDouble() * d.width();
            double y = d.yMin() + rnd.nextDouble() * d.height();
            double[] g = s.gradient(x, y);
            double h = 1e-6;
            double fx = (s.value(x + h, y) - s.value(x - h, y)) / (2 * h);
            double fy = (s.value(x, y + h) - s.value(x, y - h)) / (2 * h);
            double scale = Math.max(1.0, Math.abs(s.value(x, y)));
            assertThat(g[0]).as("%s df/dx at (%s, %s)", s.name(), x, y).isCloseTo(fx, org.assertj.core.data.Offset.offset(1e-5 * scale + 1e-6 * Math.abs(fx)));
            assertThat(g[1]).as("%s df/dy at (%s, %s)", s.name(), x, y).isCloseTo(fy, org.assertj.core.data.Offset.offset(1e-5 * scale + 1e-6 * Math.abs(fy)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void minimaAreStationaryAndAtTheStatedValue(Surface s) {
        assertThat(s.domain().contains(s.start().x(), s.start().y())).isTrue();
        assertThat(s.minima()).isNotEmpty();
        for (Surface.Point m : s.minima()) {
            assertThat(s.domain().contains(m.x(), m.y())).isTrue();
            double[] g = s.gradient(m.x(), m.y());
            assertThat(Math.hypot(g[0], g[1])).as("gradient norm at %s on %s", m, s.name()).isLessThan(1e-9);
            assertThat(s.value(m.x(), m.y())).isCloseTo(s.minValue(), org.assertj.core.data.Offset.offset(1e-12));
        }
        // no point of a coarse grid is below the stated global minimum
        Surface.Domain d = s.domain();
        for (int i = 0; i <= 100; i++) {
            for (int j = 0; j <= 100; j++) {
                double x = d.xMin() + d.width() * i / 100, y = d.yMin() + d.height() * j / 100;
                assertThat(s.value(x, y)).isGreaterThanOrEqualTo(s.minValue() - 1e-9);
            }
        }
    }

    @Test
    void sigmoidNeuronMatchesTheArticle() {
        Surface s = Surfaces.sigmoidNeuron();
        Surface.Point m = s.minima().get(0);
        assertThat(m.x()).isEqualTo(1.791759469228055, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(m.y()).isEqualTo(-2.282174095733918, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(s.start()).isEqualTo(new Surface.Point(-2, -2));
        // by hand at (0, 0): f(x) = 0.5 for both inputs, L = 0.5*(0.3² + 0.4²) = 0.125
        assertThat(s.value(0, 0)).isEqualTo(0.125, org.assertj.core.data.Offset.offset(1e-15));
        // dL/db = Σ (f−y) f (1−f) = 0.25*(0.3 − 0.4) = −0.025; dL/dw = 0.25*(0.3*0.5 − 0.4*2.5) = −0.2125
        assertThat(s.gradient(0, 0)).containsExactly(new double[] {-0.2125, -0.025}, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void unknownSurfaceAndOutOfDomainStartAreRefusedWithTheAcceptedValues() {
        assertThatThrownBy(() -> Surfaces.byName("banana"))
                .hasMessageContaining("surface must be one of").hasMessageContaining("rosenbrock").hasMessageContaining("'banana'");
        assertThat(Surfaces.byName(" Rosenbrock ").name()).isEqualTo("rosenbrock");
        assertThatThrownBy(() -> Surfaces.rosenbrock().checkStart("--start", new Surface.Point(5, 0)))
                .hasMessageContaining("--start must lie in the domain").hasMessageContaining("[-2, 2] × [-1, 3]").hasMessageContaining("(5, 0)");
        assertThatThrownBy(() -> Surface.Point.parse("--start", "1;2")).hasMessageContaining("--start must be two finite numbers");
        assertThat(Surface.Point.parse("--start", "-1.5, 2")).isEqualTo(new Surface.Point(-1.5, 2));
    }

    @Test
    void namesAreUnique() {
        assertThat(Surfaces.names()).doesNotHaveDuplicates().hasSize(11);
    }
}
