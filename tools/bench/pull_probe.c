/*
 * pull_probe.c - does a "pull pass" help a thread that consumes a block another thread just wrote? (issue 15, far state)
 * Thread A (CPU 0) writes a block of floats and raises a flag; thread B (CPU 1) waits for the flag and then consumes the
 * block in one of these ways, chosen round-robin per handoff so that every mode sees the same vCPU state:
 *   gemm      : a GEMM-like loop reading the fresh block directly (64 FMAs per float: 8 x 8-lane accumulators)
 *   pull+gemm : first one independent int load per 64-byte line (OR'd, kept live), then the same loop
 *   local     : the same loop on a private block B wrote itself (no cross-core traffic: the compute alone)
 *   pull      : the pull pass alone (the cost of bringing the lines over with many misses in flight)
 *   sum       : a light loop (one add per float) reading the fresh block directly
 *   rmw       : as the MLP's first-layer sums: per strip of 64 floats, load 8 vectors, add 24 terms (weights in L1), store
 *   pull+rmw  : the pull pass (loads only), then rmw
 *   pullw+rmw : a pull pass that writes each line's first int back (write intent: the line comes over exclusive), then rmw
 *   pfw+rmw   : prefetchw of every line, then rmw
 *   localrmw  : rmw on the private block (the compute alone)
 *   gather    : as the first-layer gradient reading the deltas: the block is rows of 128 floats; for each of 600 listed
 *               entries (a fixed pseudo-random row each), 8 vectors of one half of that row times a scalar, summed per column
 *   pull+gath : the pull pass, then gather;  localgath: gather on the private block
 * Each round prints the cache-line round trip (ping-pong between the two pinned threads, as vcpu_probe.c) before and
 * after, then the median time per handoff for each mode in microseconds, so near and far rounds can be told apart.
 * Build: gcc -O3 -march=native -pthread -o /tmp/pull_probe tools/bench/pull_probe.c
 * Run:   flock /work/bench.lock /tmp/pull_probe [KiB=32] [rounds=10] [handoffs per mode per round=400]
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROBE_C2C
#define PROBE_RMW
#include "probe_common.h"

#define MODES 13
static const char *NAMES[MODES] = {"gemm", "pull+gemm", "local", "pull", "sum", "rmw", "pull+rmw", "pullw+rmw", "pfw+rmw", "localrmw",
                                   "gather", "pull+gath", "localgath"};

static float *buf, *own;
static long n;                        /* floats in the block */
static _Alignas(64) atomic_int seq;   /* writer -> reader: block number ready */
static _Alignas(64) atomic_int ack;   /* reader -> writer: block number consumed */
/* cmd (probe_common.h): 0 handoffs, 1 ping-pong, -1 stop, set by the reader */
static float w[64] __attribute__((aligned(64)));
static volatile float sink;
static volatile int isink;

/* Two lanes of the sum of eight accumulators: enough to keep the loop that made them live. */
static float hsum8(const __m256 *acc) {
    __m256 s = acc[0];
    for (int k = 1; k < 8; k++) s = _mm256_add_ps(s, acc[k]);
    float o[8];
    _mm256_storeu_ps(o, s);
    return o[0] + o[7];
}

static float gemm(const float *a) {
    __m256 acc[8];
    __m256 wv[8];
    for (int k = 0; k < 8; k++) {
        acc[k] = _mm256_setzero_ps();
        wv[k] = _mm256_load_ps(w + 8 * k);
    }
    for (long i = 0; i < n; i++) {
        __m256 x = _mm256_broadcast_ss(a + i);
        for (int k = 0; k < 8; k++) acc[k] = _mm256_fmadd_ps(x, wv[k], acc[k]);
    }
    return hsum8(acc);
}

static int pull(const float *a) {
    const int *p = (const int *)a;
    int x = 0;
    for (long j = 0; j < n; j += 16) x |= p[j];
    return x;
}

static void rmw(float *a) { rmw_lines(a, n); }

static int pullw(float *a) {
    volatile int *p = (volatile int *)a;
    int x = 0;
    for (long j = 0; j < n; j += 16) {
        int v = p[j];
        p[j] = v;
        x |= v;
    }
    return x;
}

static void pfw(float *a) {
    for (long j = 0; j < n; j += 16) _m_prefetchw(a + j);
}

#define ENTRIES 600
static int ent[ENTRIES];

