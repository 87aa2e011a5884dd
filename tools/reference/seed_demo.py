#!/usr/bin/env python3
"""Reference numbers for the seed article's optimizer comparison.

The seed article ("RMSprop: In-depth Explanation", Neha Kumawat) trains one
sigmoid neuron with RMSprop and compares it with other optimizers.  Its code
listing is buggy (the update lines sit outside the epoch loop and it mixes
``vw``/``v_w``); this script implements what the article *means*: the update
runs once per epoch, after the full-batch gradient is accumulated.

Everything here is plain Python ``float`` (IEEE-754 binary64) arithmetic plus
``math``; no numpy, no Java.  The other optimizers use PyTorch's exact update
formulas (the ones rmsprop4j implements), with PyTorch's ``1 - beta``
coefficients computed in double precision as PyTorch does
(``1 - 0.9 == 0.09999999999999998``).

Problem
    f(x)   = 1 / (1 + exp(-(w*x + b)))
    L(w,b) = sum_i 0.5 * (f(x_i) - y_i)^2,   X = [0.5, 2.5], Y = [0.2, 0.9]
    start  w = b = -2.0, full batch, 1000 epochs.

Output: seed-demo-reference.json next to this script (or --out), and a table
on stdout.  If the recorded PyTorch run
/work/shared/golden/pytorch/rmsprop-seed-neuron-f64.json (or --golden) exists,
the rmsprop-pytorch run is asserted to reproduce its 200 steps to ~1e-12.
"""

import argparse
import json
import math
import os
import platform
import sys

# ---------------------------------------------------------------------------
# Problem definition
# ---------------------------------------------------------------------------

X = [0.5, 2.5]
Y = [0.2, 0.9]
INIT_W = -2.0
INIT_B = -2.0
EPOCHS = 1000
RECORD_EPOCHS = [0, 1, 10, 50, 100, 1000]

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "seed-demo-reference.json")
DEFAULT_GOLDEN = "/work/shared/golden/pytorch/rmsprop-seed-neuron-f64.json"


def ieee_exp(z):
    """math.exp with IEEE overflow semantics (+inf instead of OverflowError)."""
    try:
        return math.exp(z)
    except OverflowError:
        return math.inf


def sigmoid_neuron(w, b, x):
    # f(x) = 1 / (1 + exp(-(w*x + b)))
    return 1.0 / (1.0 + ieee_exp(-(w * x + b)))


def loss(w, b):
    # L(w,b) = sum over data, in order, of 0.5 * (f(x) - y)^2
    total = 0.0
    for x, y in zip(X, Y):
        d = sigmoid_neuron(w, b, x) - y
        total += 0.5 * d * d
    return total


def grad(w, b):
    # dL/dw = sum (f-y)*f*(1-f)*x ; dL/db = sum (f-y)*f*(1-f)
    # summed over the data in order (x = 0.5 first, then x = 2.5)
    dw = 0.0
    db = 0.0
    for x, y in zip(X, Y):
        f = sigmoid_neuron(w, b, x)
        dw += (f - y) * f * (1.0 - f) * x
        db += (f - y) * f * (1.0 - f)
    return [dw, db]


# ---------------------------------------------------------------------------
# Optimizer rules.  Each one updates a single scalar parameter p with gradient
# g and a per-parameter state dict; it returns the new p.  No weight decay.
# ---------------------------------------------------------------------------

def gd_step(p, g, s, lr=1.0):
    # SGD:  p <- p - lr * g
    return p - lr * g


def momentum_step(p, g, s, lr=1.0, momentum=0.9):
    # PyTorch SGD, momentum, dampening 0:
    #   first step: buf <- g ; afterwards: buf <- momentum*buf + g
    #   p <- p - lr * buf
    if "buf" not in s:
        s["buf"] = g
    else:
        s["buf"] = momentum * s["buf"] + g
    return p - lr * s["buf"]


def nesterov_step(p, g, s, lr=1.0, momentum=0.9):
    # PyTorch SGD, nesterov=True, dampening 0:
    #   buf as in momentum_step; d <- g + momentum*buf ; p <- p - lr * d
    if "buf" not in s:
        s["buf"] = g
    else:
        s["buf"] = momentum * s["buf"] + g
    d = g + momentum * s["buf"]
    return p - lr * d


def adagrad_step(p, g, s, lr=0.1, eps=1e-8):
    # PyTorch Adagrad, lr_decay 0, initial_accumulator_value 0:
    #   sum <- sum + g*g ; p <- p - lr * g / (sqrt(sum) + eps)
    s["sum"] = s.get("sum", 0.0) + g * g
    return p - lr * g / (math.sqrt(s["sum"]) + eps)


