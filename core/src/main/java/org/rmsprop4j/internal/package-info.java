/**
 * Helpers shared by the library's own modules. <b>Not API</b>: not exported by {@code module-info};
 * signatures may change with any release.
 */
package org.rmsprop4j.internal;
