"""Replays every recorded case with an explicit model of each framework's arithmetic.

    python3 tools/recorders/emulate.py [--mkl LIB] [--verbose] [FOLDER_OR_CASE ...]

Default: every case under testkit/src/test/resources/recorded/ and golden/pytorch/. For each case
it runs the framework's update as a sequence of IEEE operations in the framework's order and
precision (numpy float32/float64, one rounding per operation; fused multiply-adds computed
exactly, see `fma`) and prints the worst error in ULP over every parameter after every step and
every final-state slot, and the number of values that differ. `docs/arithmetic.md` explains each
profile and the evidence.

The PyTorch 2.13 wheel computes `sqrt` with Intel MKL's VML (`vsSqrt`/`vdSqrt`), which is not
correctly rounded. The emulator reproduces MKL's float32 and float64 kernels exactly (the CPU's
`rsqrtps` estimate from `rsqrtps-amd-epyc.hex`, then a refinement: `mkl_sqrt_f32`,
`mkl_sqrt_f64`). `--mkl LIB` (the wheel's `libtorch_cpu.so`, which exports `vsSqrt`/`vdSqrt`)
takes MKL's own functions instead; `--ieee-sqrt` uses the IEEE root (to see the residual). Optax's `rsqrt` is XLA's: modelled exactly for
float32 (the same `rsqrtps` table, one Newton step); for float64 taken from JAX when importable
(`--no-jax` refuses). `--no-xla`: a correctly rounded rsqrt for all Optax cases.
"""
import argparse
import ctypes
import glob
import json
import math
import os
import sys
from fractions import Fraction

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RES = os.path.join(ROOT, "testkit", "src", "test", "resources")

# ---------------------------------------------------------------------------- arithmetic


def fma32(a, b, c):
    """float32 fused multiply-add, correctly rounded.

    The product of two float32 is exact in float64; the float64 sum p + c is rounded once, and the
    rounding to float32 that follows is then correct except when the float64 sum lands exactly on
    a float32 midpoint (a double rounding): the exact error of the sum (TwoSum) decides those.
    """
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    p = a * b
    with np.errstate(invalid="ignore", over="ignore"):
        s = p + c
        bb = s - p
        err = (p - (s - bb)) + (c - bb)
        r = s.astype(np.float32)
        up = np.nextafter(r, np.float32(np.inf))
        dn = np.nextafter(r, np.float32(-np.inf))
        r64 = r.astype(np.float64)
        mid_up = (r64 + up.astype(np.float64)) / 2
        mid_dn = (r64 + dn.astype(np.float64)) / 2
        fin = np.isfinite(s) & np.isfinite(err)
        r = np.where(fin & (s == mid_up) & (err > 0), up, r)
        r = np.where(fin & (s == mid_dn) & (err < 0), dn, r)
    return r.astype(np.float32)


def fma64(a, b, c):
    """float64 fused multiply-add, exact through fractions (slow, fine for these sizes)."""
    A, B, C = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64))
    out = np.empty(A.shape)
    for i in np.ndindex(A.shape):
        x, y, z = float(A[i]), float(B[i]), float(C[i])
        if math.isfinite(x) and math.isfinite(y) and math.isfinite(z):
            out[i] = float(Fraction(x) * Fraction(y) + Fraction(z))
        else:
            out[i] = x * y + z
    return out


class Arith:
    """One precision: every method rounds once to it."""

    def __init__(self, dtype, sqrt=None, rsqrt=None):
        self.dt = np.float32 if dtype == "float32" else np.float64
        self._sqrt = sqrt
        self._rsqrt = rsqrt

    def rsqrt(self, x):
        """1/sqrt(x): the given primitive (XLA's), else correctly rounded."""
        x = self.fl(x)
        if self._rsqrt is not None:
            return np.asarray(self._rsqrt(x), self.dt)
        with np.errstate(all="ignore"):
            return (1 / np.sqrt(x.astype(np.longdouble))).astype(self.dt)

    def c(self, x):  # a scalar narrowed to the working precision
        return self.dt(x)

    def fl(self, x):
        return np.asarray(x, self.dt)

    def fma(self, a, b, c):
        return fma32(a, b, c) if self.dt == np.float32 else fma64(a, b, c).astype(np.float64)

    def sqrt(self, x):
        x = self.fl(x)
        if self._sqrt is not None:
            return self._sqrt(x)
        with np.errstate(invalid="ignore"):
            return np.sqrt(x)


_RSQRTPS = None


def rsqrtps(x, table=os.path.join(os.path.dirname(os.path.abspath(__file__)), "rsqrtps-amd-epyc.hex")):
    """The SSE rsqrtps estimate of this machine's CPU (AMD EPYC, Zen 4) for normal float32 x > 0,
    from its 8192-entry table (exponent parity and the top 12 mantissa bits decide it)."""
    global _RSQRTPS
    if _RSQRTPS is None:
        vals = []
        for line in open(table):
            if not line.startswith("#"):
                vals += [int(v, 16) for v in line.split()]
        _RSQRTPS = np.array(vals, dtype=np.int64)
        assert _RSQRTPS.size == 8192
    b = np.asarray(x, np.float32).view(np.uint32).astype(np.int64)
    e = (b >> 23) & 0xFF
    odd = (e - 127) & 1
    r = 0x3F000000 + (_RSQRTPS[((odd << 23) | (b & 0x7FFFFF)) >> 11] << 11)
    k = (e - 127 - odd) // 2
    return (r - (k << 23)).astype(np.uint32).view(np.float32)


