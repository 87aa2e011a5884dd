/**
 * Fused, allocation-free update loops over flat arrays. <b>Not API</b>: the optimizers in
 * {@code org.rmsprop4j.optim} are the supported way in; these signatures may change with any release.
 *
 * <p>Every loop updates {@code [off, off + len)} of its arrays in one pass. Arrays named {@code p}
 * and the state arrays are <i>Modified</i>; {@code g} is <i>Not modified</i>. Arrays must not
 * alias each other (checked by the callers). Optional features are folded into scalar
 * coefficients chosen outside the loop so that there is no branch inside it; a neutral
 * coefficient ({@code 1·x}, {@code x + 0}, {@code x/1}) leaves every finite value bit for bit as
 * it would be without the feature.
 *
 * <p>Operation order follows PyTorch 1.13's for-loop implementation (for instance
 * {@code p + (-lr·g)/d} for {@code addcdiv}), so that float32 results match it to the bit where
 * the same IEEE operations are performed.
 */
package org.rmsprop4j.kernel;
