package org.rmsprop4j.train.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.rmsprop4j.train.data.IdxLoader;
import org.rmsprop4j.train.data.MalformedDataException;

/**
 * {@link IdxLoader} on arbitrary images and labels files (plain or gzip): consistent images and
 * labels, or a {@link MalformedDataException}. A header promising more than the file holds must be
 * refused before it is allocated (no OutOfMemoryError).
 */
class IdxLoaderFuzzer {

    @FuzzTest(maxDuration = "4s")
    void readsOrRefusesWithAMalformedDataException(FuzzedDataProvider in) throws IOException {
        byte[] labels = in.consumeBytes(in.consumeInt(0, 512));
        check(labels, in.consumeRemainingAsBytes());
    }

    static void check(byte[] labels, byte[] images) throws IOException {
        IdxLoader.Images im = null;
        int[] y = null;
        try {
            im = IdxLoader.readImages(new ByteArrayInputStream(images), "images");
            if (im.pixels().length != (long) im.count() * im.rows() * im.cols()) throw new IllegalStateException("pixel count");
        } catch (MalformedDataException expected) {
            // refused
        }
        try {
            y = IdxLoader.readLabels(new ByteArrayInputStream(labels), "labels");
        } catch (MalformedDataException expected) {
            // refused
        }
        if (im != null && y != null) {
            try {
                Invariants.check(IdxLoader.dataset("fuzz", im, "images", y, "labels", IdxLoader.classesOf(y)));
            } catch (MalformedDataException expected) {
                // refused
            }
        }
    }
}
