/*
 * rmsprop_bench.c - reference fused-loop RMSprop step baseline for `rmsprop4j bench`.
 *
 * Build:  gcc -O3 -march=native -fopenmp -o rmsprop_bench rmsprop_bench.c -lm
 * Run:    ./rmsprop_bench --kernel plain --dtype fp32 --elements 1000000 --tensors 1 \
 *                         --threads 1 --min-time-ms 1000 --warmup-ms 200
 *
 * One "step" applies the PyTorch-semantics RMSprop update (lr=0.01, alpha=0.99,
 * eps=1e-8, momentum=0.9 for the momentum variants) to all T tensors of N elements:
 *
 *   plain:             v  = alpha*v + (1-alpha)*g*g
 *                      p -= lr * g / (sqrt(v) + eps)
 *   centered:          ga = alpha*ga + (1-alpha)*g
 *                      v  = alpha*v + (1-alpha)*g*g
 *                      p -= lr * g / (sqrt(max(v - ga*ga, 0)) + eps)
 *   momentum:          buf = m*buf + g/denom;  p -= lr*buf          (denom as plain)
 *   centered-momentum: buf = m*buf + g/denom;  p -= lr*buf          (denom as centered)
 *
 * Each variant/dtype is a single fused loop over the elements (one pass over memory).
 *
 * Threading (--parallel, default auto):
 *   serial    no OpenMP region at all; chosen by auto for --threads 1 and for steps that
 *             move < 1 MiB (fork/join would cost more than it saves).
 *   flat      auto otherwise: one parallel region per step; the T*N elements, viewed as one
 *             flattened range, are split into K equal contiguous chunks (boundaries inside a
 *             tensor rounded to 16 elements so threads never share a cache line). This is
 *             "over elements" for T == 1 and "over tensors" for many small tensors, is
 *             balanced for any T, K, and needs no barrier except the region's end.
 *   elements  every tensor split over the K threads (bad for many small tensors).
 *   tensors   omp for schedule(static) over tensors (unbalanced if T is not a multiple of K).
 *   Measured on the 2-core dev VM: 1000 x 1000 fp32, 2 threads: flat ~95 us, tensors ~95 us,
 *   elements ~480 us, serial ~145 us per step.
 * Output: exactly one JSON object on stdout; errors go to stderr with a non-zero exit.
 * See README.md for the measurement method and the bytes-per-element convention.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define LR 0.01
#define ALPHA 0.99
#define EPS 1e-8
#define MOMENTUM 0.9

/* Target length of one timed sample (a batch of consecutive steps). */
#define TARGET_SAMPLE_NS 50000.0
/* Minimum number of timed samples, even if --min-time-ms is already exceeded. */
#define MIN_SAMPLES 5
/* Below this many bytes moved per step, a multi-threaded step runs serially in auto mode:
 * an OpenMP fork/join (~2-3 us measured on the 2-core dev VM) costs more than it saves
 * (measured fp32 crossover: 32768 elements serial 4.2 us vs 2 threads 5.5 us; 65536
 * elements 8.5 us vs 7.7 us). */
#define PARALLEL_MIN_BYTES (1 << 20)
/* Thread chunk boundaries are rounded to this many elements (>= one 64-byte line). */
#define CHUNK_ALIGN 16
/* Reported in the JSON "flags" field; override with -DBENCH_FLAGS='"..."' if you build
 * with different flags. */
#ifndef BENCH_FLAGS
#define BENCH_FLAGS "-O3 -march=native -fopenmp"
#endif

enum kernel { K_PLAIN, K_CENTERED, K_MOMENTUM, K_CENTERED_MOMENTUM };
enum dtype { D_FP32, D_FP64 };
enum par { P_AUTO, P_SERIAL, P_FLAT, P_ELEMENTS, P_TENSORS };

static const char *kernel_names[] = {"plain", "centered", "momentum", "centered-momentum"};
static const char *dtype_names[] = {"fp32", "fp64"};
static const char *par_names[] = {"auto", "serial", "flat", "elements", "tensors"};