def rmsprop_seed_step(p, g, s, lr=0.1, beta=0.9, eps=1e-9):
    # The article's rule (eps INSIDE the sqrt), v starts at 0:
    #   v <- beta*v + (1-beta)*g*g ; p <- p - lr * g / sqrt(v + eps)
    s["v"] = beta * s.get("v", 0.0) + (1.0 - beta) * g * g
    return p - lr * g / math.sqrt(s["v"] + eps)


def rmsprop_pytorch_step(p, g, s, lr=0.1, alpha=0.9, eps=1e-8):
    # PyTorch RMSprop (not centered, no momentum), eps OUTSIDE the sqrt:
    #   v <- alpha*v + (1-alpha)*g*g ; p <- p - lr * g / (sqrt(v) + eps)
    s["v"] = alpha * s.get("v", 0.0) + (1.0 - alpha) * g * g
    return p - lr * g / (math.sqrt(s["v"]) + eps)


def adam_step(p, g, s, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    # PyTorch Adam (not amsgrad), step t counted from 1:
    #   m <- beta1*m + (1-beta1)*g ; v <- beta2*v + (1-beta2)*g*g
    #   bc1 = 1 - beta1^t ; bc2 = 1 - beta2^t
    #   p <- p - (lr/bc1) * m / (sqrt(v)/sqrt(bc2) + eps)
    t = s.get("t", 0) + 1
    s["t"] = t
    s["m"] = beta1 * s.get("m", 0.0) + (1.0 - beta1) * g
    s["v"] = beta2 * s.get("v", 0.0) + (1.0 - beta2) * g * g
    bc1 = 1.0 - beta1 ** t
    bc2 = 1.0 - beta2 ** t
    step_size = lr / bc1
    denom = math.sqrt(s["v"]) / math.sqrt(bc2) + eps
    return p - step_size * s["m"] / denom


OPTIMIZERS = [
    # name, step function, settings recorded in the JSON
    ("gd", gd_step,
     {"rule": "SGD", "lr": 1.0}),
    ("momentum", momentum_step,
     {"rule": "PyTorch SGD momentum", "lr": 1.0, "momentum": 0.9,
      "dampening": 0.0, "nesterov": False}),
    ("nesterov", nesterov_step,
     {"rule": "PyTorch SGD nesterov", "lr": 1.0, "momentum": 0.9,
      "dampening": 0.0, "nesterov": True}),
    ("adagrad", adagrad_step,
     {"rule": "PyTorch Adagrad", "lr": 0.1, "lr_decay": 0.0,
      "initial_accumulator_value": 0.0, "eps": 1e-8}),
    ("rmsprop-seed", rmsprop_seed_step,
     {"rule": "article: v=beta*v+(1-beta)*g^2; p-=lr*g/sqrt(v+eps)",
      "lr": 0.1, "beta": 0.9, "eps": 1e-9, "eps_placement": "inside_sqrt"}),
    ("rmsprop-pytorch", rmsprop_pytorch_step,
     {"rule": "PyTorch RMSprop", "lr": 0.1, "alpha": 0.9, "eps": 1e-8,
      "eps_placement": "outside_sqrt", "centered": False, "momentum": 0.0}),
    ("adam", adam_step,
     {"rule": "PyTorch Adam", "lr": 0.1, "betas": [0.9, 0.999], "eps": 1e-8,
      "amsgrad": False}),
]


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

def train(step_fn, epochs=EPOCHS, trace=None):
    """Full-batch training. Returns (losses, w, b) where losses[k] is the loss
    after k updates (losses[0] = loss at the start).  If trace is a list, one
    dict {loss_before, grads, params_after} is appended per step."""
    params = [INIT_W, INIT_B]
    states = [{}, {}]
    losses = [loss(*params)]
    for _ in range(epochs):
        g = grad(*params)
        before = losses[-1]
        params = [step_fn(p, gi, s) for p, gi, s in zip(params, g, states)]
        losses.append(loss(*params))
        if trace is not None:
            trace.append({"loss_before": before, "grads": g,
                          "params_after": list(params)})
    return losses, params[0], params[1]


def json_number(v):
    """Exact float for JSON; non-finite values become strings."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def logit(p):
    # logit(p) = log(p / (1 - p)), computed as log(p) - log1p(-p)
    return math.log(p) - math.log1p(-p)


def optimum():
    # sigmoid(0.5 w + b) = 0.2 and sigmoid(2.5 w + b) = 0.9
    #   => w* = (logit(0.9) - logit(0.2)) / 2 ; b* = logit(0.2) - 0.5 w*
    w = (logit(Y[1]) - logit(Y[0])) / (X[1] - X[0])
    b = logit(Y[0]) - X[0] * w
    return w, b


# ---------------------------------------------------------------------------
# PyTorch golden check
# ---------------------------------------------------------------------------

def rel_err(a, e):
    return abs(a - e) / max(abs(e), 1e-300) if a != e else 0.0


def check_golden(path, rel_tol=1e-12, abs_tol=1e-15):
    with open(path) as fh:
        gold = json.load(fh)
    hyper = gold["hyper"]
    assert gold["optimizer"] == "rmsprop" and gold["dtype"] == "float64"
    assert (hyper["lr"], hyper["alpha"], hyper["eps"]) == (0.1, 0.9, 1e-8)
    assert [p["value"][0] for p in gold["params"]] == [INIT_W, INIT_B]
    steps = gold["steps"]
    trace = []
    train(rmsprop_pytorch_step, epochs=len(steps), trace=trace)
    worst = 0.0
    for i, (ours, ref) in enumerate(zip(trace, steps)):
        pairs = [("loss_before", ours["loss_before"], ref["loss_before"]),
                 ("grad w", ours["grads"][0], ref["grads"]["w"][0]),
                 ("grad b", ours["grads"][1], ref["grads"]["b"][0]),
                 ("w", ours["params_after"][0], ref["expect"]["w"][0]),
                 ("b", ours["params_after"][1], ref["expect"]["b"][0])]
        for what, a, e in pairs:
            ok = abs(a - e) <= max(rel_tol * abs(e), abs_tol)
            assert ok, ("golden mismatch at step %d, %s: ours %r, pytorch %r"
                        % (i + 1, what, a, e))
            if abs(a - e) > abs_tol:
                worst = max(worst, rel_err(a, e))
    return len(steps), worst


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def fmt(v):
    return "%.6e" % v if isinstance(v, float) else str(v)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT,
                    help="output JSON (default: %(default)s)")
    ap.add_argument("--golden", default=DEFAULT_GOLDEN,
                    help="recorded PyTorch RMSprop run to assert against "
                         "(skipped if missing; default: %(default)s)")
    args = ap.parse_args(argv)

    runs = {}
    for name, fn, settings in OPTIMIZERS:
        losses, w, b = train(fn)
        runs[name] = {
            "settings": settings,
            "loss_after_epoch": {str(k): json_number(losses[k])
                                 for k in RECORD_EPOCHS},
            "w": json_number(w),
            "b": json_number(b),
        }

    w_opt, b_opt = optimum()
    doc = {
        "generator": "tools/reference/seed_demo.py",
        "python": platform.python_version(),
        "problem": {
            "model": "f(x) = 1/(1+exp(-(w*x+b)))",
            "loss": "L(w,b) = sum_i 0.5*(f(x_i)-y_i)^2 (summed in data order)",
            "gradient": "dL/dw = sum (f-y)*f*(1-f)*x, dL/db = sum (f-y)*f*(1-f),"
                        " summed in data order",
            "X": X,
            "Y": Y,
            "start": {"w": INIT_W, "b": INIT_B},
            "batch": "full",
            "dtype": "float64",
            "epochs": EPOCHS,
            "loss_after_epoch_k": "loss at the parameters after k full-batch"
                                  " updates (k=0: starting loss)",
        },
        "runs": runs,
        "optimum": {"w": w_opt, "b": b_opt, "loss": loss(w_opt, b_opt)},
    }
    with open(args.out, "w") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")

    # Human-readable table.
    cols = ["0", "1", "10", "50", "100", "1000"]
    head = "%-16s" % "optimizer" + "".join(" %13s" % ("L@" + c) for c in cols) \
        + " %13s %13s" % ("w", "b")
    print(head)
    print("-" * len(head))
    for name, _, _ in OPTIMIZERS:
        r = runs[name]
        print("%-16s" % name
              + "".join(" %13s" % fmt(r["loss_after_epoch"][c]) for c in cols)
              + " %13s %13s" % (fmt(r["w"]), fmt(r["b"])))
    print()
    print("optimum: w* = %r, b* = %r, L(w*, b*) = %r"
          % (w_opt, b_opt, doc["optimum"]["loss"]))
    print("wrote %s" % args.out)

    if args.golden and os.path.exists(args.golden):
        n, worst = check_golden(args.golden)
        print("PyTorch golden check PASSED: %d steps of %s reproduced "
              "(max relative error %.3g)" % (n, args.golden, worst))
    else:
        print("PyTorch golden check SKIPPED (no file at %s)" % args.golden)
    return 0


if __name__ == "__main__":
    sys.exit(main())
