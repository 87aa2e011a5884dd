/*
 * probe_common.h - what the C probes in tools/bench share (vcpu_probe.c, pull_probe.c, cache_probe.c): a monotonic clock in
 * nanoseconds and pinning the calling thread to one CPU; with PROBE_C2C defined first, the two flags and the cache-line round
 * trip of pull_probe.c and cache_probe.c (their CPU-1 worker answers every odd `ping` with the next even value while `cmd` is 1).
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
#endif

#endif