typedef void (*kernel_fn)(void *p, const void *g, void *v, void *ga, void *buf, size_t lo,
                          size_t hi);

/* ---------------------------------------------------------------- kernels */
/* Vectorisation of sqrt without changing the build command.
 * With GCC's default -fmath-errno, sqrt()/sqrtf() becomes "sqrtss + branch to libm when
 * the argument is negative (to set errno)"; that branch stops the loop from being
 * vectorised (measured here: ~2 ns/element instead of ~0.1-0.2 ns/element for in-cache
 * fp32 data, i.e. a ~10x slower "baseline"). GCC 12 ignores optimize("no-math-errno") on a
 * function for this purpose; what works is letting the compiler prove the argument is
 * non-negative: SQRT(fabs(x)) together with optimize("finite-math-only") on the kernel
 * functions only. Neither changes a single result here: the argument is already >= 0
 * (v is a sum of non-negative terms; the centered variance is clamped with fmax(.,0) --
 * written as fmax because GCC 12 does not if-convert "x > 0 ? x : 0" here), sqrt
 * and division stay IEEE correctly rounded, and no reassociation or reciprocal
 * approximation is enabled. (The inputs never become Inf/NaN in this benchmark.)
 * The required build command therefore stays "gcc -O3 -march=native -fopenmp ...".
 * Note: -march=native enables FMA and GCC contracts a*b+c into FMA by default (GNU C
 * mode), so results may differ from PyTorch's in the last bit. */
#ifdef KERNEL_ATTR
/* overridden on the command line (e.g. -DKERNEL_ATTR= to see the scalar code) */
#elif defined(__GNUC__) && !defined(__clang__)
#define KERNEL_ATTR __attribute__((optimize("no-math-errno", "finite-math-only")))
#else
#define KERNEL_ATTR
#endif
/* The constants are converted to the working type the way PyTorch does it:
 * Python doubles (alpha, 1-alpha, -lr, eps, momentum) cast to the tensor dtype. */
