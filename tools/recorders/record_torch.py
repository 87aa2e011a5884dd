"""Records PyTorch's CPU optimizers (torch.optim.*) as conformance cases.

Runs under PyTorch 2.13 (venv, see README.md) and PyTorch 1.13 (Debian's python3-torch,
/usr/bin/python3):

    PY tools/recorders/record_torch.py OUT_DIR

The inputs are those of the 17 cases in testkit/src/test/resources/golden/pytorch/ (read from
there: same names, same parameters and gradients; the seed neuron recomputes its gradients with
autograd, as the original did), plus variants: the foreach path of every RMSprop case, the fused
CPU path of Adam/AdamW/SGD/Adagrad (2.x only), and the special-value stream of plan.py (big, tiny
and zero gradients, a scalar and an empty tensor).
"""
import copy
import glob
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plan  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "testkit", "src", "test", "resources", "golden", "pytorch")

CLASSES = {"rmsprop": "RMSprop", "sgd": "SGD", "adagrad": "Adagrad", "adadelta": "Adadelta", "adam": "Adam", "adamw": "AdamW"}
SLOTS = {"rmsprop": ["square_avg", "momentum_buffer", "grad_avg"], "sgd": ["momentum_buffer"], "adagrad": ["sum"],
         "adadelta": ["square_avg", "acc_delta"], "adam": ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
         "adamw": ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]}
TORCH2 = int(torch.__version__.split(".")[0]) >= 2


def dtype_of(c):
    return torch.float32 if c["dtype"] == "float32" else torch.float64


def run(c, path="for-loop", seed_neuron=False, keep_step=False):
    """Runs skeleton c through torch.optim; path is 'for-loop', 'foreach' or 'fused'."""
    dt = dtype_of(c)
    params = [torch.tensor(np.array(p["value"], dtype=np.float64), dtype=dt).reshape(p["shape"]) for p in c["params"]]
    for p in params:
        p.requires_grad_(True)
    hyper = dict(c["hyper"])
    if "betas" in hyper:
        hyper["betas"] = tuple(hyper["betas"])
    kw = {}
    if path == "foreach":
        kw["foreach"] = True
    elif path == "fused":
        kw["fused"] = True
    else:
        kw["foreach"] = False
    opt = getattr(torch.optim, CLASSES[c["optimizer"]])(params, **hyper, **kw)
    expects = []
    steps = c["steps"]
    for st in steps:
        if "lr" in st:
            for g in opt.param_groups:
                g["lr"] = st["lr"]
        if seed_neuron:
            w, b = params
            x = torch.tensor([0.5, 2.5], dtype=dt)
            y = torch.tensor([0.2, 0.9], dtype=dt)
            w.grad = None
            b.grad = None
            f = 1.0 / (1.0 + torch.exp(-(w * x + b)))
            loss = (0.5 * (f - y) ** 2).sum()
            loss.backward()
            st["loss_before"] = loss.item()
            st["grads"] = {"w": plan.nums(w.grad), "b": plan.nums(b.grad)}
        else:
            for p, spec in zip(params, c["params"]):
                p.grad = torch.tensor(np.array(st["grads"][spec["name"]], dtype=np.float64), dtype=dt).reshape(spec["shape"])
        opt.step()
        expects.append({spec["name"]: p.detach().numpy().copy() for p, spec in zip(params, c["params"])})
    final = {}
    if not seed_neuron:
        for p, spec in zip(params, c["params"]):
            s = opt.state[p]
            slots = {k: s[k].detach().numpy().copy() for k in SLOTS[c["optimizer"]] if k in s and torch.is_tensor(s[k])}
            if keep_step and "step" in s:
                slots["step"] = np.array([float(s["step"])])
            if slots:
                final[spec["name"]] = slots
    src = f"torch {torch.__version__} torch.optim.{CLASSES[c['optimizer']]} on CPU ("
    src += {"for-loop": "foreach=False", "foreach": "foreach=True", "fused": "fused=True"}[path] + ")"
    if seed_neuron:
        src = (f"torch {torch.__version__} torch.optim.RMSprop on CPU (foreach=False); sigmoid neuron f(x)=1/(1+exp(-(w*x+b))), "
               "loss sum 0.5*(f(x)-y)^2 over X=[0.5,2.5], Y=[0.2,0.9], start w=b=-2")
    return plan.finish(c, src, expects, final)


