/*
 * probe_common.h - what the C probes in tools/bench share (vcpu_probe.c, pull_probe.c, cache_probe.c): a monotonic clock in
 * nanoseconds and pinning the calling thread to one CPU; with PROBE_C2C defined first, the two flags and the cache-line round
 * trip of pull_probe.c and cache_probe.c (their CPU-1 worker answers every odd `ping` with the next even value while `cmd` is 1);
 * with PROBE_RMW, their first-layer-like read-modify-write of a block (needs <immintrin.h>).
 * Include after _GNU_SOURCE and <pthread.h>, <sched.h>, <stdatomic.h>, <time.h>.
 */
#ifndef PROBE_COMMON_H
#define PROBE_COMMON_H

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void pin(int cpu) {
    cpu_set_t s;
    CPU_ZERO(&s);
    CPU_SET(cpu, &s);
    pthread_setaffinity_np(pthread_self(), sizeof s, &s);
}

#ifdef PROBE_C2C
static _Alignas(64) atomic_int ping;
static _Alignas(64) atomic_int cmd;

/* Nanoseconds per round trip of one cache line between this thread and the worker, over 20,000 round trips. */
static double c2c(void) {
    atomic_store(&ping, 0);
    atomic_store_explicit(&cmd, 1, memory_order_release);
    double t0 = now();
    int k;
    for (k = 0; k < 20000; k++) {
        int x = 2 * k;
        atomic_store_explicit(&ping, x + 1, memory_order_release);
        while (atomic_load_explicit(&ping, memory_order_acquire) != x + 2) {
        }
    }
    double t = now() - t0;
    atomic_store_explicit(&cmd, 0, memory_order_release);
    return t / k;
}

/* The worker's side of c2c, called in its loop while cmd is 1: answers an odd ping with the next even value. */
static void c2c_answer(void) {
    int x = atomic_load_explicit(&ping, memory_order_acquire);
    if (x & 1) atomic_store_explicit(&ping, x + 1, memory_order_release);
}
#endif

#ifdef PROBE_RMW
#define TERMS 24
static float wt[TERMS][64] __attribute__((aligned(64)));

/* As the first layer's block pass: per 64 floats of a[0..n), load 8 vectors, add TERMS weighted rows of wt, store them back. */
static void rmw_lines(float *a, long n) {
    for (long j = 0; j < n; j += 64) {
        __m256 z[8];
        for (int k = 0; k < 8; k++) z[k] = _mm256_load_ps(a + j + 8 * k);
        for (int t = 0; t < TERMS; t++) {
            __m256 v = _mm256_set1_ps(0.5f + t * 0.01f);
            for (int k = 0; k < 8; k++) z[k] = _mm256_add_ps(z[k], _mm256_mul_ps(v, _mm256_load_ps(wt[t] + 8 * k)));
        }
        for (int k = 0; k < 8; k++) _mm256_store_ps(a + j + 8 * k, z[k]);
    }
}
#endif

#endif
