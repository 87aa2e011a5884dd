/*
 * vcpu_probe.c - is this VM's 2-thread memory bandwidth fast or slow right now, and does that follow where the host put
 * the two vCPUs? Repeats, each round: the cache-line round trip between a thread pinned to CPU 0 and one pinned to CPU 1
 * (two vCPUs on one L3 / CCD answer in tens of ns, across CCDs or sockets in 100+), then the float32 RMSprop step
 * (20 bytes per value) and a loop that moves the float8 step's bytes (p read and written, g read, one code byte read
 * and written: 14 bytes per value, a multiply-add and an increment, no divider) at N values, on CPU 0 alone and on
 * both CPUs (halves, pinned). Arrays: 2 MiB aligned, madvise(MADV_HUGEPAGE), each 64 MiB + 4 KiB apart beyond its size
 * so that at the default N no two streams are a multiple of 128 MiB apart (docs/speed-history.md, the 1e8 placement sections; the 2 MiB
 * rounding can undo the 4 KiB at other N).
 *
 * Build: gcc -O3 -march=native -fno-math-errno -pthread -o /tmp/vcpu_probe tools/bench/vcpu_probe.c -lm
 * Run:   flock /work/bench.lock /tmp/vcpu_probe [N=1e8] [rounds=6]
 * Output: one line per round: c2c round trip ns, then ns/value for fp32 and for the 8-bit bytes, 1 and 2 threads.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "probe_common.h"

static char *arena;
static size_t arena_used;

static void *place(size_t bytes) {
    size_t huge = (size_t)2 << 20;
    size_t at = (arena_used + huge - 1) / huge * huge;
    arena_used = at + bytes + ((size_t)64 << 20) + 4096;
    return arena + at;
}

static float *P, *G, *V;
static uint8_t *C;
static long N;

static void fp32_step(long a, long b) {
    const float lr = 0.01f, al = 0.99f, om = 0.01f, eps = 1e-8f;
    for (long i = a; i < b; i++) {
        float g = G[i], v = al * V[i] + om * g * g;
        V[i] = v;
        P[i] -= lr * g / (sqrtf(v) + eps);
    }
}

static void bytes8_step(long a, long b) {
    for (long i = a; i < b; i++) {
        P[i] = P[i] + 0.001f * G[i];
        C[i] = (uint8_t)(C[i] + 1);
    }
}

/* two pinned threads, released together by a generation counter; the caller is thread 0 on CPU 0 */
static atomic_int gen, done;
static void (*job)(long, long);
static atomic_int ping;

static void *worker(void *arg) {
    (void)arg;
    pin(1);
    int seen = 0;
    for (;;) {
        int g;
        while ((g = atomic_load_explicit(&gen, memory_order_acquire)) == seen) {
        }
        seen = g;
        if (g < 0) return NULL;
        if (job == NULL) {            /* ping-pong: answer every odd value with the next even one */
            for (int k = 0; k < 100000; k++) {
                int x;
                while (((x = atomic_load_explicit(&ping, memory_order_acquire)) & 1) == 0) {
                }
                atomic_store_explicit(&ping, x + 1, memory_order_release);
            }
        } else {
            job(N / 2 / 16 * 16, N);
        }
        atomic_fetch_add_explicit(&done, 1, memory_order_release);
    }
}

static double run2(void (*f)(long, long)) {
    job = f;
    int d = atomic_load(&done);
    atomic_fetch_add_explicit(&gen, 1, memory_order_release);
    double t0 = now();
    f(0, N / 2 / 16 * 16);
    while (atomic_load_explicit(&done, memory_order_acquire) == d) {
    }
    return now() - t0;
}

static double c2c(void) {
    job = NULL;
    atomic_store(&ping, 0);
    int d = atomic_load(&done);
    atomic_fetch_add_explicit(&gen, 1, memory_order_release);
    double t0 = now();
    for (int k = 0; k < 100000; k++) {
        int x = 2 * k;
        atomic_store_explicit(&ping, x + 1, memory_order_release);
        while (atomic_load_explicit(&ping, memory_order_acquire) != x + 2) {
        }
    }
    double t = now() - t0;
    while (atomic_load_explicit(&done, memory_order_acquire) == d) {
    }
    return t / 100000;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *x, int n) {
    qsort(x, n, sizeof *x, cmp);
    return x[n / 2];
}

static double time1(void (*f)(long, long), int reps) {
    double t[32];
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        f(0, N);
        t[r] = (now() - t0) / N;
    }
    return median(t, reps);
}

static double time2(void (*f)(long, long), int reps) {
    double t[32];
    for (int r = 0; r < reps; r++) t[r] = run2(f) / N;
    return median(t, reps);
}

int main(int argc, char **argv) {
    N = argc > 1 ? (long)atof(argv[1]) : 100000000L;
    int rounds = argc > 2 ? atoi(argv[2]) : 6;
    size_t total = 3 * (N * 4 + ((size_t)70 << 20)) + N + ((size_t)70 << 20);
    arena = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (arena == MAP_FAILED) return 1;
    madvise(arena, total, MADV_HUGEPAGE);
    P = place(N * 4);
    G = place(N * 4);
    V = place(N * 4);
    C = place(N);
    for (long i = 0; i < N; i++) {
        P[i] = 1.0f;
        G[i] = (float)((i * 2654435761u) % 1000) * 1e-5f;
        V[i] = 1e-4f;
        C[i] = (uint8_t)i;
    }
    pin(0);
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    int reps = N >= 10000000 ? 5 : 31;
    time1(fp32_step, 2);
    time2(fp32_step, 2);
    printf("round  c2c_ns  fp32_1t  fp32_2t  b8_1t  b8_2t  (ns/value; N=%ld)\n", N);
    for (int r = 0; r < rounds; r++) {
        double c = c2c();
        double f1 = time1(fp32_step, reps), f2 = time2(fp32_step, reps);
        double b1 = time1(bytes8_step, reps), b2 = time2(bytes8_step, reps);
        double c2 = c2c();
        printf("%5d  %6.1f  %7.3f  %7.3f  %5.3f  %5.3f  (c2c after %.1f)\n", r, c, f1, f2, b1, b2, c2);
        fflush(stdout);
    }
    atomic_store(&gen, -1);
    pthread_join(th, NULL);
    return 0;
}