static float gather(const float *a) {
    long rowsN = n / 128;
    __m256 acc[8];
    for (int k = 0; k < 8; k++) acc[k] = _mm256_setzero_ps();
    for (int half = 0; half < 2; half++) {
        for (int t = 0; t < ENTRIES; t++) {
            const float *r = a + (ent[t] % rowsN) * 128 + 64 * half;
            __m256 v = _mm256_set1_ps(0.25f + (t & 7) * 0.01f);
            for (int k = 0; k < 8; k++) acc[k] = _mm256_add_ps(acc[k], _mm256_mul_ps(v, _mm256_load_ps(r + 8 * k)));
        }
    }
    return hsum8(acc);
}

static float sum(const float *a) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (long i = 0; i < n; i += 4) {
        s0 += a[i];
        s1 += a[i + 1];
        s2 += a[i + 2];
        s3 += a[i + 3];
    }
    return s0 + s1 + s2 + s3;
}

/* the writer: CPU 0; answers ping-pong rounds and writes blocks on demand */
static void *writer(void *arg) {
    (void)arg;
    pin(0);
    int done = 0;
    for (;;) {
        int c = atomic_load_explicit(&cmd, memory_order_acquire);
        if (c < 0) return NULL;
        if (c == 1) {
            c2c_answer();
            continue;
        }
        if (atomic_load_explicit(&ack, memory_order_acquire) == done) {
            done++;
            for (long i = 0; i < n; i++) buf[i] = (float)((done + i) & 255) * 0.001f;
            atomic_store_explicit(&seq, done, memory_order_release);
            while (atomic_load_explicit(&ack, memory_order_acquire) != done &&
                   atomic_load_explicit(&cmd, memory_order_acquire) == 0) {
            }
        }
    }
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long kib = argc > 1 ? atol(argv[1]) : 32;
    int rounds = argc > 2 ? atoi(argv[2]) : 10;
    int per = argc > 3 ? atoi(argv[3]) : 400;
    n = kib * 1024 / 4;
    buf = aligned_alloc(4096, n * 4);
    own = aligned_alloc(4096, n * 4);
    for (long i = 0; i < n; i++) buf[i] = own[i] = 0.001f * (i & 255);
    for (int k = 0; k < 64; k++) w[k] = 1e-3f * k;
    for (int t = 0; t < ENTRIES; t++) ent[t] = (int)((t * 2654435761u) >> 7);
    pin(1);
    pthread_t th;
    pthread_create(&th, NULL, writer, NULL);
    double *t[MODES];
    for (int m = 0; m < MODES; m++) t[m] = malloc(sizeof(double) * per);
    printf("KiB %ld, %ld lines; us per handoff (median of %d each), rounds interleaved\n", kib, n / 16, per);
    printf("round c2c_ns ");
    for (int m = 0; m < MODES; m++) printf(" %9s", NAMES[m]);
    printf("  c2c_after\n");
    int block = 0;
    for (int r = 0; r < rounds; r++) {
        double rt = c2c();
        for (int h = 0; h < per * MODES; h++) {
            int m = h % MODES;
            block++;
            while (atomic_load_explicit(&seq, memory_order_acquire) != block) {
            }
            if (m == 2 || m == 9 || m == 12) {  /* make the local block truly local: B writes it (stays in B's L1/L2) */
                for (long i = 0; i < n; i++) own[i] = (float)((block + i) & 255) * 0.001f;
            }
            double t0 = now();
            switch (m) {
            case 0: sink = gemm(buf); break;
            case 1: { int x = pull(buf); isink = x; sink = gemm(buf); } break;
            case 2: sink = gemm(own); break;
            case 3: isink = pull(buf); break;
            case 4: sink = sum(buf); break;
            case 5: rmw(buf); break;
            case 6: { int x = pull(buf); isink = x; rmw(buf); } break;
            case 7: isink = pullw(buf); rmw(buf); break;
            case 8: pfw(buf); rmw(buf); break;
            case 9: rmw(own); break;
            case 10: sink = gather(buf); break;
            case 11: { int x = pull(buf); isink = x; sink = gather(buf); } break;
            case 12: sink = gather(own); break;
            }
            t[m][h / MODES] = (now() - t0) / 1000;
            atomic_store_explicit(&ack, block, memory_order_release);
        }
        double rt2 = c2c();
        double med[MODES];
        for (int m = 0; m < MODES; m++) {
            qsort(t[m], per, sizeof(double), cmpd);
            med[m] = t[m][per / 2];
        }
        printf("%5d %6.1f ", r, rt);
        for (int m = 0; m < MODES; m++) printf(" %9.2f", med[m]);
        printf("  %9.1f\n", rt2);
        fflush(stdout);
    }
    atomic_store(&cmd, -1);
    pthread_join(th, NULL);
    return 0;
}