#define DEFINE_KERNELS(T, SUF, SQRT, FMAX)                                                        \
    KERNEL_ATTR static void plain_##SUF(void *p_, const void *g_, void *v_, void *ga_, void *buf_,       \
                            size_t lo, size_t hi) {                                          \
        (void)ga_; (void)buf_;                                                               \
        T *restrict p = (T *)p_; const T *restrict g = (const T *)g_;                        \
        T *restrict v = (T *)v_;                                                             \
        const T a = (T)ALPHA, oma = (T)(1.0 - ALPHA), nlr = (T)(-LR), eps = (T)EPS;          \
        for (size_t i = lo; i < hi; i++) {                                                   \
            T gi = g[i];                                                                     \
            T vi = v[i] * a + oma * gi * gi;                                                 \
            v[i] = vi;                                                                       \
            p[i] = p[i] + nlr * (gi / (SQRT(vi) + eps));                                     \
        }                                                                                    \
    }                                                                                        \
    KERNEL_ATTR static void centered_##SUF(void *p_, const void *g_, void *v_, void *ga_, void *buf_,    \
                               size_t lo, size_t hi) {                                       \
        (void)buf_;                                                                          \
        T *restrict p = (T *)p_; const T *restrict g = (const T *)g_;                        \
        T *restrict v = (T *)v_; T *restrict ga = (T *)ga_;                                  \
        const T a = (T)ALPHA, oma = (T)(1.0 - ALPHA), nlr = (T)(-LR), eps = (T)EPS;          \
        for (size_t i = lo; i < hi; i++) {                                                   \
            T gi = g[i];                                                                     \
            T vi = v[i] * a + oma * gi * gi;                                                 \
            T gai = ga[i] * a + oma * gi;                                                    \
            v[i] = vi;                                                                       \
            ga[i] = gai;                                                                     \
            T var = FMAX(vi - gai * gai, (T)0);                                              \
            p[i] = p[i] + nlr * (gi / (SQRT(var) + eps));                                    \
        }                                                                                    \
    }                                                                                        \
    KERNEL_ATTR static void momentum_##SUF(void *p_, const void *g_, void *v_, void *ga_, void *buf_,    \
                               size_t lo, size_t hi) {                                       \
        (void)ga_;                                                                           \
        T *restrict p = (T *)p_; const T *restrict g = (const T *)g_;                        \
        T *restrict v = (T *)v_; T *restrict b = (T *)buf_;                                  \
        const T a = (T)ALPHA, oma = (T)(1.0 - ALPHA), nlr = (T)(-LR), eps = (T)EPS,          \
                m = (T)MOMENTUM;                                                             \
        for (size_t i = lo; i < hi; i++) {                                                   \
            T gi = g[i];                                                                     \
            T vi = v[i] * a + oma * gi * gi;                                                 \
            v[i] = vi;                                                                       \
            T bi = b[i] * m + gi / (SQRT(vi) + eps);                                         \
            b[i] = bi;                                                                       \
            p[i] = p[i] + nlr * bi;                                                          \
        }                                                                                    \
    }                                                                                        \
    KERNEL_ATTR static void centered_momentum_##SUF(void *p_, const void *g_, void *v_, void *ga_,       \
                                        void *buf_, size_t lo, size_t hi) {                  \
        T *restrict p = (T *)p_; const T *restrict g = (const T *)g_;                        \
        T *restrict v = (T *)v_; T *restrict ga = (T *)ga_; T *restrict b = (T *)buf_;       \
        const T a = (T)ALPHA, oma = (T)(1.0 - ALPHA), nlr = (T)(-LR), eps = (T)EPS,          \
                m = (T)MOMENTUM;                                                             \
        for (size_t i = lo; i < hi; i++) {                                                   \
            T gi = g[i];                                                                     \
            T vi = v[i] * a + oma * gi * gi;                                                 \
            T gai = ga[i] * a + oma * gi;                                                    \
            v[i] = vi;                                                                       \
            ga[i] = gai;                                                                     \
            T var = FMAX(vi - gai * gai, (T)0);                                              \
            T bi = b[i] * m + gi / (SQRT(var) + eps);                                        \
            b[i] = bi;                                                                       \
            p[i] = p[i] + nlr * bi;                                                          \
        }                                                                                    \
    }

#define SQRT_NONNEG_F32(x) sqrtf(fabsf(x))
#define SQRT_NONNEG_F64(x) sqrt(fabs(x))
DEFINE_KERNELS(float, f32, SQRT_NONNEG_F32, fmaxf)
DEFINE_KERNELS(double, f64, SQRT_NONNEG_F64, fmax)

static const kernel_fn kernel_table[4][2] = {
    {plain_f32, plain_f64},
    {centered_f32, centered_f64},
    {momentum_f32, momentum_f64},
    {centered_momentum_f32, centered_momentum_f64},
};

/* ---------------------------------------------------------------- state */
typedef struct {
    size_t n, t, esize;
    void **p, **g, **v, **ga, **buf; /* ga / buf entries are NULL when unused */
    kernel_fn fn;
    enum par par; /* resolved strategy (never P_AUTO) */
    int threads;
    size_t *bounds; /* P_FLAT: threads+1 global element boundaries */
} bench_t;

