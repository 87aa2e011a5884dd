package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class GangTest {

    @Test
    void everyThreadRunsEveryPhaseAndNoneStartsAPhaseBeforeAllFinishedThePrevious() {
        for (int size : new int[] {2, 3}) {
            try (Gang g = new Gang(size, "gang-test")) {
                for (int r = 0; r < 200; r++) {
                    int late = r % size;
                    AtomicIntegerArray done = new AtomicIntegerArray(3);
                    AtomicInteger wrong = new AtomicInteger();
                    Set<Thread> seen = ConcurrentHashMap.newKeySet();
                    g.run(w -> {
                        seen.add(Thread.currentThread());
                        for (int phase = 0; phase < 3; phase++) {
                            if (phase > 0 && done.get(phase - 1) != size) wrong.incrementAndGet();
                            if (w == late) Thread.onSpinWait(); // one thread a little late
                            done.incrementAndGet(phase);
                            g.barrier();
                        }
                    });
                    assertThat(wrong.get()).isZero();
                    for (int phase = 0; phase < 3; phase++) assertThat(done.get(phase)).isEqualTo(size);
                    assertThat(seen).hasSize(size).contains(Thread.currentThread());
                }
            }
        }
    }

    @Test
    void aFailureReleasesTheOthersFromTheBarrierIsRethrownAndTheGangStaysUsable() {
        try (Gang g = new Gang(3, "gang-test")) {
            for (int failing = 0; failing < 3; failing++) {
                int f = failing;
                AtomicInteger passed = new AtomicInteger();
                assertThatThrownBy(() -> g.run(w -> {
                    if (w == f) throw new IllegalStateException("part " + w + " failed");
                    g.barrier();
                    passed.incrementAndGet();
                })).isInstanceOf(IllegalStateException.class).hasMessage("part " + f + " failed");
                assertThat(passed.get()).as("nobody passes a barrier that a failed thread never reached").isZero();
                AtomicInteger ran = new AtomicInteger();
                g.run(w -> {
                    g.barrier();
                    ran.incrementAndGet();
                });
                assertThat(ran.get()).isEqualTo(3);
            }
        }
    }

    @Test
    void aClosedGangRefusesWorkAndASizeBelowTwoIsRefused() {
        Gang g = new Gang(2, "gang-test");
        g.close();
        assertThatThrownBy(() -> g.run(w -> { })).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> new Gang(1, "gang-test")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 1");
    }
}
