/*
 * rmsprop8bit_bench.c - C loop of the block-wise 8-bit RMSprop step, the baseline of
 * `rmsprop4j bench --state` (cli Bench8bit compiles and runs it when gcc is present).
 *
 * Build:  gcc -O3 -march=native -fopenmp -o rmsprop8bit_bench rmsprop8bit_bench.c -lm
 * Run:    ./rmsprop8bit_bench --elements 100000000 --block 2048 --threads 1 --min-time-ms 1000 [--map dynamic|fp8]
 *
 * The same step as rmsprop4j's StateQuantization.blockwise8 on plain RMSprop (PyTorch defaults:
 * lr 0.01, alpha 0.99, eps 1e-8), block by block: dequantize the mean square
 * (v = map[code] * absmax), v = alpha*v + (1-alpha)*g*g, p -= lr*g/(sqrt(v)+eps), then the block's
 * new maximum and the nearest map entry of v/max (the unsigned dynamic map, 256 entries, and a
 * bucket table on the top 16 bits of the normalised value plus one comparison, as the Java code).
 * One fused pass per block with a block-sized stack buffer; threads take whole blocks.
 * With --map fp8 the mean square is on the float8 E4M4 map instead (StateQuantization.withFloat8Map):
 * decode v = bits_to_float(code << 19) * 2^112 * absmax, code the nearest minifloat by integer
 * arithmetic on the normalised value's bits (ties to the lower entry), no table.
 * Initial values: SplitMix64 as rmsprop_bench.c (stream 0: p, stream 1: g).
 * Output: one JSON object on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static float map_v[256], thr[256];
static uint8_t tab[65536];

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int code_search(float x) {
    int lo = 0, hi = 255;
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (thr[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static float bits_to_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }

static void build_map(void) {
    double v[256];
    int n = 0;
    for (int i = 0; i < 7; i++) {
        int items = 1 << (i + 1);
        double scale = pow(10, i - 6);
        for (int j = 0; j < items; j++) v[n++] = scale * (0.1 + 0.9 * (j + 0.5) / items);
    }
    v[n++] = 0; v[n++] = 1;
    qsort(v, 256, sizeof(double), cmp_d);
    for (int k = 0; k < 256; k++) map_v[k] = (float)v[k];
    for (int k = 0; k < 255; k++) thr[k] = (float)((v[k] + v[k + 1]) / 2);
    thr[255] = INFINITY;
    for (uint32_t u = 0; u < 65536; u++) {
        uint32_t low = (u & 0x7fff) << 16, high = low | 0xffff;
        int neg = u >> 15;
        if (low >= 0x7f800000u) { tab[u] = neg ? 0 : 255; continue; }
        float lo = bits_to_float(low), hi = bits_to_float(high);
        tab[u] = (uint8_t)code_search(neg ? -hi : lo);
    }
}

static inline uint8_t code(float x) {
    uint32_t b; memcpy(&b, &x, 4);
    int c = tab[b >> 16];
    return (uint8_t)(c + (x > thr[c]));
}

static void step_blocks(float *restrict p, const float *restrict g, uint8_t *restrict q, float *restrict amax,
                        long n, int block, long b0, long b1) {
    const float a = 0.99f, oma = (float)(1.0 - 0.99), nlr = -0.01f, eps = 1e-8f;
    float v[65536];
    for (long k = b0; k < b1; k++) {
        long off = k * block;
        int len = (int)(n - off < block ? n - off : block);
        float s = amax[k], m = 0;
        for (int i = 0; i < len; i++) {
            float gi = g[off + i];
            float vi = map_v[q[off + i]] * s * a + oma * gi * gi;
            v[i] = vi;
            p[off + i] += nlr * (gi / (sqrtf(vi) + eps));
            m = vi > m ? vi : m;
        }
        amax[k] = m;
        float inv = m > 0 ? 1.0f / m : 0.0f;
        for (int i = 0; i < len; i++) q[off + i] = code(v[i] * inv);
    }
}

/* nearest E4M4 code (0..240, 240 = 1) of x >= 0; negatives and -0 code to 0, NaN to 240 */
static inline uint8_t code_fp8(float x) {
    int32_t b; memcpy(&b, &x, 4);
    if (b < 0) b = 0;
    if (b >= (113 << 23)) {
        uint32_t c = ((uint32_t)b - (112u << 23) + (1u << 18) - 1) >> 19;
        return (uint8_t)(c < 240 ? c : 240);
    }
    int s = 132 - (b >> 23);
    if (s > 31) return 0;
    uint32_t m = ((uint32_t)b & 0x7fffff) | 0x800000;
    return (uint8_t)((m + (1u << (s - 1)) - 1) >> s);
}