static void die(const char *fmt, const char *arg) {
    fprintf(stderr, "rmsprop_bench: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

/* Deterministic values: SplitMix64 of a key (stream, tensor, index). The Python
 * baseline uses the same generator, so both start from bit-identical data.
 * fp32: 24 random bits -> k*2^-23 - 1; fp64: 53 bits -> k*2^-52 - 1; both in [-1, 1). */
static inline uint64_t splitmix64(uint64_t key) {
    uint64_t z = key + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static inline uint64_t rng_key(uint64_t stream, uint64_t tensor, uint64_t i) {
    return (stream << 62) | (tensor << 40) | i;
}

/* Alignment of every array, and an extra offset in bytes added to the k-th array allocated
 * (--align A --stagger S: array k starts S*k bytes past an A-aligned address). The default, 64 and 0,
 * is what malloc gives large arrays anyway; --align 2097152 --stagger 16 puts every array 16 bytes past
 * a 2 MiB boundary, as the JVM's G1 places large (humongous) arrays. */
static size_t g_align = 64, g_stagger = 0, g_count = 0;
/* --thp 1: madvise(MADV_HUGEPAGE) on every array (the kernel's THP "madvise" mode gives huge pages
 * only to ranges that ask; the JVM asks with -XX:+UseTransparentHugePages, which `./rmsprop4j` passes and
 * `bench` then passes on as --thp 1). Raises --align to 2 MiB. */
static int g_thp = 0;
/* Unless --stagger is given: no two arrays a multiple of 128 MiB apart (within 4 KiB). On AMD Zen the L1 data
 * cache predicts ways by a hash of address bits 12-27, and three streams equal in bits 6-27 evict each other:
 * the step at 1e8 ran 1.5-2.8x slower (docs/speed-history.md, "1e8 on one thread: the spacer fell into a hole"). With 2 MiB
 * alignment, consecutive 400 MB arrays land exactly 384 MiB apart; an aliased array is given back and
 * allocated again after a 4 MiB reservation of address space. The JVM side (StepTimer.placed) does the same. */
static int g_dealias = 1;
static uintptr_t g_prev[64];
static int g_nprev = 0;

static int aliases(uintptr_t a) {
    for (int i = 0; i < g_nprev; i++) {
        uintptr_t d = (a - g_prev[i]) & ((1u << 27) - 1);
        if (d < 4096 || d > (1u << 27) - 4096) return 1;
    }
    return 0;
}

static void *alloc_aligned(size_t bytes) {
    size_t extra = g_stagger * g_count++;
    char *ptr;
    for (int tries = 0;; tries++) {
        size_t rounded = (bytes + extra + g_align - 1) & ~(g_align - 1);
        if (rounded == 0) rounded = g_align;
        ptr = aligned_alloc(g_align, rounded);
        if (!ptr) {
            char buf[64];
            snprintf(buf, sizeof buf, "%zu", rounded);
            die("out of memory allocating %s bytes", buf);
        }
        if (!g_dealias || bytes < (1u << 20) || tries == 8 || !aliases((uintptr_t)(ptr + extra))) {
#ifdef MADV_HUGEPAGE
            if (g_thp) madvise(ptr, rounded, MADV_HUGEPAGE);
#endif
            break;
        }
        /* give it back and hold 4 MiB of address space where the next mapping would go (mmap places top down) */
        free(ptr);
        if (mmap(NULL, (size_t)4 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) die("%s", "mmap failed");
    }
    if (g_nprev < 64) g_prev[g_nprev++] = (uintptr_t)(ptr + extra);
    return ptr + extra; /* never freed when extra > 0: the process ends right after */
}

static void fill_uniform(void *dst, enum dtype dt, uint64_t stream, uint64_t tensor, size_t n) {
    if (dt == D_FP32) {
        float *d = dst;
        for (size_t i = 0; i < n; i++)
            d[i] = (float)((double)(splitmix64(rng_key(stream, tensor, i)) >> 40) * 0x1p-23 - 1.0);
    } else {
        double *d = dst;
        for (size_t i = 0; i < n; i++)
            d[i] = (double)(splitmix64(rng_key(stream, tensor, i)) >> 11) * 0x1p-52 - 1.0;
    }
}

/* Process global (flattened) element range [lo, hi) across tensor boundaries. */
static inline void run_range(const bench_t *b, size_t lo, size_t hi) {
    if (lo >= hi) return;
    size_t n = b->n, t = lo / n, off = lo - t * n, left = hi - lo;
    while (left > 0) {
        size_t len = n - off < left ? n - off : left;
        b->fn(b->p[t], b->g[t], b->v[t], b->ga ? b->ga[t] : NULL, b->buf ? b->buf[t] : NULL,
              off, off + len);
        left -= len;
        off = 0;
        t++;
    }
}

static void step(const bench_t *b) {
    switch (b->par) {
    case P_SERIAL:
        for (size_t t = 0; t < b->t; t++)
            b->fn(b->p[t], b->g[t], b->v[t], b->ga ? b->ga[t] : NULL,
                  b->buf ? b->buf[t] : NULL, 0, b->n);
        break;
    case P_FLAT:
#pragma omp parallel num_threads(b->threads)
    {
#ifdef _OPENMP
        int k = omp_get_thread_num();
#else
        int k = 0;
#endif
        run_range(b, b->bounds[k], b->bounds[k + 1]);
    }
        break;
    case P_ELEMENTS:
        /* one parallel region; each tensor split statically over threads (no barriers) */
#pragma omp parallel num_threads(b->threads)
    {
#ifdef _OPENMP
        int k = omp_get_thread_num(), nt = omp_get_num_threads();
#else
        int k = 0, nt = 1;
#endif
        size_t n = b->n;
        size_t lo = (n * (size_t)k / (size_t)nt) / CHUNK_ALIGN * CHUNK_ALIGN;
        size_t hi = (k == nt - 1) ? n : (n * (size_t)(k + 1) / (size_t)nt) / CHUNK_ALIGN * CHUNK_ALIGN;
        if (lo < hi)
            for (size_t t = 0; t < b->t; t++)
                b->fn(b->p[t], b->g[t], b->v[t], b->ga ? b->ga[t] : NULL,
                      b->buf ? b->buf[t] : NULL, lo, hi);
    }
        break;
    case P_TENSORS:
    {
        long tt = (long)b->t;
#pragma omp parallel for schedule(static) num_threads(b->threads)
        for (long t = 0; t < tt; t++)
            b->fn(b->p[t], b->g[t], b->v[t], b->ga ? b->ga[t] : NULL,
                  b->buf ? b->buf[t] : NULL, 0, b->n);
    }
        break;
    default:
        break;
    }
}

static inline double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long long parse_ll(const char *name, const char *s, long long min) {
    char *end;
    errno = 0;
    double d = strtod(s, &end); /* accept 1e6 style too */
    if (errno || *end || end == s || d < (double)min || d > 9.0e18 || d != floor(d))
        die("bad value for %s", name);
    return (long long)d;
}

/* The timed samples of one measurement (ns per step of each batch), sorted. */
typedef struct {
    double *samples;
    size_t nsamples;
    long long batch, steps_total;
} timing_t;

/* Warm-up: runs until warm_ms elapsed (at least 2 steps) and returns the batch (steps per timed
 * sample, so that one sample lasts at least TARGET_SAMPLE_NS), from the steps after the first. */
static long long warm_up(const bench_t *b, long long warm_ms, long long *steps) {
    double t0 = now_ns(), t1;
    long long ws = 0;
    step(b);
    ws++;
    double after_first = now_ns();
    do {
        step(b);
        ws++;
        t1 = now_ns();
    } while (t1 - t0 < (double)warm_ms * 1e6);
    *steps = ws;
    double est = (t1 - after_first) / (double)(ws - 1);
    if (est <= 0) est = 1;
    long long batch = (long long)ceil(TARGET_SAMPLE_NS / est);
    return batch < 1 ? 1 : batch;
}

/* Timed batches of `batch` steps until min_ms has passed and there are MIN_SAMPLES samples. */
static timing_t measure(const bench_t *b, long long batch, long long min_ms) {
    timing_t tm = {NULL, 0, batch, 0};
    size_t cap = 0;
    double start = now_ns();
    for (;;) {
        double s0 = now_ns();
        for (long long s = 0; s < batch; s++) step(b);
        double s1 = now_ns();
        tm.steps_total += batch;
        if (tm.nsamples == cap) {
            cap = cap ? cap * 2 : 1024;
            tm.samples = realloc(tm.samples, cap * sizeof(double));
            if (!tm.samples) die("%s", "out of memory (samples)");
        }
        tm.samples[tm.nsamples++] = (s1 - s0) / (double)batch;
        if (s1 - start >= (double)min_ms * 1e6 && tm.nsamples >= MIN_SAMPLES) break;
    }
    qsort(tm.samples, tm.nsamples, sizeof(double), cmp_double);
    return tm;
}

/* The q-quantile (0..1) of sorted samples, nearest rank. */
static double quantile(const timing_t *tm, double q) {
    size_t i = (size_t)(q * (double)(tm->nsamples - 1) + 0.5);
    return tm->samples[i < tm->nsamples ? i : tm->nsamples - 1];
}

/* One JSON line on stdout. round >= 0 adds "round" (serve mode). */
static void print_json(const bench_t *b, const timing_t *tm, enum kernel kern, enum dtype dt, long long n,
                       long long nt, long long threads, double bytes_per_element, int round) {
    size_t ns = tm->nsamples;
    double median = (ns % 2) ? tm->samples[ns / 2] : 0.5 * (tm->samples[ns / 2 - 1] + tm->samples[ns / 2]);
    double best = tm->samples[0];
    size_t total = b->n * b->t;
    double checksum = 0.0;
    for (size_t t = 0; t < b->t; t++) {
        if (dt == D_FP32) {
            const float *p = b->p[t];
            for (size_t i = 0; i < b->n; i++) checksum += (double)p[i];
        } else {
            const double *p = b->p[t];
            for (size_t i = 0; i < b->n; i++) checksum += p[i];
        }
    }
    char compiler[128];
#if defined(__clang__)
    snprintf(compiler, sizeof compiler, "clang %d.%d.%d", __clang_major__, __clang_minor__,
             __clang_patchlevel__);
#elif defined(__GNUC__)
    snprintf(compiler, sizeof compiler, "gcc %d.%d.%d", __GNUC__, __GNUC_MINOR__,
             __GNUC_PATCHLEVEL__);
#else
    snprintf(compiler, sizeof compiler, "unknown");
#endif
    char cks[64];
    if (isfinite(checksum)) snprintf(cks, sizeof cks, "%.17g", checksum);
    else snprintf(cks, sizeof cks, "null");
    char rnd[32] = "";
    if (round >= 0) snprintf(rnd, sizeof rnd, ",\"round\":%d", round);
    printf("{\"impl\":\"c\",\"compiler\":\"%s\",\"flags\":\"%s\","
           "\"kernel\":\"%s\",\"dtype\":\"%s\",\"elements\":%lld,\"tensors\":%lld,"
           "\"threads\":%lld,\"ns_per_step\":%.3f,\"ns_per_element\":%.6g,\"gb_per_s\":%.4f,"
           "\"samples\":%zu,\"checksum\":%s,\"parallel\":\"%s\",\"batch\":%lld,"
           "\"steps_total\":%lld,\"min_ns_per_step\":%.3f,\"bytes_per_element\":%.0f,"
           "\"p10_ns_per_step\":%.3f,\"p90_ns_per_step\":%.3f,\"max_ns_per_step\":%.3f%s}\n",
           compiler, BENCH_FLAGS, kernel_names[kern], dtype_names[dt], n, nt, threads, median,
           median / (double)total, bytes_per_element * (double)total / median, ns, cks,
           par_names[b->par], tm->batch, tm->steps_total, best, bytes_per_element,
           quantile(tm, 0.1), quantile(tm, 0.9), tm->samples[ns - 1], rnd);
}

static void usage(void) {
    fprintf(stderr,
            "usage: rmsprop_bench [--kernel plain|centered|momentum|centered-momentum]\n"
            "                     [--dtype fp32|fp64] [--elements N] [--tensors T] [--threads K]\n"
            "                     [--min-time-ms MS] [--warmup-ms MS]\n"
            "                     [--parallel auto|serial|flat|elements|tensors] [--check-steps S]\n"
            "                     [--serve 1]   (rounds on demand: one line \"MS\" per round on stdin)\n"
            "                     [--align BYTES] [--stagger BYTES] [--thp 1]   (array placement; default 64, 0, no madvise)\n");
}

int main(int argc, char **argv) {
    enum kernel kern = K_PLAIN;
    enum dtype dt = D_FP32;
    enum par par = P_AUTO;
    long long n = 1000000, nt = 1, threads = 1, min_ms = 1000, warm_ms = 200, check_steps = 0, serve = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if (i + 1 >= argc) {
            usage();
            die("missing value for %s", a);
        }
        const char *val = argv[++i];
        if (!strcmp(a, "--kernel")) {
            int found = 0;
            for (int k = 0; k < 4; k++)
                if (!strcmp(val, kernel_names[k])) kern = (enum kernel)k, found = 1;
            if (!found) die("unknown kernel '%s'", val);
        } else if (!strcmp(a, "--dtype")) {
            if (!strcmp(val, "fp32")) dt = D_FP32;
            else if (!strcmp(val, "fp64")) dt = D_FP64;
            else die("unknown dtype '%s'", val);
        } else if (!strcmp(a, "--parallel")) {
            int found = 0;
            for (int k = 0; k < 5; k++)
                if (!strcmp(val, par_names[k])) par = (enum par)k, found = 1;
            if (!found) die("unknown parallel strategy '%s'", val);
        } else if (!strcmp(a, "--elements")) n = parse_ll(a, val, 1);
        else if (!strcmp(a, "--tensors")) nt = parse_ll(a, val, 1);
        else if (!strcmp(a, "--threads")) threads = parse_ll(a, val, 1);
        else if (!strcmp(a, "--min-time-ms")) min_ms = parse_ll(a, val, 0);
        else if (!strcmp(a, "--warmup-ms")) warm_ms = parse_ll(a, val, 0);
        else if (!strcmp(a, "--check-steps")) check_steps = parse_ll(a, val, 0);
        else if (!strcmp(a, "--serve")) serve = parse_ll(a, val, 0);
        else if (!strcmp(a, "--align")) g_align = (size_t)parse_ll(a, val, 64);
        else if (!strcmp(a, "--stagger")) g_stagger = (size_t)parse_ll(a, val, 0), g_dealias = 0;
        else if (!strcmp(a, "--thp")) g_thp = (int)parse_ll(a, val, 0);
        else {
            usage();
            die("unknown option '%s'", a);
        }
    }
    if (nt >= (1LL << 22)) die("%s", "--tensors must be < 4194304");
    if (g_align & (g_align - 1)) die("%s", "--align must be a power of two >= 64");
    if (g_stagger % 16) die("%s", "--stagger must be a multiple of 16");
    if (g_thp && g_align < ((size_t)2 << 20)) g_align = (size_t)2 << 20;
    if (n >= (1LL << 40)) die("%s", "--elements must be < 2^40");
    if (threads > 1024) die("%s", "--threads must be <= 1024");
#ifndef _OPENMP
    if (threads > 1) die("%s", "built without OpenMP; only --threads 1 is supported");
#endif

    bench_t b;
    memset(&b, 0, sizeof b);
    b.n = (size_t)n;
    b.t = (size_t)nt;
    b.esize = dt == D_FP32 ? 4 : 8;
    b.threads = (int)threads;
    b.fn = kernel_table[kern][dt];
    size_t total = b.n * b.t;

    int use_ga = kern == K_CENTERED || kern == K_CENTERED_MOMENTUM;
    int use_buf = kern == K_MOMENTUM || kern == K_CENTERED_MOMENTUM;
    int vars = 3 + use_ga + use_buf; /* arrays touched; each is read and written except g */
    double bytes_per_element = (double)b.esize * (2.0 * vars - 1.0);

    if (par == P_AUTO)
        par = (threads == 1 || (double)total * bytes_per_element < PARALLEL_MIN_BYTES)
                  ? P_SERIAL : P_FLAT;
    if (threads == 1) par = P_SERIAL;
    b.par = par;
    b.p = calloc(b.t, sizeof(void *));
    b.g = calloc(b.t, sizeof(void *));
    b.v = calloc(b.t, sizeof(void *));
    if (use_ga) b.ga = calloc(b.t, sizeof(void *));
    if (use_buf) b.buf = calloc(b.t, sizeof(void *));
    if (!b.p || !b.g || !b.v || (use_ga && !b.ga) || (use_buf && !b.buf))
        die("%s", "out of memory (tensor tables)");
    size_t bytes = b.n * b.esize;
    for (size_t t = 0; t < b.t; t++) {
        b.p[t] = alloc_aligned(bytes);
        b.g[t] = alloc_aligned(bytes);
        b.v[t] = alloc_aligned(bytes);
        fill_uniform(b.p[t], dt, 0, t, b.n);
        fill_uniform(b.g[t], dt, 1, t, b.n);
        memset(b.v[t], 0, bytes);
        if (use_ga) {
            b.ga[t] = alloc_aligned(bytes);
            memset(b.ga[t], 0, bytes);
        }
        if (use_buf) {
            b.buf[t] = alloc_aligned(bytes);
            memset(b.buf[t], 0, bytes);
        }
    }

    if (par == P_FLAT) {
        /* Split the flattened element range evenly; boundaries inside a tensor are
         * rounded down to CHUNK_ALIGN elements so threads never share a cache line. */
        b.bounds = calloc((size_t)threads + 1, sizeof(size_t));
        if (!b.bounds) die("%s", "out of memory");
        b.bounds[0] = 0;
        b.bounds[threads] = total;
        for (long long k = 1; k < threads; k++) {
            size_t x = (size_t)((double)total * (double)k / (double)threads);
            size_t t = x / b.n, off = x - t * b.n;
            x = t * b.n + off / CHUNK_ALIGN * CHUNK_ALIGN;
            if (x < b.bounds[k - 1]) x = b.bounds[k - 1];
            b.bounds[k] = x;
        }
    }

    if (check_steps > 0) {
        /* Correctness mode: exactly S steps, timed as one sample. */
        double t0 = now_ns();
        for (long long s = 0; s < check_steps; s++) step(&b);
        double t1 = now_ns();
        double one = (t1 - t0) / (double)check_steps;
        timing_t tm = {&one, 1, 1, check_steps};
        print_json(&b, &tm, kern, dt, n, nt, threads, bytes_per_element, -1);
    } else {
        long long warm_steps = 0;
        long long batch = warm_up(&b, warm_ms, &warm_steps);
        if (!serve) {
            timing_t tm = measure(&b, batch, min_ms);
            tm.steps_total += warm_steps;
            print_json(&b, &tm, kern, dt, n, nt, threads, bytes_per_element, -1);
            free(tm.samples);
        } else {
            /* Serve mode: the arrays stay allocated and warm; every line on stdin is one round of
             * that many milliseconds, answered by one JSON line (with "round"). EOF or "q" ends. */
            /* the first tensor's addresses, for placement diagnostics (tools/bench/Var1e8.java) */
            printf("{\"ready\":true,\"batch\":%lld,\"p\":%llu,\"g\":%llu,\"v\":%llu}\n", batch,
                   (unsigned long long)(uintptr_t)b.p[0], (unsigned long long)(uintptr_t)b.g[0],
                   (unsigned long long)(uintptr_t)b.v[0]);
            fflush(stdout);
            char line[64];
            int round = 0;
            while (fgets(line, sizeof line, stdin) && line[0] != 'q') {
                line[strcspn(line, " \r\n")] = '\0';
                long long ms = parse_ll("round time (ms) on stdin", line, 0);
                timing_t tm = measure(&b, batch, ms);
                print_json(&b, &tm, kern, dt, n, nt, threads, bytes_per_element, round++);
                fflush(stdout);
                free(tm.samples);
            }
        }
    }

    for (size_t t = 0; g_stagger == 0 && t < b.t; t++) { /* staggered arrays are not malloc's pointers */
        free(b.p[t]);
        free(b.g[t]);
        free(b.v[t]);
        if (use_ga) free(b.ga[t]);
        if (use_buf) free(b.buf[t]);
    }
    free(b.p); free(b.g); free(b.v); free(b.ga); free(b.buf); free(b.bounds);
    return 0;
}
