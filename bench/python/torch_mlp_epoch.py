#!/usr/bin/env python3
"""PyTorch CPU baseline for an end-to-end training epoch (issue 6, "MLP epoch on MNIST-10k").

Trains the MLP 784-128-64-10 (ReLU, softmax cross-entropy) on the MNIST-10k training split
(IDX gz files) with torch.optim.RMSprop(lr=1e-3, alpha=0.99, eps=1e-8), mini-batches of 64
shuffled with a fixed seed, and prints exactly one JSON object on stdout with the seconds per
epoch. The Java side (module `train`) runs the same model, batch size, optimizer and data, and
`rmsprop4j bench` puts both numbers side by side.

Timed: everything one epoch of training does (shuffle, batch slicing, forward, loss, backward,
optimizer step). Not timed: reading and decoding the files, converting to float tensors, and
the first (warm-up) epoch. Result: median over --epochs timed epochs.

Run with an interpreter that has torch (Debian 12: apt-get install python3-torch):
    /usr/bin/python3 torch_mlp_epoch.py [--data DIR] [--epochs 3] [--threads 1]

Exit status: 0 ok, 2 bad arguments or unreadable data, 3 torch not importable
({"available": false, ...} is still printed), 1 any other failure.
"""
import argparse
import gzip
import json
import os
import platform
import statistics
import struct
import sys
import time

DEFAULT_DATA = "/work/shared/data"


def emit(obj):
    sys.stdout.write(json.dumps(obj, allow_nan=False) + "\n")
    sys.stdout.flush()


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA,
                    help="folder with <prefix>-train-images-idx3-ubyte.gz and <prefix>-train-labels-idx1-ubyte.gz")
    ap.add_argument("--prefix", default="mnist10k", help="file name prefix (mnist10k; 'train' for the full MNIST names)")
    ap.add_argument("--images", help="explicit path of the training images (IDX3, .gz or not)")
    ap.add_argument("--labels", help="explicit path of the training labels (IDX1, .gz or not)")
    ap.add_argument("--epochs", type=int, default=3, help="timed epochs after one warm-up epoch (default 3)")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    if a.epochs < 1 or a.threads < 1 or a.batch_size < 1 or not a.lr > 0:
        ap.error("--epochs, --threads and --batch-size must be >= 1 and --lr > 0")
    return a


def read_idx(path):
    """Returns (dims, raw bytes) of an unsigned-byte IDX file, gzip or plain."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    nd = data[3]
    dims = struct.unpack(">" + "I" * nd, data[4:4 + 4 * nd])
    body = data[4 + 4 * nd:]
    need = 1
    for d in dims:
        need *= d
    if len(body) != need:
        raise ValueError(f"{path}: {len(body)} data bytes, header says {need}")
    return dims, body


def locate(a, kind, suffix):
    explicit = a.images if kind == "images" else a.labels
    if explicit:
        return explicit
    for name in (f"{a.prefix}-train-{suffix}.gz", f"{a.prefix}-train-{suffix}"):
        p = os.path.join(a.data, name)
        if os.path.exists(p):
            return p
    return os.path.join(a.data, f"{a.prefix}-train-{suffix}.gz")


def main(argv):
    a = parse_args(argv)
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install
        emit({"impl": "torch", "available": False, "reason": f"cannot import torch: {e}"})
        return 3
    try:
        img_path = locate(a, "images", "images-idx3-ubyte")
        lab_path = locate(a, "labels", "labels-idx1-ubyte")
        idims, ibytes = read_idx(img_path)
        ldims, lbytes = read_idx(lab_path)
    except (OSError, ValueError) as e:
        sys.stderr.write(f"torch_mlp_epoch: {e}\n")
        return 2
    if len(idims) != 3 or idims[1] * idims[2] != 784 or len(ldims) != 1 or ldims[0] != idims[0]:
        sys.stderr.write(f"torch_mlp_epoch: expected N×28×28 images and N labels, got {idims} and {ldims}\n")
        return 2

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    n = idims[0]
    x = torch.frombuffer(bytearray(ibytes), dtype=torch.uint8).reshape(n, 784).to(torch.float32) / 255.0
    y = torch.frombuffer(bytearray(lbytes), dtype=torch.uint8).to(torch.int64)

    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10))
    opt = torch.optim.RMSprop(model.parameters(), lr=a.lr, alpha=0.99, eps=1e-8)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + negative log-likelihood, mean over the batch
    gen = torch.Generator().manual_seed(a.seed)

    def epoch():
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        batches = 0
        for lo in range(0, n, a.batch_size):
            idx = perm[lo:lo + a.batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        return total / batches

    t0 = time.perf_counter()
    warm_loss = epoch()
    warm_s = time.perf_counter() - t0
    times, cpu, losses = [], [], []
    for _ in range(a.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        losses.append(epoch())
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    with torch.no_grad():
        acc = (model(x).argmax(dim=1) == y).to(torch.float32).mean().item()
    emit({
        "impl": "torch", "torch_version": torch.__version__, "python": platform.python_version(),
        "model": "mlp-784-128-64-10-relu", "loss": "softmax-cross-entropy",
        "optimizer": {"name": "RMSprop", "lr": a.lr, "alpha": 0.99, "eps": 1e-8},
        "train_examples": n, "batch_size": a.batch_size, "batches_per_epoch": (n + a.batch_size - 1) // a.batch_size,
        "threads": a.threads, "torch_num_threads": torch.get_num_threads(),
        "epochs_timed": a.epochs, "seconds_per_epoch": statistics.median(times),
        "epoch_seconds": times, "warmup_epoch_seconds": warm_s,
        # CPU seconds of the whole process per timed epoch (all its threads): on a shared machine the wall
        # time swings with the other processes, the CPU time much less (on 1 thread it is the work itself)
        "cpu_seconds_per_epoch": statistics.median(cpu), "epoch_cpu_seconds": cpu,
        "mean_loss_per_epoch": [warm_loss] + losses, "train_accuracy": acc,
        "images": img_path, "labels": lab_path,
    })
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - one clear line, exit 1
        sys.stderr.write(f"torch_mlp_epoch: {type(e).__name__}: {e}\n")
        sys.exit(1)