static void step_blocks_fp8(float *restrict p, const float *restrict g, uint8_t *restrict q, float *restrict amax,
                            long n, int block, long b0, long b1) {
    const float a = 0.99f, oma = (float)(1.0 - 0.99), nlr = -0.01f, eps = 1e-8f;
    float v[65536];
    for (long k = b0; k < b1; k++) {
        long off = k * block;
        int len = (int)(n - off < block ? n - off : block);
        float s = amax[k], m = 0;
        for (int i = 0; i < len; i++) {
            float gi = g[off + i];
            float vi = bits_to_float((uint32_t)q[off + i] << 19) * 0x1p112f * s * a + oma * gi * gi;
            v[i] = vi;
            p[off + i] += nlr * (gi / (sqrtf(vi) + eps));
            m = vi > m ? vi : m;
        }
        amax[k] = m;
        float inv = m > 0 ? 1.0f / m : 0.0f;
        for (int i = 0; i < len; i++) q[off + i] = code_fp8(v[i] * inv);
    }
}

static uint64_t splitmix(uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_dd(const void *a, const void *b) { return cmp_d(a, b); }

int main(int argc, char **argv) {
    long n = 1000000; int block = 2048, threads = 1, fp8 = 0; double min_ms = 1000, warm_ms = 300;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--elements")) n = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--block")) block = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads")) threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--min-time-ms")) min_ms = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--warmup-ms")) warm_ms = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--map")) {
            if (!strcmp(argv[i + 1], "fp8")) fp8 = 1;
            else if (strcmp(argv[i + 1], "dynamic")) { fprintf(stderr, "--map must be dynamic or fp8, got %s\n", argv[i + 1]); return 2; }
        }
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    if (n < 1 || block < 64 || block > 65536 || (block & (block - 1)) || threads < 1) { fprintf(stderr, "bad arguments\n"); return 2; }
    build_map();
    long nb = (n + block - 1) / block;
    float *p = malloc(n * 4), *g = malloc(n * 4), *amax = calloc(nb, 4);
    uint8_t *q = malloc(n);
    if (!p || !g || !q || !amax) { fprintf(stderr, "out of memory\n"); return 1; }
    for (long i = 0; i < n; i++) {
        p[i] = (float)((double)(splitmix(((uint64_t)0 << 62) | (uint64_t)i) >> 40) * 0x1p-23 - 1.0);
        g[i] = (float)((double)(splitmix(((uint64_t)1 << 62) | (uint64_t)i) >> 40) * 0x1p-23 - 1.0);
    }
    memset(q, 0, n);
#ifdef _OPENMP
    omp_set_num_threads(threads);
#endif
#define BLOCKS(lo, hi) (fp8 ? step_blocks_fp8(p, g, q, amax, n, block, lo, hi) : step_blocks(p, g, q, amax, n, block, lo, hi))
#define STEP() do { \
        if (threads == 1) BLOCKS(0, nb); \
        else { _Pragma("omp parallel") { int t = omp_get_thread_num(), k = omp_get_num_threads(); \
            BLOCKS(nb * t / k, nb * (t + 1) / k); } } } while (0)
    STEP();
    double t0 = now_ns(), t; long ws = 0;
    do { STEP(); ws++; t = now_ns(); } while (t - t0 < warm_ms * 1e6 || ws < 2);
    double est = (t - t0) / ws;
    long batch = (long)ceil(50000.0 / (est > 1 ? est : 1)); if (batch < 1) batch = 1;
    double samples[100000]; int ns = 0;
    double start = now_ns();
    while ((now_ns() - start < min_ms * 1e6 || ns < 5) && ns < 100000) {
        double a0 = now_ns();
        for (long i = 0; i < batch; i++) STEP();
        samples[ns++] = (now_ns() - a0) / batch;
    }
    qsort(samples, ns, sizeof(double), cmp_dd);
    double med = ns % 2 ? samples[ns / 2] : (samples[ns / 2 - 1] + samples[ns / 2]) / 2;
    printf("{\"map\": \"%s\", \"elements\": %ld, \"block\": %d, \"threads\": %d, \"ns_per_step\": %.1f, \"ns_per_element\": %.5f, \"samples\": %d, \"check\": %.6g}\n",
           fp8 ? "fp8" : "dynamic", n, block, threads, med, med / n, ns, (double)p[n / 2] + amax[0]);
    return 0;
}
