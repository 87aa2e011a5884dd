package org.rmsprop4j.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * The one vector width every Vector API loop of the library uses ({@link Float8Vector}, {@link Blockwise8Vector},
 * {@link ProfileVectorF32}, {@link ProfileVectorF64}, {@link ProfileVectorTribuo}, and train's MLP products): 512 bits where the JVM prefers
 * 512-bit vectors (AVX-512), 256 bits otherwise, or what {@value #PROPERTY} says ({@code 256} or {@code 512}; 512 only
 * where the JVM prefers it). Read once, when the first of those classes is initialised.
 *
 * <p>Why one width: on JDK 17, a JVM that runs Vector API loops of two widths for the same element type (say
 * {@code Int256Vector} in one loop and {@code Int512Vector} in another) shares the type profiles of the API's own
 * methods between the two shapes, and C2 then keeps vectors as heap objects in the loops it compiles after that
 * (measured: an Adam step on float8 state 20–50× slower, allocating about 60 bytes per value). With every loop on
 * this one width, a JVM never mixes shapes. The loops give the same bits at either width (tests run both, one per JVM).
 *
 * <p>Links only with {@code --add-modules jdk.incubator.vector}; callers probe for the module first.
 */
public final class VectorWidth {
    private VectorWidth() {}

    /** System property that sets the width: {@code -Drmsprop4j.vector.bits=256} or {@code =512}. */
    public static final String PROPERTY = VectorWidthProperty.NAME;

    /** The width in bits, 256 or 512. */
    public static final int BITS = choose(System.getProperty(PROPERTY), FloatVector.SPECIES_PREFERRED.vectorBitSize());

    /**
     * The width for a requested value (null: none) on a JVM preferring {@code preferred} bits: 512 if requested or, with no
     * request, preferred and supported; 256 otherwise. A request of 512 on a JVM that prefers less gives 256.
     *
     * @throws IllegalArgumentException if {@code requested} is neither null, "256" nor "512"
     */
    static int choose(String requested, int preferred) {
        int r = VectorWidthProperty.requested(requested);
        return r == 256 || preferred < 512 ? 256 : 512;
    }
}
