package org.rmsprop4j.kernel;

/**
 * RMSprop loops. Shared coefficients (same meaning in every loop):
 * <ul>
 *   <li>{@code gs}: gradient sign, {@code -1} to maximize, else {@code 1};</li>
 *   <li>{@code l2}: coupled weight decay, {@code g ← gs·g + l2·p};</li>
 *   <li>{@code dwd}, {@code dlr}: decoupled weight decay, {@code p ← p − (p·dwd)·dlr} before the step;</li>
 *   <li>{@code decay}, {@code omd = 1 − decay}: {@code v ← decay·v + (omd·g)·g};</li>
 *   <li>{@code bc}: bias correction divisor of the moments ({@code 1} when off);</li>
 *   <li>{@code epsIn}, {@code epsOut}: {@code d = sqrt(v̂ + epsIn) + epsOut}, one of them 0;</li>
 *   <li>{@code lr}: learning rate of this step.</li>
 * </ul>
 * Momentum loops add {@code m} (momentum), {@code s}/{@code t} (learning rate inside the buffer:
 * {@code s = lr, t = 1}; outside: {@code s = 1, t = lr}), and {@code nz}/{@code mn} (Nesterov:
 * {@code nz = 1, mn = m}; plain momentum: {@code nz = 0, mn = 1}):
 * {@code u = (s·g)/d; b ← m·b + u; p ← p − t·(nz·u + mn·b)}.
 * Centered loops keep {@code a ← decay·a + omd·g} and use {@code max(v̂ − â², 0)}.
 */
public final class RmspropKernels {
    private RmspropKernels() {}

    public static void plain(float[] p, float[] g, float[] v, int off, int len,
                             float gs, float l2, float clip, float dwd, float dlr, float decay, float omd, float bc,
                             float epsIn, float epsOut, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float pi = p[i];
            float gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float d = (float) Math.sqrt(vi / bc + epsIn) + epsOut;
            p[i] = pi - (lr * gi) / d;
        }
    }

    public static void plain(double[] p, double[] g, double[] v, int off, int len,
                             double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                             double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi / bc + epsIn) + epsOut;
            p[i] = pi - (lr * gi) / d;
        }
    }

    public static void centered(float[] p, float[] g, float[] v, float[] a, int off, int len,
                                float gs, float l2, float clip, float dwd, float dlr, float decay, float omd, float bc,
                                float epsIn, float epsOut, float lr) {
        for (int i = off, end = off + len; i < end; i++) {
            float pi = p[i];
            float gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            float ah = ai / bc;
            float var = Math.max(Math.fma(-ah, ah, vi / bc), 0f);
            float d = (float) Math.sqrt(var + epsIn) + epsOut;
            p[i] = pi - (lr * gi) / d;
        }
    }

    public static void centered(double[] p, double[] g, double[] v, double[] a, int off, int len,
                                double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                                double epsIn, double epsOut, double lr) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double ah = ai / bc;
            double var = Math.max(Math.fma(-ah, ah, vi / bc), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            p[i] = pi - (lr * gi) / d;
        }
    }

    public static void momentum(float[] p, float[] g, float[] v, float[] b, int off, int len,
                                float gs, float l2, float clip, float dwd, float dlr, float decay, float omd, float bc,
                                float epsIn, float epsOut, float m, float s, float t, float nz, float mn) {
        for (int i = off, end = off + len; i < end; i++) {
            float pi = p[i];
            float gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float d = (float) Math.sqrt(vi / bc + epsIn) + epsOut;
            float u = (s * gi) / d;
            float bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, nz * u + mn * bi, pi);
        }
    }

    public static void momentum(double[] p, double[] g, double[] v, double[] b, int off, int len,
                                double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                                double epsIn, double epsOut, double m, double s, double t, double nz, double mn) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double d = Math.sqrt(vi / bc + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, nz * u + mn * bi, pi);
        }
    }

    public static void centeredMomentum(float[] p, float[] g, float[] v, float[] a, float[] b, int off, int len,
                                        float gs, float l2, float clip, float dwd, float dlr, float decay, float omd, float bc,
                                        float epsIn, float epsOut, float m, float s, float t, float nz, float mn) {
        for (int i = off, end = off + len; i < end; i++) {
            float pi = p[i];
            float gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            float vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            float ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            float ah = ai / bc;
            float var = Math.max(Math.fma(-ah, ah, vi / bc), 0f);
            float d = (float) Math.sqrt(var + epsIn) + epsOut;
            float u = (s * gi) / d;
            float bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, nz * u + mn * bi, pi);
        }
    }

    public static void centeredMomentum(double[] p, double[] g, double[] v, double[] a, double[] b, int off, int len,
                                        double gs, double l2, double clip, double dwd, double dlr, double decay, double omd, double bc,
                                        double epsIn, double epsOut, double m, double s, double t, double nz, double mn) {
        for (int i = off, end = off + len; i < end; i++) {
            double pi = p[i];
            double gi = Math.min(Math.max(Math.fma(l2, pi, gs * g[i]), -clip), clip);
            pi = pi - (pi * dwd) * dlr;
            double vi = decay * v[i];
            vi = Math.fma(omd * gi, gi, vi);
            v[i] = vi;
            double ai = decay * a[i];
            ai = Math.fma(omd, gi, ai);
            a[i] = ai;
            double ah = ai / bc;
            double var = Math.max(Math.fma(-ah, ah, vi / bc), 0d);
            double d = Math.sqrt(var + epsIn) + epsOut;
            double u = (s * gi) / d;
            double bi = m * b[i];
            bi = bi + u;
            b[i] = bi;
            p[i] = Math.fma(-t, nz * u + mn * bi, pi);
        }
    }
}
