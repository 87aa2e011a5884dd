package org.rmsprop4j.bench;

/**
 * {@link ProfileAB} several times in one JVM, float64 and float32, plain and momentum: the Vector API's
 * shared type profiles are polluted when loops of two vector species of one element type run in the
 * same JVM (for example 128- and 256-bit int vectors), and the polluted loops box their vectors. A
 * profile that shows bytes allocated per step here, and none when {@link ProfileAB} times it alone,
 * has met such a loop. Usage: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.rmsprop4j.bench.ProfileMixedAB [rounds=5]}.
 */
public final class ProfileMixedAB {
    private ProfileMixedAB() {}

    public static void main(String[] args) {
        String r = args.length > 0 ? args[0] : "5";
        ProfileAB.main(new String[] {"1e6", "fp64", "1", r, "fused", "plain", "pytorch,tribuo,pytorch_2_13,timm_tf"});
        ProfileAB.main(new String[] {"1e6", "fp32", "1", r, "fused", "plain", "pytorch,tribuo,optax,pytorch_2_13"});
        ProfileAB.main(new String[] {"1e6", "fp32", "1", r, "fused", "momentum", "pytorch,optax,keras_3_xla,pytorch_2_13,timm_tf"});
        ProfileAB.main(new String[] {"1e6", "fp64", "1", r, "fused", "plain", "pytorch,tribuo,pytorch_2_13,timm_tf"});
    }
}
