package org.rmsprop4j.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ChunkPoolTest {

    @Test
    void chunksCoverTheRangeOnceAlignedAndInOrder() {
        int[][] cases = {{0, 1000, 2}, {5, 99_999, 3}, {17, 33, 2}, {0, 1 << 20, 7}, {3, 1_000_003, 2}};
        for (int[] c : cases) {
            int off = c[0], len = c[1], parts = c[2];
            int prev = off;
            for (int k = 1; k <= parts; k++) {
                int b = ChunkPool.boundary(off, len, parts, k);
                assertThat(b).isBetween(prev, off + len);
                if (k < parts && b != off && b != off + len) assertThat(b % ChunkPool.ALIGN).isZero();
                prev = b;
            }
            assertThat(prev).isEqualTo(off + len);
        }
    }

    @Test
    void everyElementIsVisitedExactlyOnceByMoreThanOneThread() {
        int n = 1_000_003;
        int[] hits = new int[n + 10];
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int rep = 0; rep < 50; rep++) {
            ChunkPool.shared().run((off, len) -> {
                names.add(Thread.currentThread().getName());
                for (int i = off; i < off + len; i++) hits[i]++;
            }, 5, n, 3);
        }
        for (int i = 0; i < hits.length; i++) assertThat(hits[i]).as("index %d", i).isEqualTo(i >= 5 && i < 5 + n ? 50 : 0);
        assertThat(names.size()).isGreaterThan(1);
    }

    @Test
    void aWorkerExceptionReachesTheCallerAfterAllChunksFinished() {
        AtomicInteger finished = new AtomicInteger();
        assertThatThrownBy(() -> ChunkPool.shared().run((off, len) -> {
            if (off != 0) throw new IllegalStateException("boom at " + off);
            try { Thread.sleep(20); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            finished.incrementAndGet();
        }, 0, 10_000, 2)).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("boom at");
        assertThat(finished.get()).isEqualTo(1);
        // the pool is usable afterwards
        int[] sum = new int[1];
        ChunkPool.shared().run((off, len) -> { synchronized (sum) { sum[0] += len; } }, 0, 10_000, 2);
        assertThat(sum[0]).isEqualTo(10_000);
    }

    @Test
    void blockCountIsAFewPerThreadAndNeverShorterThanTheMinimumBlock() {
        assertThat(ChunkPool.blockCount(32_768, 2)).isEqualTo(2);
        assertThat(ChunkPool.blockCount(10_000_000, 2)).isEqualTo(2 * ChunkPool.BLOCKS_PER_THREAD);
        for (int len : new int[] {64, 40_000, 131_072, 300_000, 1_000_000, 100_000_000}) {
            for (int parts = 2; parts <= 5; parts++) {
                int b = ChunkPool.blockCount(len, parts);
                assertThat(b).as("len %d parts %d", len, parts).isBetween(parts, parts * ChunkPool.BLOCKS_PER_THREAD);
                if (b > parts) assertThat(len / b).isGreaterThanOrEqualTo(ChunkPool.MIN_BLOCK);
            }
        }
    }

    @Test
    void guidedBlocksCoverTheRangeOnceAlignedAndShrinkToAShortLastBlock() {
        int[][] cases = {{0, 1000, 2}, {5, 99_999, 3}, {17, 33, 2}, {0, 1 << 20, 7}, {3, 1_000_003, 2}, {0, 10_000_000, 2},
                {0, 100_000_000, 2}, {11, 100_000_000, 4}, {0, 2_000_000_000, 2}, {0, 2_000_000_000, 256}};
        for (int[] c : cases) {
            int off = c[0], len = c[1], parts = c[2];
            int[] edges = new int[ChunkPool.edgeCapacity(parts)];
            int n = ChunkPool.plan(ChunkPool.GUIDED, off, len, parts, edges);
            assertThat(n).as("blocks for %d on %d", len, parts).isBetween(Math.min(parts, 2), edges.length - 2);
            assertThat(edges[0]).isEqualTo(off);
            assertThat(edges[n]).isEqualTo(off + len);
            for (int k = 1; k <= n; k++) {
                assertThat(edges[k]).as("edge %d of %d", k, len).isGreaterThan(edges[k - 1]);
                if (k < n) assertThat(edges[k] % ChunkPool.ALIGN).isZero();
            }
            if (len >= 1_000_000) {
                // the threads end within one short block of each other: the last block is about GUIDED_MIN_BLOCK, the
                // first about a quarter of the range on 2 threads; and there are few blocks (a shared counter update each)
                assertThat(edges[n] - edges[n - 1]).isLessThanOrEqualTo(ChunkPool.GUIDED_MIN_BLOCK * 3 / 2);
                assertThat((long) edges[1] - edges[0]).isGreaterThanOrEqualTo(len / (2L * parts) - ChunkPool.ALIGN);
                if (parts == 2) assertThat(n).isLessThan(60);
            }
        }
        // a range shorter than a minimum block per thread is cut into equal parts, not into one minimum block and a short rest
        int[] edges = new int[ChunkPool.edgeCapacity(2)];
        int n = ChunkPool.plan(ChunkPool.GUIDED, 0, 20_000, 2, edges);
        assertThat(n).isEqualTo(2);
        assertThat(edges[1]).isEqualTo(10_000);
    }

    @Test
    void theEvenPlanIsTheOldFixedBlocks() {
        int[] edges = new int[ChunkPool.edgeCapacity(2)];
        int n = ChunkPool.plan(ChunkPool.EVEN, 0, 10_000_000, 2, edges);
        assertThat(n).isEqualTo(2 * ChunkPool.BLOCKS_PER_THREAD);
        for (int k = 0; k <= n; k++) assertThat(edges[k]).isEqualTo(ChunkPool.boundary(0, 10_000_000, n, k));
        assertThat(ChunkPool.plan(ChunkPool.HALVES, 0, 10_000_000, 2, edges)).isEqualTo(2);
        assertThat(edges[1]).isEqualTo(5_000_000);
        assertThatThrownBy(() -> ChunkPool.shared().useSchedule(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schedule").hasMessageContaining("7");
    }

    @Test
    void countersSayWhoRanTheBlocks() {
        long[] c0 = ChunkPool.shared().counters();
        AtomicInteger calls = new AtomicInteger();
        for (int rep = 0; rep < 20; rep++) ChunkPool.shared().run((off, len) -> calls.incrementAndGet(), 0, 1 << 20, 2);
        long[] c1 = ChunkPool.shared().counters();
        assertThat(c1[0] - c0[0]).isEqualTo(20);                                // parallel steps
        assertThat((c1[2] - c0[2]) + (c1[3] - c0[3])).isEqualTo(calls.get());   // every block by the caller or the worker
        assertThat(c1[1] - c0[1] + (c1[5] - c0[5])).isEqualTo(20);              // each step: the worker withdrawn or started
    }

    /** A worker slowed down (here: sleeping in its first block) does not hold the caller to half of the range. */
    @Test
    void theCallerTakesOverBlocksFromASlowWorker() {
        int blocks = 2 * ChunkPool.BLOCKS_PER_THREAD, n = blocks * ChunkPool.MIN_BLOCK;
        int[] edges = new int[ChunkPool.edgeCapacity(2)];
        int largest = 0;
        for (int k = 0, nb = ChunkPool.plan(ChunkPool.GUIDED, 0, n, 2, edges); k < nb; k++) largest = Math.max(largest, edges[k + 1] - edges[k]);
        Thread me = Thread.currentThread();
        AtomicInteger byCaller = new AtomicInteger(), total = new AtomicInteger();
        ChunkPool.shared().run((off, len) -> {
            total.addAndGet(len);
            if (Thread.currentThread() == me) {
                byCaller.addAndGet(len);
            } else {
                try { Thread.sleep(200); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
        }, 0, n, 2);
        assertThat(total.get()).isEqualTo(n);
        // fixed halves would give the caller exactly n / 2; here the worker takes at most one block while it sleeps
        assertThat(byCaller.get()).isGreaterThanOrEqualTo(n - largest);
        assertThat(largest).isLessThan(n / 2);
    }

    @Test
    void aNestedCallRunsSeriallyInsteadOfDeadlocking() {
        AtomicInteger total = new AtomicInteger();
        ChunkPool.shared().run((off, len) -> ChunkPool.shared().run((o2, l2) -> total.addAndGet(l2), off, len, 2), 0, 4096, 2);
        assertThat(total.get()).isEqualTo(4096);
    }
}