def mkl_sqrt_f32(x):
    """MKL VML vsSqrt as the PyTorch 2.13 wheel runs it on this CPU (kernel
    mkl_vml_kernel_sSqrt_EXHAynn, SSE, no FMA): the rsqrtps estimate r, then
    s = x·r, h = r·0.5, e = 0.5 − s·h, s = s·e + s, h = h·e + h, d = x − s·s, result d·h + s,
    every operation rounded to float32. Zeros, subnormals, negatives, infinities, NaN and
    x >= 0x7f7ff001 take MKL's special path (IEEE results for all we could check)."""
    f = np.float32
    x = np.asarray(x, f)
    bits = x.view(np.uint32).astype(np.int64)
    fast = (bits >= 0x00800000) & (bits < 0x7F7FF001)
    xs = np.where(fast, x, f(1))
    r = rsqrtps(xs)
    h0 = f(0.5)
    s = (xs * r).astype(f)
    h = (r * h0).astype(f)
    e = (h0 - (s * h).astype(f)).astype(f)
    s = ((s * e).astype(f) + s).astype(f)
    h = ((h * e).astype(f) + h).astype(f)
    d = (xs - (s * s).astype(f)).astype(f)
    y = ((d * h).astype(f) + s).astype(f)
    with np.errstate(invalid="ignore"):
        return np.where(fast, y, np.sqrt(x)).astype(f)


_MASK_HI = np.uint64(0xFFFFFFFFF8000000)


def rsqrtps_f64(x):
    """The rsqrtps estimate for a double x (normal, > 0), as MKL's float64 kernel forms it: the
    table entry for the parity of x's exponent and its top 12 mantissa bits, scaled exactly by
    the power of two, as a double."""
    b = np.asarray(x, np.float64).view(np.int64)
    e = (b >> 52) & 0x7FF
    odd = (e - 1023) & 1
    top12 = (b >> 40) & 0xFFF
    rsqrtps(np.float32(1))  # loads the table
    r = 0x3F000000 + (_RSQRTPS[(odd << 12) | top12] << 11)        # float32 bits of the estimate in (0.5, 1]
    k = (e - 1023 - odd) // 2
    return np.asarray(r, np.uint32).view(np.float32).astype(np.float64) * np.ldexp(1.0, -k)


def mkl_sqrt_f64(x):
    """MKL VML vdSqrt as the PyTorch 2.13 wheel runs it on this CPU (kernel
    mkl_vml_kernel_dSqrt_EXHAynn, SSE2, no FMA), every operation rounded to float64:
    y0 = the rsqrtps estimate; t = y0·y0; x = xh + xl (xh: x with the low 27 mantissa bits
    cleared); e = (1 − t·xh) − t·xl; P = ((((e·A + B)·e + C)·e + D)·e) with the series
    coefficients of (1−e)^(−1/2) (A ≈ 35/128, B ≈ 5/16, C ≈ 3/8, D ≈ 1/2, MKL's own values);
    sqrt(x) = xh·y0 + (xl·y0 + (P·y0)·x), for normal x below 2^1022; the others (zeros,
    subnormals, negatives, infinities, NaN, x >= 2^1022) take MKL's special path: IEEE results."""
    x = np.asarray(x, np.float64)
    bits = x.view(np.int64)
    fast = (bits >= 0x0010000000000000) & (bits < 0x7FD0000000000000)
    xs = np.where(fast, x, 1.0)
    y0 = rsqrtps_f64(xs)
    t = y0 * y0
    xh = (xs.view(np.uint64) & _MASK_HI).view(np.float64)
    xl = xs - xh
    e = (1.0 - t * xh) - t * xl
    A = np.uint64(0x3FD1800032338CBB).view(np.float64)
    B = np.uint64(0x3FD40000B13001D9).view(np.float64)
    C = np.uint64(0x3FD80000000000F6).view(np.float64)
    D = np.uint64(0x3FDFFFFFFFFFFE71).view(np.float64)
    P = (((e * A + B) * e + C) * e + D) * e
    y = xh * y0 + (xl * y0 + (P * y0) * xs)
    with np.errstate(invalid="ignore"):
        return np.where(fast, y, np.sqrt(x))


def xla_rsqrt_f32(x):
    """XLA's CPU float32 rsqrt (LLVM's x86 lowering): the rsqrtss estimate y0 (the same table as
    rsqrtps), then one Newton step with FMAs: y = fma(fl(−0.5·y0), fma(y0, fl(x·y0), −1), y0).
    Non-normal inputs return the estimate itself: +inf for zero and subnormals (XLA runs with
    denormals treated as zero), 0 for +inf, NaN for negatives and NaN."""
    f = np.float32
    x = np.asarray(x, f)
    bits = x.view(np.uint32).astype(np.int64)
    normal = (bits >= 0x00800000) & (bits < 0x7F800000)
    mag = bits & 0x7FFFFFFF
    xs = np.where(normal, x, f(1))
    y0 = rsqrtps(xs)
    y = fma32((y0 * f(-0.5)).astype(f), fma32(y0, (xs * y0).astype(f), f(-1)), y0)
    with np.errstate(all="ignore"):
        other = np.where(mag < 0x00800000, np.copysign(f(np.inf), x),
                         np.where(x < 0, f(np.nan), np.where(np.isinf(x), f(0), f(np.nan))))
    return np.where(normal, y, other).astype(f)


def mkl_sqrt(lib_path):
    lib = ctypes.CDLL(lib_path)

    def f(x):
        x = np.ascontiguousarray(x)
        y = np.empty_like(x)
        if x.size:
            fn = lib.vsSqrt if x.dtype == np.float32 else lib.vdSqrt
            fn(ctypes.c_int(x.size), x.ctypes.data_as(ctypes.c_void_p), y.ctypes.data_as(ctypes.c_void_p))
        return y
    return f


# ---------------------------------------------------------------------------- profiles
# A profile is (init(case, A, params) -> state, step(case, A, params, grads, state, lr, t) -> None,
# final(state) -> {param: {slot: array}}). params and state are dicts of arrays, changed in place
# by assignment.


def H(c, key, default):
    v = c["hyper"].get(key)
    return default if v is None else v


