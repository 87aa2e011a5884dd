#!/usr/bin/env python3
"""Interleaved rounds of the MLP epoch (issue 15): ours, PyTorch and the sgemm limit, one after the other.

Each round runs, for every thread count: our epoch (`rmsprop4j bench --mlp`, only its MLP row), the
PyTorch epoch (`torch_mlp_epoch.py` with --python) and the sgemm limit (`sgemm_limit.py`), so that the
three numbers of a round come from the same minute. Prints one line per measurement and a summary:
the median over rounds of the wall seconds per epoch and of the CPU seconds per epoch (the whole
process, all threads; on a shared machine the CPU time swings much less than the wall time), the
ratios, and the load average before and after each round.

    python3 bench/python/mlp_interleaved.py --python /tmp/torch2/bin/python [--rounds 3] [--threads 1,2] [--jar cli/target/rmsprop4j.jar]
        [--java-opts "-D..."] [--b-java-opts "-Drmsprop4j.train.splitStep=false"]

With --b-java-opts every round also runs our epoch a second time with those JVM options ("ours B", right
after "ours", in alternating order from round to round), for a before/after in the same run.

Run it from the repository root (it reads the shipped MNIST-10k copy under train/). Exit status 0,
or 1 when a run fails (its stderr is printed).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "train/src/main/resources/org/rmsprop4j/data")


def run_json(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(1)
    return json.loads(p.stdout)


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True, help="interpreter with torch (the PyTorch 2.13 venv)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--epochs", type=int, default=3, help="timed epochs per run (after one warm-up epoch)")
    ap.add_argument("--jar", default=os.path.join(REPO, "cli/target/rmsprop4j.jar"))
    ap.add_argument("--java-opts", default="", help="extra JVM options for our run, e.g. -Drmsprop4j.train.fusedBatch=false")
    ap.add_argument("--b-java-opts", default=None,
                    help="also run ours with these JVM options each round (a before/after in one run), e.g. -Drmsprop4j.train.splitStep=false")
    a = ap.parse_args()
    threads = [int(t) for t in a.threads.split(",")]
    res = {k: {"ours": [], "ours_cpu": [], "ours_b": [], "ours_b_cpu": [], "torch": [], "torch_cpu": [], "limit": []} for k in threads}
    for r in range(a.rounds):
        for k in threads:
            before = load()
            def ours_run(opts):
                return run_json(["java"] + opts.split() + ["-jar", a.jar, "bench", "--mlp", "--json", "--no-c", "--no-torch",
                                 "--no-dl4j", "--sizes", "1e3", "--min-time-ms", "20", "--threads", str(k)])["mlp"][0]
            ob = None
            if a.b_java_opts is not None and r % 2 == 1:
                ob = ours_run(a.b_java_opts)
            ours = ours_run(a.java_opts)
            if a.b_java_opts is not None and r % 2 == 0:
                ob = ours_run(a.b_java_opts)
            torch = run_json([a.python, os.path.join(HERE, "torch_mlp_epoch.py"), "--data", DATA, "--threads", str(k),
                              "--epochs", str(a.epochs)])
            lim = run_json([a.python, os.path.join(HERE, "sgemm_limit.py"), "--threads", str(k)])
            after = load()
            o, oc = ours["ours_seconds_per_epoch"], ours.get("ours_cpu_seconds_per_epoch")
            t, tc = torch["seconds_per_epoch"], torch.get("cpu_seconds_per_epoch")
            l = lim["epoch_seconds_at_square_rate"]
            bo, boc = (ob["ours_seconds_per_epoch"], ob.get("ours_cpu_seconds_per_epoch")) if ob else (None, None)
            for key, v in (("ours", o), ("ours_cpu", oc), ("ours_b", bo), ("ours_b_cpu", boc), ("torch", t), ("torch_cpu", tc), ("limit", l)):
                if v is not None:
                    res[k][key].append(v)
            print(f"round {r + 1} threads {k}: ours {o:.4f} s (cpu {oc if oc is None else round(oc, 4)}), "
                  f"torch {torch['torch_version']} {t:.4f} s (cpu {tc if tc is None else round(tc, 4)}), "
                  f"sgemm limit {l:.4f} s ({lim['square_gflops']:.1f} GFLOP/s); load {before} -> {after}"
                  + (f"; ours B {bo:.4f} s (cpu {boc if boc is None else round(boc, 4)})" if ob else ""), flush=True)
    for k in threads:
        m = {key: (statistics.median(v) if v else None) for key, v in res[k].items()}
        print(f"threads {k} medians over {a.rounds} rounds: ours {m['ours']:.4f} s, torch {m['torch']:.4f} s, "
              f"torch/ours {m['torch'] / m['ours']:.2f}, ours/limit {m['ours'] / m['limit']:.2f} (limit {m['limit']:.4f} s, best "
              f"{min(res[k]['limit']):.4f}); CPU s/epoch: ours {m['ours_cpu']}, torch {m['torch_cpu']}")
        if m["ours_b"] is not None:
            print(f"threads {k} ours B ({a.b_java_opts}): {m['ours_b']:.4f} s, B/ours {m['ours_b'] / m['ours']:.2f}, "
                  f"B/limit {m['ours_b'] / m['limit']:.2f}; CPU s/epoch {m['ours_b_cpu']}")


if __name__ == "__main__":
    main()
