/*
 * cache_probe.c - is each vCPU's own cache hierarchy slower when the two vCPUs are "far" apart? (issue 15, ninth pass)
 * Each round: the cache-line round trip between threads pinned to CPUs 0 and 1 (as vcpu_probe.c), then on CPU 0 alone and
 * on CPU 1 alone (the other thread idle-waiting on a futex-free spin of its own line): a copy-and-scale loop over a working
 * set of S bytes (dst[i] = src[i]*a, the MLP's weight copy), repeated; ns per 64-byte line, median of the repeats, for
 * S = 256 KiB (L2), 1.5 MiB (past L2, in L3) and 24 MiB (most of L3 or DRAM); then, as the MLP's first-layer sums, a
 * read-modify-write of 16 KiB (L1) adding 24 terms per strip of 64 floats (pull_probe.c's rmw, the block in this CPU's L1):
 * ns per line.
 * Build: gcc -O3 -march=native -pthread -o /tmp/cache_probe tools/bench/cache_probe.c
 * Run:   flock /work/bench.lock /tmp/cache_probe [rounds=5]
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PROBE_C2C
#define PROBE_RMW
#include "probe_common.h"

/* cmd (probe_common.h): 1: ping-pong, 2: run the copy test on CPU 1, -1: stop */
static _Alignas(64) atomic_int done;
static float *src, *dst;
static long cur;
static double result;

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double copytest(long bytes) {
    long n = bytes / 4;
    int reps = (int)(2e8 / bytes);
    if (reps < 5) reps = 5;
    if (reps > 301) reps = 301;
    double t[301];
    for (long i = 0; i < n; i++) dst[i] = src[i];
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        float a = 1.0f + r * 1e-7f;
        for (long i = 0; i < n; i++) dst[i] = src[i] * a;
        t[r] = (now() - t0) / (bytes / 64.0);
    }
    qsort(t, reps, sizeof t[0], cmpd);
    return t[reps / 2];
}


static double rmwtest(void) {
    long n = 4096; /* 16 KiB */
    float *a = dst;
    double t[201];
    for (int r = 0; r < 201; r++) {
        double t0 = now();
        rmw_lines(a, n);
        t[r] = (now() - t0) / (n / 16.0);
    }
    qsort(t, 201, sizeof t[0], cmpd);
    return t[100];
}

static void *other(void *arg) {
    (void)arg;
    pin(1);
    for (;;) {
        int c = atomic_load_explicit(&cmd, memory_order_acquire);
        if (c < 0) return NULL;
        if (c == 1) {
            c2c_answer();
        } else if (c == 2) {
            result = cur ? copytest(cur) : rmwtest();
            atomic_store_explicit(&cmd, 0, memory_order_release);
            atomic_fetch_add(&done, 1);
        }
    }
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    long sizes[3] = {256L << 10, 1536L << 10, 24L << 20};
    src = aligned_alloc(4096, sizes[2]);
    dst = aligned_alloc(4096, sizes[2]);
    for (long i = 0; i < sizes[2] / 4; i++) src[i] = dst[i] = 1e-3f * (i & 1023);
    pin(0);
    pthread_t th;
    pthread_create(&th, NULL, other, NULL);
    printf("round c2c_ns  cpu0: 256K 1.5M 24M rmw   cpu1: 256K 1.5M 24M rmw  (ns per line)  c2c_after\n");
    for (int r = 0; r < rounds; r++) {
        double c = c2c(), a[3], b[3];
        for (int s = 0; s < 3; s++) {
            a[s] = copytest(sizes[s]);
            cur = sizes[s];
            int d = atomic_load(&done);
            atomic_store_explicit(&cmd, 2, memory_order_release);
            while (atomic_load(&done) == d) {
            }
            b[s] = result;
        }
        double ra = rmwtest();
        cur = 0;
        int d = atomic_load(&done);
        atomic_store_explicit(&cmd, 2, memory_order_release);
        while (atomic_load(&done) == d) {
        }
        double rb = result;
        double c2 = c2c();
        printf("%5d %6.1f  %5.2f %5.2f %5.2f %5.2f   %5.2f %5.2f %5.2f %5.2f  %6.1f\n", r, c, a[0], a[1], a[2], ra, b[0], b[1], b[2], rb, c2);
        fflush(stdout);
    }
    atomic_store(&cmd, -1);
    pthread_join(th, NULL);
    return 0;
}