def skeleton(golden_case):
    c = copy.deepcopy(golden_case)
    for st in c["steps"]:
        st.pop("expect", None)
        st.pop("loss_before", None)
    c.pop("final_state", None)
    return c


def main(out):
    written = []
    goldens = {os.path.basename(f)[:-5]: json.load(open(f)) for f in sorted(glob.glob(os.path.join(GOLDEN, "*.json")))}
    for name, g in goldens.items():
        sk = skeleton(g)
        foreach = "foreach=True" in g["source"]
        written.append(plan.write(run(sk, "foreach" if foreach else "for-loop", seed_neuron=name.endswith("seed-neuron-f64")), out))
    # the foreach path of every for-loop RMSprop case, and of the other optimizers
    for name, g in goldens.items():
        if "foreach=True" in g["source"] or name.endswith("seed-neuron-f64"):
            continue
        sk = skeleton(g)
        sk["name"] = name.replace("-f32", "-foreach-f32").replace("-f64", "-foreach-f64")
        written.append(plan.write(run(sk, "foreach"), out))
    if TORCH2:
        for name in ("adam-f32", "adamw-amsgrad-f32", "sgd-momentum-dampening-f32", "sgd-nesterov-f32", "adagrad-f32"):
            sk = skeleton(goldens[name])
            sk["name"] = name.replace("-f32", "-fused-f32")
            if sk["optimizer"] == "adagrad":
                sk["hyper"] = dict(sk["hyper"], lr_decay=0.01)
            written.append(plan.write(run(sk, "fused"), out))
    # special values: big, tiny and zero gradients, a scalar and an empty tensor
    hy = {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False, "maximize": False}
    for dt, sfx in (("float32", "f32"), ("float64", "f64")):
        sk = plan.case(f"rmsprop-special-{sfx}", "rmsprop", "pytorch", dt, hy, 11)
        written.append(plan.write(run(sk), out))
        sk = plan.case(f"rmsprop-special-centered-momentum-{sfx}", "rmsprop", "pytorch", dt,
                       dict(hy, alpha=0.95, momentum=0.9, centered=True, weight_decay=0.01), 12)
        written.append(plan.write(run(sk), out))
        sk = plan.case(f"rmsprop-special-centered-momentum-foreach-{sfx}", "rmsprop", "pytorch", dt,
                       dict(hy, alpha=0.95, momentum=0.9, centered=True, weight_decay=0.01), 12)
        written.append(plan.write(run(sk, "foreach"), out))
    # lerp weights >= 0.5 take lerp's other branch (end - (end - self)*(1 - w))
    for dt, sfx in (("float32", "f32"), ("float64", "f64")):
        sk = plan.case(f"rmsprop-centered-low-alpha-{sfx}", "rmsprop", "pytorch", dt,
                       dict(hy, alpha=0.3, centered=True, momentum=0.5), 13)
        written.append(plan.write(run(sk), out))
        sk = plan.case(f"adam-low-beta1-{sfx}", "adam", "pytorch", dt,
                       {"lr": 0.01, "betas": [0.2, 0.9], "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False, "maximize": False}, 14)
        written.append(plan.write(run(sk), out))
        if TORCH2:
            sk["name"] = f"adam-low-beta1-fused-{sfx}"
            written.append(plan.write(run(sk, "fused"), out))
    # a real state dict holds 'step' (a tensor since 1.12): kept in final_state here only
    sk = skeleton(goldens["rmsprop-momentum-f32"])
    sk["name"] = "rmsprop-state-step-f32"
    written.append(plan.write(run(sk, keep_step=True), out))
    for w in written:
        print(w)


if __name__ == "__main__":
    main(sys.argv[1])
