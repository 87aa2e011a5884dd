package org.rmsprop4j.train.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Opens gzip-compressed or plain input alike, by looking at the first two bytes. */
final class Streams {
    private Streams() {}

    /** {@code in} decompressed when it starts with the gzip magic bytes {@code 1f 8b}, else as it is. */
    static InputStream maybeGunzip(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int b0 = b.read(), b1 = b.read();
        b.reset();
        if (b0 == 0x1f && b1 == 0x8b) return new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16);
        return b;
    }
}
