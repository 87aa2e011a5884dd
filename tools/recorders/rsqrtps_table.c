/* Prints this CPU's rsqrtps (the SSE reciprocal-square-root estimate) as the table that
 * emulate.py reads: for every y in [1, 4) the estimate depends only on the exponent's parity and
 * the top 12 mantissa bits (checked below for all 2^24 inputs), so 8192 entries describe it.
 * Intel and AMD CPUs compute different estimates. Build and run:
 *   gcc -O2 -o /tmp/rsq tools/recorders/rsqrtps_table.c && /tmp/rsq > tools/recorders/rsqrtps-<cpu>.hex */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t est(uint32_t bits) {
    __m128 x;
    uint32_t in[4] = {bits, bits, bits, bits}, out[4];
    memcpy(&x, in, 16);
    __m128 r = _mm_rsqrt_ps(x);
    memcpy(out, &r, 16);
    return out[0];
}

int main(void) {
    static uint32_t table[8192];
    for (uint32_t i = 0; i < 8192; i++) {
        uint32_t first = est(0x3f800000u + (i << 11));
        for (uint32_t j = 1; j < 2048; j++) {
            if (est(0x3f800000u + (i << 11) + j) != first) {
                fprintf(stderr, "rsqrtps depends on more than 12 mantissa bits at entry %u: no table\n", i);
                return 1;
            }
        }
        if (first < 0x3f000000u || first > 0x3f7ff800u || (first & 0x7ffu) != 0) {
            fprintf(stderr, "entry %u: estimate 0x%08x is outside [0.5, 1) or has more than 12 bits\n", i, first);
            return 1;
        }
        table[i] = (first - 0x3f000000u) >> 11;
    }
    printf("# rsqrtps (SSE, 12-bit reciprocal square root estimate) as this machine's CPU computes it.\n");
    printf("# 8192 entries, 64 per line, 3 hex digits each. Entry i: input y in [1, 4) with bits\n");
    printf("# 0x3f800000 + (i << 11) .. + 2047; output bits 0x3f000000 + (entry << 11).\n");
    printf("# rsqrtps(y * 4^k) = rsqrtps(y) * 2^-k. Made by tools/recorders/rsqrtps_table.c.\n");
    for (uint32_t i = 0; i < 8192; i++) printf("%03x%c", table[i], (i % 64 == 63) ? '\n' : ' ');
    return 0;
}