class PyTorchRmsprop:
    """torch.optim.RMSprop, for-loop and foreach (same per-element arithmetic on CPU)."""

    def __init__(self, version):
        self.v2 = version == 2

    def init(self, c, A, P):
        S = {}
        for n, p in P.items():
            S[n] = {"square_avg": np.zeros_like(p)}
            if H(c, "momentum", 0) > 0:
                S[n]["momentum_buffer"] = np.zeros_like(p)
            if H(c, "centered", False):
                S[n]["grad_avg"] = np.zeros_like(p)
        return S

    def step(self, c, A, P, G, S, lr, t):
        alpha = H(c, "alpha", 0.99)
        eps = H(c, "eps", 1e-8)
        wd = H(c, "weight_decay", 0)
        mom = H(c, "momentum", 0)
        for n in P:
            p, g, s = P[n], G[n], S[n]
            if H(c, "maximize", False):
                g = -g
            if wd != 0:
                g = A.fma(A.c(wd), p, g)                                  # grad.add(param, alpha=wd)
            v = A.fl(A.c(alpha) * s["square_avg"])                        # mul_(alpha)
            v = A.fma(A.fl(A.c(1 - alpha) * g), g, v)                     # addcmul_(g, g, value=1-alpha)
            s["square_avg"] = v
            if H(c, "centered", False):
                ga = s["grad_avg"]
                w = A.c(1 - alpha)
                if self.v2:                                               # grad_avg.lerp_(g, 1-alpha)
                    if abs(1 - alpha) < 0.5:
                        ga = A.fma(w, A.fl(g - ga), ga)
                    else:
                        ga = A.fma(-A.fl(A.c(1) - w), A.fl(g - ga), g)
                else:                                                     # mul_(alpha).add_(g, alpha=1-alpha)
                    ga = A.fma(w, g, A.fl(A.c(alpha) * ga))
                s["grad_avg"] = ga
                avg = A.sqrt(A.fma(-ga, ga, v))                           # addcmul(ga, ga, value=-1).sqrt_()
            else:
                avg = A.sqrt(v)
            avg = A.fl(avg + A.c(eps))
            if mom > 0:
                b = A.fl(A.fl(A.c(mom) * s["momentum_buffer"]) + A.fl(g / avg))   # mul_(m).addcdiv_(g, avg)
                s["momentum_buffer"] = b
                P[n] = A.fma(A.c(-lr), b, p)                              # add_(buf, alpha=-lr)
            else:
                P[n] = A.fl(p + A.fl(A.fl(A.c(-lr) * g) / avg))           # addcdiv_(g, avg, value=-lr)

    def final(self, S):
        return S


class PyTorchOther:
    """torch.optim SGD, Adagrad, Adadelta, Adam, AdamW (for-loop / foreach; not fused)."""

    def __init__(self, version, foreach=False):
        self.v2 = version == 2
        self.foreach = foreach

    def init(self, c, A, P):
        o = c["optimizer"]
        S = {}
        for n, p in P.items():
            z = np.zeros_like(p)
            if o == "sgd":
                S[n] = {}
            elif o == "adagrad":
                S[n] = {"sum": np.full_like(p, A.c(H(c, "initial_accumulator_value", 0)))}
            elif o == "adadelta":
                S[n] = {"square_avg": z.copy(), "acc_delta": z.copy()}
            else:
                S[n] = {"exp_avg": z.copy(), "exp_avg_sq": z.copy()}
                if H(c, "amsgrad", False):
                    S[n]["max_exp_avg_sq"] = z.copy()
        return S

    def step(self, c, A, P, G, S, lr, t):
        o = c["optimizer"]
        for n in P:
            p, g, s = P[n], G[n], S[n]
            if H(c, "maximize", False):
                g = -g
            wd = H(c, "weight_decay", 0.01 if o == "adamw" else 0)
            if o == "sgd":
                if wd != 0:
                    g = A.fma(A.c(wd), p, g)
                m = H(c, "momentum", 0)
                if m != 0:
                    if "momentum_buffer" not in s:
                        s["momentum_buffer"] = g.copy()
                    else:
                        s["momentum_buffer"] = A.fma(A.c(1 - H(c, "dampening", 0)), g, A.fl(A.c(m) * s["momentum_buffer"]))
                    g = A.fma(A.c(m), s["momentum_buffer"], g) if H(c, "nesterov", False) else s["momentum_buffer"]
                P[n] = A.fma(A.c(-lr), g, p)
            elif o == "adagrad":
                if wd != 0:
                    g = A.fma(A.c(wd), p, g)
                s["sum"] = A.fma(g, g, s["sum"])                          # addcmul_(g, g, value=1)
                std = A.fl(A.sqrt(s["sum"]) + A.c(H(c, "eps", 1e-10)))
                if self.foreach and not self.v2:
                    # 1.13 foreach: minus_clr = -lr / (1 + (step - 1) * lr_decay) with step a float32
                    # tensor, so every operation is a float32 one, and Tensor.__rtruediv__ is
                    # reciprocal() * other; then (g * minus_clr) / std, then add
                    f = np.float32
                    x = f(f(f(t) - f(1)) * f(H(c, "lr_decay", 0)))
                    mclr = f(f(f(1) / f(f(1) + x)) * f(-lr))
                    P[n] = A.fl(p + A.fl(A.fl(g * A.c(mclr)) / std))
                else:
                    clr = lr / (1 + (t - 1) * H(c, "lr_decay", 0))      # Python floats (step.item())
                    P[n] = A.fl(p + A.fl(A.fl(A.c(-clr) * g) / std))
            elif o == "adadelta":
                rho, eps = H(c, "rho", 0.9), H(c, "eps", 1e-6)
                if wd != 0:
                    g = A.fma(A.c(wd), p, g)
                sq = A.fma(A.fl(A.c(1 - rho) * g), g, A.fl(A.c(rho) * s["square_avg"]))
                s["square_avg"] = sq
                std = A.sqrt(A.fl(sq + A.c(eps)))
                delta = A.sqrt(A.fl(s["acc_delta"] + A.c(eps)))
                delta = A.fl(A.fl(delta / std) * g)
                s["acc_delta"] = A.fma(A.fl(A.c(1 - rho) * delta), delta, A.fl(A.c(rho) * s["acc_delta"]))
                P[n] = A.fma(A.c(-H(c, "lr", 1.0)), delta, p)
            else:
                b1, b2 = H(c, "betas", [0.9, 0.999])
                eps = H(c, "eps", 1e-8)
                if wd != 0:
                    if o == "adamw":
                        p = A.fl(p * A.c(1 - lr * wd))
                    else:
                        g = A.fma(A.c(wd), p, g)
                m = s["exp_avg"]
                if self.v2:                                               # exp_avg.lerp_(g, 1-b1)
                    w = A.c(1 - b1)
                    m = A.fma(w, A.fl(g - m), m) if abs(1 - b1) < 0.5 else A.fma(-A.fl(A.c(1) - w), A.fl(g - m), g)
                else:                                                     # mul_(b1).add_(g, alpha=1-b1)
                    m = A.fma(A.c(1 - b1), g, A.fl(A.c(b1) * m))
                s["exp_avg"] = m
                v = A.fma(A.fl(A.c(1 - b2) * g), g, A.fl(A.c(b2) * s["exp_avg_sq"]))
                s["exp_avg_sq"] = v
                bc1 = 1 - b1 ** t
                bc2 = 1 - b2 ** t
                step_size = lr / bc1
                bc2s = math.sqrt(bc2)
                if H(c, "amsgrad", False):
                    s["max_exp_avg_sq"] = np.maximum(s["max_exp_avg_sq"], v)
                    v = s["max_exp_avg_sq"]
                denom = A.fl(A.fl(A.sqrt(v) / A.c(bc2s)) + A.c(eps))
                P[n] = A.fl(p + A.fl(A.fl(A.c(-step_size) * m) / denom))

    def final(self, S):
        return S


