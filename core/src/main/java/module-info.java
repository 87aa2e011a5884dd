/**
 * rmsprop4j core: optimizers as chains of transforms over flat arrays, with every framework's
 * RMSprop as a preset, state save/load and schedules. No dependencies.
 *
 * <p>Exported: {@code org.rmsprop4j.optim} (optimizer, specs, presets, schedules, state) and
 * {@code org.rmsprop4j.transform} (the transforms and the {@code Chain}). Not exported: the kernel
 * loops, the thread pool and the helpers the library's own modules share ({@code internal}); on the
 * class path they are reachable but are not API and may change with any release.
 */
module org.rmsprop4j.core {
    requires static jdk.incubator.vector;   // optional: the 8-bit state's vector loops, with --add-modules jdk.incubator.vector
    exports org.rmsprop4j.optim;
    exports org.rmsprop4j.transform;
}
