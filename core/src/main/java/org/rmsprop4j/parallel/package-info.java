/**
 * The persistent worker pool that splits one large elementwise step across threads. <b>Not
 * API</b>: {@code Optimizer.Builder.threads(int)} is the supported way in. Kept apart from
 * {@code org.rmsprop4j.kernel}, whose loops must not allocate or synchronise; the pool does both
 * (once, when it starts its threads).
 */
package org.rmsprop4j.parallel;