class PyTorchFused:
    """torch.optim Adam/AdamW/SGD/Adagrad with fused=True on CPU (aten/src/ATen/native/cpu/Fused*Kernel.cpp).

    One C++ loop per tensor with IEEE sqrt (not MKL's). The kernels are written twice, as a
    `Vectorized` body over the first n - n % L elements (L = 8 floats or 4 doubles: 256-bit
    vectors) and a scalar tail loop over the last n % L, and GCC contracts the two differently
    (`a*b + c*d` fuses the second product in the vector body and the first in the tail): the
    arithmetic depends on the element's index."""

    def __init__(self, variant=None):
        self.v = variant or {}

    init = PyTorchOther.init

    @staticmethod
    def pick(vec, tail, n):
        lanes = 8 if np.asarray(tail).dtype == np.float32 else 4
        k = n - n % lanes
        out = np.array(tail, copy=True)
        out[:k] = np.asarray(vec)[:k]
        return out

    def step(self, c, A, P, G, S, lr, t):
        o = c["optimizer"]
        v = self.v
        for n in P:
            p, g, s = P[n], G[n], S[n]
            N = p.size
            if H(c, "maximize", False):
                g = -g
            wd = H(c, "weight_decay", 0.01 if o == "adamw" else 0)
            if o == "sgd":
                if wd != 0:
                    g = A.fma(p, A.c(wd), g)                                  # grad += param * wd
                m = H(c, "momentum", 0)
                if m != 0:
                    if "momentum_buffer" not in s:
                        s["momentum_buffer"] = g.copy()                     # is_first_step: buf = grad
                    else:                                                   # buf*m + grad*(1-dampening)
                        b = s["momentum_buffer"]
                        cd = A.c(1 - H(c, "dampening", 0))
                        s["momentum_buffer"] = self.pick(A.fma(g, cd, A.fl(b * A.c(m))),   # vector body
                                                         A.fma(b, A.c(m), A.fl(g * cd)), N)  # scalar tail
                    if H(c, "nesterov", False):
                        g = A.fma(s["momentum_buffer"], A.c(m), g)
                    else:
                        g = s["momentum_buffer"]
                P[n] = A.fma(g, A.c(-lr), p)                                  # param += grad * (-lr)
            elif o == "adagrad":
                if wd != 0:
                    g = A.fma(p, A.c(wd), g)
                clr = lr / (1 + (t - 1) * H(c, "lr_decay", 0))
                s["sum"] = A.fma(g, g, s["sum"])
                std = A.fl(np.sqrt(s["sum"]) + A.c(H(c, "eps", 1e-10)))
                P[n] = A.fl(p - A.fl(A.fl(A.c(clr) * g) / std))
            else:
                b1, b2 = H(c, "betas", [0.9, 0.999])
                eps = H(c, "eps", 1e-8)
                bc1 = 1 - b1 ** t
                step_size = lr / bc1
                bc2s = math.sqrt(1 - b2 ** t)
                if wd != 0:
                    if o == "adamw":
                        p = A.fl(p * A.c(1 - lr * wd))
                    else:
                        g = A.fma(p, A.c(wd), g)
                w = A.c(1 - b1)
                m = s["exp_avg"]                                            # lerp(exp_avg, grad, 1-beta1)
                m = A.fma(w, A.fl(g - m), m) if abs(1 - b1) < 0.5 else A.fma(-A.fl(A.c(1) - w), A.fl(g - m), g)
                s["exp_avg"] = m
                cb2 = A.c(1 - b2)
                vs = s["exp_avg_sq"]
                forms = {"fma(c*g,g,v*b2)": lambda: A.fma(A.fl(cb2 * g), g, A.fl(vs * A.c(b2))),
                         "fma(v,b2,(c*g)*g)": lambda: A.fma(vs, A.c(b2), A.fl(A.fl(cb2 * g) * g)),
                         "nofma": lambda: A.fl(A.fl(vs * A.c(b2)) + A.fl(A.fl(cb2 * g) * g))}
                vv = self.pick(forms[v.get("adam_vec", "fma(c*g,g,v*b2)")](), forms[v.get("adam_tail", "fma(v,b2,(c*g)*g)")](), N)
                s["exp_avg_sq"] = vv
                if H(c, "amsgrad", False):
                    s["max_exp_avg_sq"] = np.maximum(s["max_exp_avg_sq"], vv)
                    vv = s["max_exp_avg_sq"]
                denom = A.fl(A.fl(np.sqrt(vv) / A.c(bc2s)) + A.c(eps))
                P[n] = A.fl(p - A.fl(A.fl(A.c(step_size) * m) / denom))

    def final(self, S):
        return S


