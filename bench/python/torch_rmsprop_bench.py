#!/usr/bin/env python3
"""PyTorch CPU torch.optim.RMSprop baseline for `rmsprop4j bench`.

Times opt.step() of torch.optim.RMSprop(lr=0.01, alpha=0.99, eps=1e-8,
momentum=0.9 for the momentum kernels, centered for the centered kernels) over T
separate parameter tensors of N elements whose .grad is set once, and prints exactly
one JSON object on stdout. Arguments and measurement method mirror
bench/native/rmsprop_bench.c; see README.md.

Exit status: 0 ok, 2 bad arguments, 3 torch not importable (JSON with
"available": false is still printed), 1 any other failure.

Run with an interpreter that has torch, e.g. on Debian 12 with python3-torch:
    /usr/bin/python3 torch_rmsprop_bench.py --elements 1000000 --threads 1
"""
import argparse
import gc
import json
import math
import platform
import statistics
import sys
import time

LR = 0.01
ALPHA = 0.99
EPS = 1e-8
MOMENTUM = 0.9
TARGET_SAMPLE_NS = 50_000  # each timed sample is a batch of steps lasting >= ~50 us
MIN_SAMPLES = 5
KERNELS = ("plain", "centered", "momentum", "centered-momentum")


def parse_count(name, minimum):
    def conv(s):
        try:
            d = float(s)  # accept 1e6 style, like the C program
        except ValueError:
            raise argparse.ArgumentTypeError(f"bad value for {name}: {s!r}")
        if not math.isfinite(d) or d != math.floor(d) or d < minimum:
            raise argparse.ArgumentTypeError(f"bad value for {name}: {s!r}")
        return int(d)

    return conv


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", choices=KERNELS, default="plain")
    ap.add_argument("--dtype", choices=("fp32", "fp64"), default="fp32")
    ap.add_argument("--elements", type=parse_count("--elements", 1), default=1_000_000)
    ap.add_argument("--tensors", type=parse_count("--tensors", 1), default=1)
    ap.add_argument("--threads", type=parse_count("--threads", 1), default=1)
    ap.add_argument("--min-time-ms", type=parse_count("--min-time-ms", 0), default=1000)
    ap.add_argument("--warmup-ms", type=parse_count("--warmup-ms", 0), default=200)
    ap.add_argument("--foreach", choices=("auto", "true", "false"), default="auto",
                    help="auto = time both implementations and report the faster one")
    ap.add_argument("--check-steps", type=parse_count("--check-steps", 0), default=0,
                    help="correctness mode: apply exactly S steps (no warm-up), one sample")
    a = ap.parse_args(argv)
    if a.tensors >= 1 << 22 or a.elements >= 1 << 40:
        ap.error("--tensors must be < 4194304 and --elements < 2^40")
    return a


def emit(obj):
    sys.stdout.write(json.dumps(obj, allow_nan=False) + "\n")
    sys.stdout.flush()


# ------------------------------------------------------------------ initial data
# Same generator as rmsprop_bench.c: SplitMix64 of key (stream<<62 | tensor<<40 | i);
# fp32: top 24 bits k -> k*2^-23 - 1, fp64: top 53 bits k -> k*2^-52 - 1, in [-1, 1).
# stream 0 = params, stream 1 = gradients; both programs start from identical values.
def splitmix_uniform(np, stream, tensor, n, dtype):
    u64 = np.uint64
    out = np.empty(n, dtype=np.float32 if dtype == "fp32" else np.float64)
    chunk = 1 << 22
    base = (stream << 62) | (tensor << 40)
    with np.errstate(over="ignore"):
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            z = np.arange(lo, hi, dtype=np.uint64)
            z |= u64(base)
            z += u64(0x9E3779B97F4A7C15)
            z ^= z >> u64(30)
            z *= u64(0xBF58476D1CE4E5B9)
            z ^= z >> u64(27)
            z *= u64(0x94D049BB133111EB)
            z ^= z >> u64(31)
            if dtype == "fp32":
                k = (z >> u64(40)).astype(np.float64)
                out[lo:hi] = k * 2.0 ** -23 - 1.0  # exact in float32
            else:
                k = (z >> u64(11)).astype(np.float64)
                out[lo:hi] = k * 2.0 ** -52 - 1.0
    return out


def make_data(torch, args):
    """Returns (initial params, grads, init description)."""
    tdtype = torch.float32 if args.dtype == "fp32" else torch.float64
    shape = () if args.elements == 1 else (args.elements,)  # N=1: 0-dim scalar tensors
    try:
        import numpy as np

        params = [torch.from_numpy(splitmix_uniform(np, 0, t, args.elements, args.dtype))
                  .reshape(shape) for t in range(args.tensors)]
        grads = [torch.from_numpy(splitmix_uniform(np, 1, t, args.elements, args.dtype))
                 .reshape(shape) for t in range(args.tensors)]
        return params, grads, "splitmix64"
    except ImportError:
        gen = torch.Generator().manual_seed(12345)

        def u():
            return (torch.rand(shape, generator=gen, dtype=tdtype) * 2 - 1)

        params = [u() for _ in range(args.tensors)]
        grads = [u() for _ in range(args.tensors)]
        return params, grads, "torch.rand (numpy missing; values differ from the C program)"


