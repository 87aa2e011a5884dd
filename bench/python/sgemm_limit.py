#!/usr/bin/env python3
"""The sgemm speed limit of this machine, for the MLP epoch of `rmsprop4j bench --mlp` (issue 15).

Times float32 matrix products with torch.mm (PyTorch's BLAS: MKL in the pip CPU wheels, OpenBLAS
in Debian's python3-torch) at --threads threads and prints one JSON object: the best GFLOP/s over
square products of --size (the machine's sgemm rate: large products run closest to peak), the
rate at the MLP's own shapes (64 rows × 784 → 128, the first layer's forward product), the FLOPs
of one dense MLP epoch (784-128-64-10, --rows rows: forward products, weight-gradient products and
the deltas of layers 2 and 3), and that epoch's time at the square-product rate: the limit.

    PYTHON sgemm_limit.py [--threads 1] [--size 1024] [--min-time 1.0] [--rows 8000]

Exit status: 0 ok, 2 bad arguments, 3 torch not importable, 1 any other failure.
"""
import argparse
import json
import sys
import time


def emit(obj):
    sys.stdout.write(json.dumps(obj, allow_nan=False) + "\n")
    sys.stdout.flush()


def epoch_flops(rows, sizes=(784, 128, 64, 10)):
    """Multiply-adds × 2 of one dense epoch: every layer forward and weight gradient, deltas from layer 2 on."""
    per_row = 0
    for l in range(1, len(sizes)):
        mac = sizes[l - 1] * sizes[l]
        per_row += 2 * mac  # forward + weight gradient
        if l > 1:
            per_row += mac  # delta to the previous layer
    return 2 * per_row * rows


def rate(torch, m, k, n, min_time):
    a = torch.rand(m, k)
    b = torch.rand(k, n)
    c = torch.empty(m, n)
    for _ in range(3):
        torch.mm(a, b, out=c)
    best = 0.0
    end = time.perf_counter() + min_time
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b, out=c)
        dt = time.perf_counter() - t0
        if dt < 0.02:
            reps *= 2
            continue
        best = max(best, 2.0 * m * k * n * reps / dt / 1e9)
        if time.perf_counter() > end:
            return best


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--min-time", type=float, default=1.0, help="seconds per shape (default 1.0)")
    ap.add_argument("--rows", type=int, default=8000, help="training rows per epoch (MNIST-10k: 8000)")
    a = ap.parse_args(argv)
    if a.threads < 1 or a.size < 16 or not a.min_time > 0 or a.rows < 1:
        ap.error("--threads >= 1, --size >= 16, --min-time > 0, --rows >= 1")
    try:
        import torch
    except Exception as e:  # noqa: BLE001
        emit({"impl": "torch.mm", "available": False, "reason": f"cannot import torch: {e}"})
        return 3
    torch.set_num_threads(a.threads)
    square = rate(torch, a.size, a.size, a.size, a.min_time)
    mlp = rate(torch, 64, 784, 128, a.min_time)
    flops = epoch_flops(a.rows)
    emit({"impl": "torch.mm", "torch_version": torch.__version__, "threads": a.threads,
          "square_size": a.size, "square_gflops": square, "mlp_shape_gflops": mlp,
          "epoch_gflop": flops / 1e9, "epoch_seconds_at_square_rate": flops / 1e9 / square,
          "epoch_seconds_at_mlp_shape_rate": flops / 1e9 / mlp})
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001
        sys.stderr.write(f"sgemm_limit: {type(e).__name__}: {e}\n")
        sys.exit(1)