def eigen_rsqrt(x):
    """TensorFlow's CPU Rsqrt kernel (Eigen, AVX without FMA) over one tensor. float32: the first
    n − n mod 8 elements (8-float packets) take the rsqrtps estimate y0, then
    y0 − (0.5·y0)·(y0·(x·y0) − 1), every operation rounded; the last n mod 8 (scalar tail) take
    1/sqrt(x) (two IEEE operations). float64: 1/sqrt(x) everywhere."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        if x.dtype == np.float64:
            return 1.0 / np.sqrt(x)
        f = np.float32
        bits = x.view(np.uint32).astype(np.int64)
        normal = (bits >= 0x00800000) & (bits < 0x7F800000)
        xs = np.where(normal, x, f(1))
        y0 = rsqrtps(xs)
        y = (y0 - ((f(0.5) * y0).astype(f) * ((y0 * (xs * y0).astype(f)).astype(f) - f(1)).astype(f)).astype(f)).astype(f)
        scalar = (f(1) / np.sqrt(x)).astype(f)
        packet = normal & (np.arange(x.size) < x.size - x.size % 8)
        return np.where(packet, y, scalar).astype(f)


class Keras:
    """Keras 3 keras.optimizers.RMSprop, TensorFlow backend (eager, or graph=True: inside
    tf.function, where Grappler's arithmetic optimizer rewrites the graph)."""

    def __init__(self, graph=False):
        self.graph = graph

    def init(self, c, A, P):
        S = {}
        for n, p in P.items():
            S[n] = {"velocity": np.zeros_like(p)}
            if H(c, "momentum", 0) > 0:
                S[n]["momentum"] = np.zeros_like(p)
            if H(c, "centered", False):
                S[n]["average_gradient"] = np.zeros_like(p)
        return S

    def step(self, c, A, P, G, S, lr, t):
        rho = H(c, "rho", 0.9)
        eps = H(c, "epsilon", 1e-7)
        mom = H(c, "momentum", 0)
        wd = H(c, "weight_decay", None)
        lrv = A.c(np.float32(lr))        # the learning-rate variable is float32, cast to the variable's dtype
        for n in P:
            p, g, s = P[n], G[n], S[n]
            if wd:
                # variable.assign(variable - variable * wd * lr): wd a Python float (weak), lr cast
                p = A.fl(p - A.fl(A.fl(p * A.c(wd)) * lrv))
            v = A.fl(A.fl(A.c(rho) * s["velocity"]) + A.fl(A.c(1 - rho) * A.fl(g * g)))
            s["velocity"] = v
            if H(c, "centered", False):
                ag = A.fl(A.fl(A.c(rho) * s["average_gradient"]) + A.fl(A.c(1 - rho) * g))
                s["average_gradient"] = ag
                if self.graph:                                        # Grappler: (eps − ḡ²) + v
                    den = A.fl(A.fl(A.c(eps) - A.fl(ag * ag)) + v)
                else:
                    den = A.fl(A.fl(v - A.fl(ag * ag)) + A.c(eps))
            else:
                den = A.fl(v + A.c(eps))
            if self.graph:                                            # Grappler: x / sqrt(y) -> x * rsqrt(y)
                inc = A.fl(A.fl(g * lrv) * eigen_rsqrt(den))
            else:
                inc = A.fl(A.fl(lrv * g) / A.sqrt(den))
            if mom > 0:
                b = A.fl(A.fl(A.c(mom) * s["momentum"]) + inc)
                s["momentum"] = b
                P[n] = A.fl(p - b)
            else:
                P[n] = A.fl(p - inc)

    def final(self, S):
        return S


class KerasXLA:
    """Keras 3 RMSprop compiled by XLA (JAX backend under jax.jit, as model.fit runs it; TF's
    jit_compile=True gives the same bits): FMAs contracted, x/sqrt(y) as x*rsqrt(y)."""

    def __init__(self, variant=None):
        self.v = variant or {}

    init = Keras.init
    final = Keras.final

    def step(self, c, A, P, G, S, lr, t):
        v_ = self.v
        rho = H(c, "rho", 0.9)
        eps = H(c, "epsilon", 1e-7)
        mom = H(c, "momentum", 0)
        wd = H(c, "weight_decay", None)
        lrv = A.c(np.float32(lr))
        for n in P:
            p, g, s = P[n], G[n], S[n]
            if wd:                                                    # p − p·wd·lr: XLA hoists the scalar wd·lr
                p = A.fma(-p, A.fl(A.c(wd) * lrv), p)
            g2 = A.fl(g * g)
            if v_.get("v", "first") == "first":
                v = A.fma(A.c(rho), s["velocity"], A.fl(A.c(1 - rho) * g2))
            else:
                v = A.fma(A.c(1 - rho), g2, A.fl(A.c(rho) * s["velocity"]))
            s["velocity"] = v
            if H(c, "centered", False):
                if v_.get("v", "first") == "first":
                    ag = A.fma(A.c(rho), s["average_gradient"], A.fl(A.c(1 - rho) * g))
                else:
                    ag = A.fma(A.c(1 - rho), g, A.fl(A.c(rho) * s["average_gradient"]))
                s["average_gradient"] = ag
                den = A.fl(A.fma(-ag, ag, v) + A.c(eps)) if v_.get("den", "fma") == "fma" else A.fl(A.fl(v - A.fl(ag * ag)) + A.c(eps))
            else:
                den = A.fl(v + A.c(eps))
            lg = A.fl(lrv * g)
            r = A.rsqrt(den)
            if mom > 0:
                inc = A.fl(lg * r)
                b = A.fma(A.c(mom), s["momentum"], inc) if v_.get("mom", "fma") == "fma" else A.fl(A.fl(A.c(mom) * s["momentum"]) + inc)
                s["momentum"] = b
                P[n] = A.fl(p - b)
            else:
                P[n] = A.fma(-lg, r, p) if v_.get("p", "fma") == "fma" else A.fl(p - A.fl(lg * r))


class TF1:
    """tf.compat.v1.train.RMSPropOptimizer: ApplyRMSProp / ApplyCenteredRMSProp (Eigen, CPU)."""

    def init(self, c, A, P):
        S = {}
        for n, p in P.items():
            S[n] = {"rms": np.ones_like(p), "momentum": np.zeros_like(p)}
            if H(c, "centered", False):
                S[n]["mg"] = np.zeros_like(p)
        return S

    def step(self, c, A, P, G, S, lr, t):
        rho = A.c(np.float32(H(c, "decay", 0.9)))      # Python floats become float32 tensors, then cast
        eps = A.c(np.float32(H(c, "epsilon", 1e-10)))
        mom = A.c(np.float32(H(c, "momentum", 0)))
        lrv = A.c(np.float32(lr))
        one_minus = A.fl(A.c(1) - rho)                   # static_cast<T>(1) - rho
        for n in P:
            p, g, s = P[n], G[n], S[n]
            ms = A.fl(s["rms"] + A.fl(A.fl(A.fl(g * g) - s["rms"]) * one_minus))
            s["rms"] = ms
            if H(c, "centered", False):
                mg = A.fl(s["mg"] + A.fl(A.fl(g - s["mg"]) * one_minus))
                s["mg"] = mg
                den = A.fl(A.fl(ms - A.fl(mg * mg)) + eps)
            else:
                den = A.fl(ms + eps)
            b = A.fl(A.fl(s["momentum"] * mom) + A.fl(A.fl(g * lrv) / A.sqrt(den)))
            s["momentum"] = b
            P[n] = A.fl(p - b)

    def final(self, S):
        return S


class Optax:
    """optax.rmsprop under jax.jit on CPU (XLA fuses the step into one loop; LLVM contracts a·b + c
    into FMAs where one expression feeds the other)."""

    def __init__(self, variant=None):
        self.v = variant or {}

    def init(self, c, A, P):
        S = {}
        for n, p in P.items():
            S[n] = {"nu": np.full_like(p, A.c(H(c, "initial_scale", 0.0)))}
            if H(c, "centered", False):
                S[n]["mu"] = np.zeros_like(p)
            if H(c, "momentum", None) is not None:
                S[n]["trace"] = np.zeros_like(p)
        return S

    def step(self, c, A, P, G, S, lr, t):
        v = self.v
        d = H(c, "decay", 0.9)
        eps = A.c(H(c, "eps", 1e-8))
        mom = H(c, "momentum", None)
        lrv = A.c(lr)
        for n in P:
            p, g, s = P[n], G[n], S[n]
            nu = A.fma(A.c(1 - d), A.fl(g * g), A.fl(A.c(d) * s["nu"]))      # (1-d)*g**2 + d*nu, contracted
            s["nu"] = nu
            mu = None
            if H(c, "centered", False):
                mu = A.fma(A.c(1 - d), g, A.fl(A.c(d) * s["mu"]))            # (1-d)*g + d*mu, contracted
                s["mu"] = mu
            nuh, muh = nu, mu
            if H(c, "bias_correction", False):
                bc = A.fl(A.c(1) - A.fl(A.c(d) ** A.c(t)))                   # 1 - decay**count
                nuh = A.fl(nu / bc)
                if muh is not None:
                    muh = A.fl(muh / bc)
            if muh is not None:
                var = A.fma(-muh, muh, nuh) if v.get("fma_var", True) else A.fl(nuh - A.fl(muh * muh))
            else:
                var = nuh
            if H(c, "eps_in_sqrt", True):
                r = A.rsqrt(A.fl(var + eps))                                 # lax.rsqrt(n + eps)
            else:
                r = A.fl(A.c(1) / A.fl(A.sqrt(var) + eps))                   # 1 / (sqrt(n) + eps)
            u = A.fl(r * g)                                                  # scaling * updates
            if mom is None:
                P[n] = A.fma(A.c(-lrv), u, p) if v.get("fma_p", True) else A.fl(p + A.fl(A.c(-lrv) * u))
                continue
            u = A.fl(A.c(-lrv) * u)                                          # -lr * u
            tr = A.fma(A.c(mom), s["trace"], u)                              # u + m * trace, contracted
            s["trace"] = tr
            if H(c, "nesterov", False):
                u = A.fma(A.c(mom), tr, u)                                   # u + m * new trace
            else:
                u = tr
            P[n] = A.fl(p + u)

    def final(self, S):
        return S


class TFJS:
    """@tensorflow/tfjs tf.train.rmsprop, cpu backend."""

    def init(self, c, A, P):
        S = {}
        for n, p in P.items():
            S[n] = {"rms": np.zeros_like(p), "momentum": np.zeros_like(p)}
            if H(c, "centered", False):
                S[n]["mg"] = np.zeros_like(p)
        return S

    def step(self, c, A, P, G, S, lr, t):
        d = H(c, "decay", 0.9)
        eps = A.c(H(c, "epsilon", 1e-7))
        mom = A.c(H(c, "momentum", 0.0))
        lrv = A.c(lr)
        for n in P:
            p, g, s = P[n], G[n], S[n]
            ms = A.fl(A.fl(s["rms"] * A.c(d)) + A.fl(A.fl(g * g) * A.c(1 - d)))
            s["rms"] = ms
            if H(c, "centered", False):
                mg = A.fl(A.fl(s["mg"] * A.c(d)) + A.fl(g * A.c(1 - d)))
                s["mg"] = mg
                den = A.fl(ms - A.fl(A.fl(mg * mg) + eps))   # sqrt(ms - (mg^2 + eps)): eps SUBTRACTED
            else:
                den = A.fl(ms + eps)
            b = A.fl(A.fl(s["momentum"] * mom) + A.fl(A.fl(g * lrv) / A.sqrt(den)))
            s["momentum"] = b
            P[n] = A.fl(p - b)

    def final(self, S):
        return S


class Timm:
    """timm.optim.RMSpropTF on PyTorch 2.13."""

    def init(self, c, A, P):
        S = {}
        for n, p in P.items():
            S[n] = {"square_avg": np.ones_like(p)}
            if H(c, "momentum", 0) > 0:
                S[n]["momentum_buffer"] = np.zeros_like(p)
            if H(c, "centered", False):
                S[n]["grad_avg"] = np.zeros_like(p)
        return S

    def step(self, c, A, P, G, S, lr, t):
        alpha = H(c, "alpha", 0.9)
        eps = H(c, "eps", 1e-10)
        wd = H(c, "weight_decay", 0)
        mom = H(c, "momentum", 0)
        oma = A.c(1.0 - alpha)
        for n in P:
            p, g, s = P[n], G[n], S[n]
            if wd != 0:
                if H(c, "decoupled_decay", False):
                    p = A.fl(p * A.c(1.0 - lr * wd))                      # p.mul_(1 - lr*wd), double then narrowed
                else:
                    g = A.fma(A.c(wd), p, g)
            sq = s["square_avg"]
            sq = A.fma(oma, A.fl(A.fl(g * g) - sq), sq)                   # add_(g.pow(2) - sq, alpha=1-alpha)
            s["square_avg"] = sq
            if H(c, "centered", False):
                ga = A.fma(oma, A.fl(g - s["grad_avg"]), s["grad_avg"])
                s["grad_avg"] = ga
                avg = A.sqrt(A.fl(A.fma(-ga, ga, sq) + A.c(eps)))
            else:
                avg = A.sqrt(A.fl(sq + A.c(eps)))
            if mom > 0:
                b = A.fl(A.c(mom) * s["momentum_buffer"])
                if H(c, "lr_in_momentum", True):
                    b = A.fl(b + A.fl(A.fl(A.c(lr) * g) / avg))             # _addcdiv_scaled_(buf, g, avg, lr)
                    s["momentum_buffer"] = b
                    P[n] = A.fl(p + (-b))
                else:
                    b = A.fl(b + A.fl(g / avg))
                    s["momentum_buffer"] = b
                    P[n] = A.fma(A.c(-lr), b, p)
            else:
                P[n] = A.fl(p + A.fl(A.fl(A.c(-lr) * g) / avg))

    def final(self, S):
        return S


class DL4J:
    """ND4J RmsPropUpdater (libnd4j rmsPropUpdater helper)."""

    def init(self, c, A, P):
        eps = H(c, "epsilon", 1e-8)
        return {n: {"G": np.full_like(p, A.c(eps))} for n, p in P.items()}

    def step(self, c, A, P, G, S, lr, t):
        decay = A.c(H(c, "rmsDecay", 0.95))
        eps = A.c(H(c, "epsilon", 1e-8))
        lrv = A.c(lr)
        one_minus = A.fl(A.c(1) - decay)
        for n in P:
            p, g, s = P[n], G[n], S[n]
            st = A.fl(A.fl(s["G"] * decay) + A.fl(A.fl(g * g) * one_minus))
            s["G"] = st
            upd = A.fl(A.fl(lrv * g) / A.fl(A.sqrt(st) + eps))
            P[n] = A.fl(p - upd)

    def final(self, S):
        return S


class Tribuo:
    """org.tribuo.math.optimisers.RMSProp with ShrinkingVector/Matrix state (double)."""

    def init(self, c, A, P):
        return {n: {"elements": np.zeros_like(p), "multiplier": 1.0} for n, p in P.items()}

    def step(self, c, A, P, G, S, lr, t):
        lr0 = H(c, "initialLearningRate", 0.001)
        rho = H(c, "rho", 0.9)
        eps = H(c, "epsilon", 1e-8)
        decay = H(c, "decay", 0.0)
        inv = 1.0 - rho
        lrt = lr0 / (1 + decay * (t - 1))
        for n in P:
            p, g, s = P[n], G[n], S[n]
            ng = -g                                                       # the objective's negated gradient
            s["multiplier"] *= 1.0 - inv                                  # scaleInPlace(1 - baseRate)
            if abs(s["multiplier"]) < 1e-6:
                s["elements"] = s["elements"] * s["multiplier"]
                s["multiplier"] = 1.0
            m = s["multiplier"]
            new = s["elements"] * m + (inv * ng) * ng
            s["elements"] = new / m
            v = s["elements"] * m
            scale = (1.0 * lrt) / (eps + np.sqrt(v))
            P[n] = p + ng * scale

    def final(self, S):
        return {n: {"gradsSquared": s["elements"] * s["multiplier"]} for n, s in S.items()}


# ---------------------------------------------------------------------------- replay

XLA_RSQRT = None
USE_MKL_MODEL = True


def to_arr(v, dt):
    return np.array([float(x) for x in v], dtype=np.float64).astype(dt)


def ulps(a, b):
    """Distance in ULP between same-dtype arrays (NaN equals NaN; -0 equals +0)."""
    a = np.asarray(a)
    b = np.asarray(b)
    if a.size == 0:
        return 0
    it = np.int32 if a.dtype == np.float32 else np.int64
    both_nan = np.isnan(a) & np.isnan(b)
    one_nan = np.isnan(a) ^ np.isnan(b)

    def ordered(x):
        i = x.view(it).astype(np.int64)
        return np.where(i < 0, np.int64(np.iinfo(it).min) - i, i)
    d = np.abs(ordered(a) - ordered(b))
    d = np.where(both_nan, 0, d)
    d = np.where(one_nan, np.iinfo(np.int64).max, d)
    return int(d.max())


def xla_rsqrt(use_jax=True):
    """XLA's CPU rsqrt: float32 by its model (xla_rsqrt_f32); float64 (vrsqrt14pd and two Newton
    steps, whose 20-bit-indexed estimate is not tabulated here) from jax.jit(jax.lax.rsqrt) when JAX
    is importable, else correctly rounded."""
    f = None
    if use_jax:
        try:
            import jax
            jax.config.update("jax_enable_x64", True)
            f = jax.jit(jax.lax.rsqrt)
        except Exception:  # noqa: BLE001
            f = None

    def r(x):
        if x.dtype == np.float32:
            return xla_rsqrt_f32(x)
        if f is None or not x.size:
            with np.errstate(all="ignore"):
                return (1 / np.sqrt(x.astype(np.longdouble))).astype(x.dtype)
        return np.asarray(f(x))
    return r


def torch2_sqrt(lib_sqrt):
    """PyTorch 2.13's sqrt: the models of MKL's float32 and float64 kernels, or the library's own
    vsSqrt/vdSqrt when given (--mkl)."""
    def f(x):
        if lib_sqrt is not None:
            return lib_sqrt(x)
        return mkl_sqrt_f32(x) if x.dtype == np.float32 else mkl_sqrt_f64(x)
    return f


def profile_for(case, path, mkl):
    fw = os.path.basename(os.path.dirname(path))
    src = case.get("source", "")
    v2 = src.startswith("torch 2")
    mkl = torch2_sqrt(mkl) if USE_MKL_MODEL else mkl
    if "fused=True" in src:
        return PyTorchFused(), None
    if case["optimizer"] != "rmsprop":
        return PyTorchOther(2 if v2 else 1, "foreach=True" in src), (mkl if v2 else None)
    fl = case.get("flavor", "pytorch")
    if fl == "pytorch":
        return PyTorchRmsprop(2 if v2 else 1), (mkl if v2 else None)
    if fl == "keras" and "jax.jit" in src:
        return KerasXLA(), None
    return {"keras": (Keras("tf.function" in src), None), "tf1": (TF1(), None), "optax": (Optax(), None), "tfjs": (TFJS(), None),
            "timm": (Timm(), mkl), "dl4j": (DL4J(), None), "tribuo": (Tribuo(), None)}[fl]


def replay(path, mkl=None):
    c = json.load(open(path))
    prof, sq = profile_for(c, path, mkl)
    A = Arith(c["dtype"], sq, XLA_RSQRT if isinstance(prof, (Optax, KerasXLA)) else None)
    names = [p["name"] for p in c["params"]]
    P = {p["name"]: to_arr(p["value"], A.dt).reshape(-1) for p in c["params"]}
    S = prof.init(c, A, P)
    worst, differ, total = 0, 0, 0
    where = None
    default_lr = None
    for key in ("lr", "learning_rate", "learningRate", "initialLearningRate"):
        if key in c["hyper"]:
            default_lr = c["hyper"][key]
            break
    fw_default = {"tfjs": None, "keras": 0.001, "optax": 0.001}
    lr = default_lr
    for t, st in enumerate(c["steps"], start=1):
        if "lr" in st:
            lr = st["lr"]
        G = {n: to_arr(st["grads"][n], A.dt) for n in names}
        with np.errstate(all="ignore"):
            prof.step(c, A, P, G, S, lr, t)
        for n in names:
            P[n] = np.asarray(P[n], A.dt)
            exp = to_arr(st["expect"][n], A.dt)
            u = ulps(P[n], exp)
            total += exp.size
            differ += int(np.sum(~((P[n] == exp) | (np.isnan(P[n]) & np.isnan(exp)))))
            if u > worst:
                worst, where = u, f"step {t} {n}"
    fin = prof.final(S)
    for n, slots in c.get("final_state", {}).items():
        for k, v in slots.items():
            if k == "step":
                continue
            exp = to_arr(v, A.dt)
            got = np.asarray(fin[n][k], A.dt)
            u = ulps(got, exp)
            total += exp.size
            differ += int(np.sum(~((got == exp) | (np.isnan(got) & np.isnan(exp)))))
            if u > worst:
                worst, where = u, f"final {n}.{k}"
    return c["name"], worst, differ, total, where


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--no-jax", action="store_true", help="do not import JAX (float64 Optax cases then use a correctly rounded rsqrt)")
    ap.add_argument("--no-xla", action="store_true", help="use a correctly rounded rsqrt for Optax even when JAX is importable")
    ap.add_argument("--ieee-sqrt", action="store_true", help="PyTorch 2.13 and timm with an IEEE sqrt instead of MKL's (to see the residual)")
    ap.add_argument("--mkl", help="libtorch_cpu.so of the PyTorch 2.13 wheel (exports MKL's vsSqrt/vdSqrt)")
    args = ap.parse_args()
    paths = args.paths or [os.path.join(RES, "golden", "pytorch"), os.path.join(RES, "recorded")]
    files = []
    for p in paths:
        files += sorted(glob.glob(os.path.join(p, "**", "*.json"), recursive=True)) if os.path.isdir(p) else [p]
    mkl = mkl_sqrt(args.mkl) if args.mkl else None
    global XLA_RSQRT, USE_MKL_MODEL
    XLA_RSQRT = xla_rsqrt(use_jax=not args.no_jax) if not args.no_xla else None
    USE_MKL_MODEL = not args.ieee_sqrt
    bad = 0
    for f in files:
        name, worst, differ, total, where = replay(f, mkl)
        fw = os.path.basename(os.path.dirname(f))
        ok = worst == 0
        bad += not ok
        print(f"{'EXACT' if ok else 'DIFF '} {fw:9s} {name:50s} worst {worst:>6} ulp, {differ:>5}/{total} values differ" + ("" if ok else f" (first worst at {where})"))
    print(f"{len(files) - bad} of {len(files)} cases replay at 0 ULP")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