# ------------------------------------------------------------------ timing
def measure(step, args):
    now = time.perf_counter_ns
    if args.check_steps > 0:
        t0 = now()
        for _ in range(args.check_steps):
            step()
        dt = now() - t0
        return [dt / args.check_steps], args.check_steps, args.check_steps

    warm_ns = args.warmup_ms * 1_000_000
    t0 = now()
    step()  # first (cold) step: lazy state allocation, excluded from the estimate
    t_first = now()
    ws = 1
    while True:
        step()
        ws += 1
        t1 = now()
        if t1 - t0 >= warm_ns:
            break
    est = max(1.0, (t1 - t_first) / (ws - 1))
    batch = max(1, math.ceil(TARGET_SAMPLE_NS / est))

    min_ns = args.min_time_ms * 1_000_000
    samples = []
    steps_total = ws
    rng = range(batch)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = now()
        while True:
            s0 = now()
            for _ in rng:
                step()
            s1 = now()
            steps_total += batch
            samples.append((s1 - s0) / batch)
            if s1 - start >= min_ns and len(samples) >= MIN_SAMPLES:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples, batch, steps_total


def run_one(torch, args, init_params, grads, foreach, keep_params):
    params = []
    for p0 in init_params:
        p = torch.nn.Parameter(p0.clone() if keep_params else p0)
        params.append(p)
    for p, g in zip(params, grads):
        p.grad = g  # set once; RMSprop (no weight decay, maximize=False) only reads it
    opt = torch.optim.RMSprop(
        params, lr=LR, alpha=ALPHA, eps=EPS, weight_decay=0,
        momentum=MOMENTUM if "momentum" in args.kernel else 0,
        centered=args.kernel.startswith("centered"), foreach=foreach)
    samples, batch, steps_total = measure(opt.step, args)
    with torch.no_grad():
        checksum = float(sum(p.detach().double().sum().item() for p in params))
    del opt
    return {
        "foreach": foreach,
        "ns_per_step": statistics.median(samples),
        "min_ns_per_step": min(samples),
        "samples": len(samples),
        "batch": batch,
        "steps_total": steps_total,
        "checksum": checksum if math.isfinite(checksum) else None,
    }


def main(argv):
    args = parse_args(argv)
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install raising something else
        emit({"impl": "torch", "available": False,
              "reason": f"cannot import torch with {sys.executable}: "
                        f"{type(e).__name__}: {e}"})
        return 3

    torch.set_num_threads(args.threads)
    init_params, grads, init = make_data(torch, args)

    modes = {"auto": [False, True], "true": [True], "false": [False]}[args.foreach]
    results = []
    for i, fe in enumerate(modes):
        keep = i < len(modes) - 1  # later runs need the untouched initial values
        results.append(run_one(torch, args, init_params, grads, fe, keep))
        gc.collect()
    best = min(results, key=lambda r: r["ns_per_step"])

    total = args.elements * args.tensors
    esize = 4 if args.dtype == "fp32" else 8
    arrays = 3 + args.kernel.startswith("centered") + ("momentum" in args.kernel)
    bytes_per_element = esize * (2 * arrays - 1)  # g read; p, v(, ga, buf) read+written
    ns = best["ns_per_step"]
    out = {
        "impl": "torch",
        "torch_version": torch.__version__,
        "foreach": best["foreach"],
        "kernel": args.kernel,
        "dtype": args.dtype,
        "elements": args.elements,
        "tensors": args.tensors,
        "threads": args.threads,
        "ns_per_step": round(ns, 3),
        "ns_per_element": ns / total,
        "gb_per_s": bytes_per_element * total / ns,
        "samples": best["samples"],
        "checksum": best["checksum"],
        "foreach_mode": args.foreach,
        "foreach_results": {("true" if r["foreach"] else "false"): {
            "ns_per_step": round(r["ns_per_step"], 3),
            "min_ns_per_step": round(r["min_ns_per_step"], 3),
            "samples": r["samples"], "batch": r["batch"]} for r in results},
        "batch": best["batch"],
        "steps_total": best["steps_total"],
        "min_ns_per_step": round(best["min_ns_per_step"], 3),
        "bytes_per_element": bytes_per_element,
        "torch_num_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "init": init,
    }
    try:
        cap = torch.backends.cpu.get_cpu_capability()  # torch >= 2.0
    except Exception:
        cap = None
        try:  # torch 1.x: "CPU capability usage: AVX2" in the build configuration
            for line in torch.__config__.show().splitlines():
                if "CPU capability usage:" in line:
                    cap = line.split(":", 1)[1].strip()
        except Exception:
            pass
    if cap:
        out["cpu_capability"] = cap
    emit(out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except MemoryError:
        print("torch_rmsprop_bench: out of memory", file=sys.stderr)
        sys.exit(1)
    except Exception as e:
        print(f"torch_rmsprop_bench: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
