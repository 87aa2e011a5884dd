package org.rmsprop4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class GangTest {

    static final int ITEMS = 40;

    @Test
    void everyItemRunsOnceAndNoPhaseStartsBeforeThePreviousFinished() {
        for (int size : new int[] {2, 3}) {
            try (Gang g = new Gang(size, "gang-test")) {
                Set<Thread> seen = ConcurrentHashMap.newKeySet();
                for (int r = 0; r < 300; r++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(2 * ITEMS);
                    AtomicInteger nextA = new AtomicInteger(), nextB = new AtomicInteger(), doneA = new AtomicInteger();
                    AtomicInteger early = new AtomicInteger();
                    g.run(w -> {
                        seen.add(Thread.currentThread());
                        for (int i; (i = nextA.getAndIncrement()) < ITEMS; ) {
                            runs.incrementAndGet(i);
                            doneA.incrementAndGet();
                        }
                        g.await(doneA, ITEMS);
                        for (int i; (i = nextB.getAndIncrement()) < ITEMS; ) {
                            if (doneA.get() != ITEMS) early.incrementAndGet();
                            for (int k = 0; k < ITEMS; k++) if (runs.get(k) != 1) early.incrementAndGet();
                            runs.incrementAndGet(ITEMS + i);
                        }
                    });
                    assertThat(early.get()).isZero();
                    for (int i = 0; i < 2 * ITEMS; i++) assertThat(runs.get(i)).as("item %d", i).isEqualTo(1);
                }
                assertThat(seen).contains(Thread.currentThread()); // the workers join when they start in time
            }
        }
    }

    @Test
    void aWorkerReallyTakesPartInARegion() throws InterruptedException {
        try (Gang g = new Gang(2, "gang-test")) {
            java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            g.run(w -> {
                for (int i; (i = next.getAndIncrement()) < 2; ) {
                    seen.add(Thread.currentThread());
                    both.countDown();
                    try {
                        both.await(20, java.util.concurrent.TimeUnit.SECONDS); // each item waits until the other has started
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertThat(seen).hasSize(2);
        }
    }

    @Test
    void aFailureReleasesTheWaitingThreadsIsRethrownAndTheGangStaysUsable() {
        try (Gang g = new Gang(3, "gang-test")) {
            for (int round = 0; round < 20; round++) {
                AtomicInteger next = new AtomicInteger(), done = new AtomicInteger(), passed = new AtomicInteger();
                assertThatThrownBy(() -> g.run(w -> {
                    for (int i; (i = next.getAndIncrement()) < 6; ) {
                        if (i == 4) throw new IllegalStateException("item 4 failed");
                        done.incrementAndGet();
                    }
                    g.await(done, 6);
                    passed.incrementAndGet();
                })).isInstanceOf(IllegalStateException.class).hasMessage("item 4 failed");
                assertThat(passed.get()).as("nobody passes a wait for an item that failed").isZero();
                AtomicInteger ran = new AtomicInteger(), next2 = new AtomicInteger();
                g.run(w -> {
                    for (int i; (i = next2.getAndIncrement()) < 9; ) ran.incrementAndGet();
                });
                assertThat(ran.get()).isEqualTo(9);
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
