/*
 * alias_sweep.c - which distances between the three arrays of the float32 RMSprop step slow it down on this CPU.
 * One anonymous mapping; the state v at its start, the parameters p at v + D1 and the gradients g at p + D2, where
 * D1 and D2 run over the distances given; the loop is rmsprop_bench.c's plain fp32 loop (same flags). Prints one line
 * per (D1, D2): median ns/element of --reps steps. A distance that is slow in C is slow for the JVM's arrays too.
 *
 *   gcc -O3 -march=native -o /tmp/alias_sweep tools/bench/alias_sweep.c -lm
 *   /tmp/alias_sweep N REPS D1_LIST D2_LIST     (lists: comma-separated byte counts, suffix M for MiB, K for KiB)
 *   e.g. /tmp/alias_sweep 1e8 9 384M,388M,392M,400M 384M,388M
 *   D2_LIST "same": D2 = D1 (evenly spaced arrays), one line per D1
 */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

__attribute__((optimize("no-math-errno", "finite-math-only")))
static void plain_f32(float *restrict p, const float *restrict g, float *restrict v, size_t n) {
    const float a = (float)0.99, oma = (float)(1.0 - 0.99), nlr = (float)(-0.01), eps = (float)1e-8;
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float vi = v[i] * a + oma * gi * gi;
        v[i] = vi;
        p[i] = p[i] + nlr * (gi / (sqrtf(fabsf(vi)) + eps));
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static size_t parse(const char *s) {
    char *e;
    double d = strtod(s, &e);
    if (*e == 'M') d *= 1048576;
    else if (*e == 'K') d *= 1024;
    return (size_t)d;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: alias_sweep N REPS D1_LIST D2_LIST\n");
        return 2;
    }
    size_t n = (size_t)strtod(argv[1], NULL);
    int reps = atoi(argv[2]);
    size_t d1s[64], d2s[64];
    int n1 = 0, n2 = 0, same = !strcmp(argv[4], "same");
    for (char *t = strtok(argv[3], ","); t && n1 < 64; t = strtok(NULL, ",")) d1s[n1++] = parse(t);
    if (same) d2s[n2++] = 0;
    else for (char *t = strtok(argv[4], ","); t && n2 < 64; t = strtok(NULL, ",")) d2s[n2++] = parse(t);
    size_t maxd = 0;
    for (int i = 0; i < n1; i++) for (int j = 0; j < n2; j++) {
        size_t d2 = same ? d1s[i] : d2s[j];
        if (d1s[i] + d2 > maxd) maxd = d1s[i] + d2;
    }
    size_t bytes = maxd + n * 4 + (4 << 20);
    char *base = mmap(NULL, bytes + (4 << 20), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) { perror("mmap"); return 1; }
    base = (char *)(((size_t)base + (4 << 20) - 1) & ~(size_t)((4 << 20) - 1)); /* 4 MiB aligned, as a G1 region */
    memset(base, 0, bytes); /* touch every page once, in address order */
    double *t = malloc(sizeof(double) * reps);
    for (int i = 0; i < n1; i++)
        for (int j = 0; j < n2; j++) {
            if (same) d2s[j] = d1s[i];
            float *v = (float *)(base + 16), *p = (float *)(base + 16 + d1s[i]), *g = (float *)(base + 16 + d1s[i] + d2s[j]);
            for (size_t k = 0; k < n; k++) { g[k] = (float)((k * 2654435761u) % 2000) / 1000.0f - 1.0f; p[k] = 0.5f; v[k] = 0; }
            plain_f32(p, g, v, n);
            for (int r = 0; r < reps; r++) {
                double a = now();
                plain_f32(p, g, v, n);
                t[r] = (now() - a) / n;
            }
            qsort(t, reps, sizeof(double), cmp);
            printf("D1 %8.3f MiB  D2 %8.3f MiB  (mod 128 MiB: %7.3f, %7.3f)  %.4f ns/element  (min %.4f)\n", d1s[i] / 1048576.0,
                   d2s[j] / 1048576.0, (d1s[i] % (128u << 20)) / 1048576.0, (d2s[j] % (128u << 20)) / 1048576.0, t[reps / 2], t[0]);
            fflush(stdout);
        }
    return 0;
}
