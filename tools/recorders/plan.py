"""Case plans for the recorders: the inputs of every recorded case, per framework.

A plan is a list of case skeletons in the conformance format
(testkit/src/test/resources/golden/FORMAT.md) with everything but the
framework's answers: name, flavor, dtype, hyper (the framework's own argument
names), params, and per step the gradients (and, for schedules, the step's
learning rate). A recorder runs the framework on a skeleton and fills in
`expect` (after every step), `final_state` and `source`.

Python recorders import this module; the node (TF.js) and Maven (ND4J,
Tribuo) recorders read the plan as JSON:

    python3 tools/recorders/plan.py FRAMEWORK OUT.json

Needs only numpy. The streams are seeded (numpy's PCG64 `default_rng`), so
every run gives the same inputs.
"""
import json
import math
import sys

import numpy as np

FORMAT = "rmsprop4j-conformance/1"


def _num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def nums(a):
    """A tensor (any shape) as a flat list of exact JSON numbers (row-major)."""
    return [_num(v) for v in np.asarray(a).reshape(-1).tolist()]


def stream(seed, steps, dtype, layout=None, zero_step=2, lrs=None):
    """A case body: parameters and a gradient stream with the special values every plan covers.

    Tensors (unless `layout` says otherwise): `w` [3,4] normal (its element 0 always gets a zero
    gradient), `big` [3] with gradients ~1e6 (g^2 ~ 1e12), `tiny` [3] with gradients ~1e-6
    (g^2 ~ 1e-12, below most epsilons), `s` a scalar, `z` an empty tensor [0]. On step
    `zero_step` every gradient is exactly zero.
    """
    rng = np.random.default_rng(seed)
    dt = np.float32 if dtype == "float32" else np.float64
    if layout is None:
        layout = [("w", [3, 4], 1.0), ("big", [3], 1e6), ("tiny", [3], 1e-6), ("s", [], 1.0), ("z", [0], 1.0)]
    params = []
    for name, shape, _ in layout:
        params.append({"name": name, "shape": list(shape), "value": nums(rng.standard_normal(shape).astype(dt))})
    out_steps = []
    for k in range(steps):
        grads = {}
        for name, shape, scale in layout:
            g = (rng.standard_normal(shape) * scale).astype(dt)
            if k == zero_step:
                g = np.zeros(shape, dt)
            if name == "w":
                g.reshape(-1)[0] = 0
            grads[name] = nums(g)
        st = {}
        if lrs is not None:
            st["lr"] = float(lrs[k])
        st["grads"] = grads
        out_steps.append(st)
    return params, out_steps


def schedule(base, steps, kind="halve"):
    """Per-step learning rates: 'halve' halves every 8 steps; 'warm' ramps up then decays."""
    if kind == "halve":
        return [base * 0.5 ** (k // 8) for k in range(steps)]
    if kind == "warm":
        return [base * min(1.0, (k + 1) / 5) * 0.9 ** max(0, k - 5) for k in range(steps)]
    raise ValueError(kind)


def case(name, optimizer, flavor, dtype, hyper, seed, steps=25, lrs=None, layout=None, extra=None, zero_step=2):
    params, st = stream(seed, steps, dtype, layout=layout, lrs=lrs, zero_step=zero_step)
    c = {"format": FORMAT, "name": name, "source": None, "optimizer": optimizer, "flavor": flavor,
         "dtype": dtype, "hyper": hyper, "params": params, "steps": st}
    if extra:
        c.update(extra)
    return c


def finish(skel, source, expects, final_state):
    """The full case: the skeleton with the framework's answers."""
    out = dict(skel)
    out["source"] = source
    steps = []
    for st, ex in zip(skel["steps"], expects):
        s = dict(st)
        s["expect"] = {k: nums(v) for k, v in ex.items()}
        steps.append(s)
    out["steps"] = steps
    if final_state:
        out["final_state"] = {p: {k: nums(v) for k, v in slots.items()} for p, slots in final_state.items()}
    for k in list(out):
        if k.startswith("_"):
            del out[k]
    return out


def write(case_, folder):
    import os
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, case_["name"] + ".json")
    with open(path, "w") as f:
        json.dump(case_, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    return path


# ---------------------------------------------------------------- plans per framework

def plan_keras():
    c = []
    for dt, sfx in (("float32", "f32"), ("float64", "f64")):
        c.append(case(f"keras-default-{sfx}", "rmsprop", "keras", dt, {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False}, 101))
        c.append(case(f"keras-centered-momentum-{sfx}", "rmsprop", "keras", dt, {"learning_rate": 0.01, "rho": 0.95, "momentum": 0.9, "epsilon": 1e-7, "centered": True}, 102))
    c.append(case("keras-centered-f32", "rmsprop", "keras", "float32", {"learning_rate": 0.01, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": True}, 103))
    c.append(case("keras-momentum-f32", "rmsprop", "keras", "float32", {"learning_rate": 0.01, "rho": 0.9, "momentum": 0.9, "epsilon": 1e-7, "centered": False}, 104))
    c.append(case("keras-weight-decay-f32", "rmsprop", "keras", "float32", {"learning_rate": 0.01, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False, "weight_decay": 0.05}, 105))
    c.append(case("keras-schedule-momentum-f32", "rmsprop", "keras", "float32", {"learning_rate": 0.02, "rho": 0.9, "momentum": 0.5, "epsilon": 1e-7, "centered": False, "weight_decay": 0.01}, 106, lrs=schedule(0.02, 25, "warm")))
    c.append(case("keras-rho99-eps-f32", "rmsprop", "keras", "float32", {"learning_rate": 0.003, "rho": 0.99, "momentum": 0.0, "epsilon": 1e-3, "centered": False}, 107))
    return c


def plan_tf1():
    c = []
    for dt, sfx in (("float32", "f32"), ("float64", "f64")):
        c.append(case(f"tf1-default-{sfx}", "rmsprop", "tf1", dt, {"learning_rate": 0.001, "decay": 0.9, "momentum": 0.0, "epsilon": 1e-10, "centered": False}, 201))
        c.append(case(f"tf1-centered-momentum-{sfx}", "rmsprop", "tf1", dt, {"learning_rate": 0.01, "decay": 0.95, "momentum": 0.9, "epsilon": 1e-10, "centered": True}, 202))
    c.append(case("tf1-centered-f32", "rmsprop", "tf1", "float32", {"learning_rate": 0.01, "decay": 0.9, "momentum": 0.0, "epsilon": 1e-10, "centered": True}, 203))
    c.append(case("tf1-momentum-f32", "rmsprop", "tf1", "float32", {"learning_rate": 0.01, "decay": 0.9, "momentum": 0.9, "epsilon": 1e-10, "centered": False}, 204))
    c.append(case("tf1-schedule-momentum-f32", "rmsprop", "tf1", "float32", {"learning_rate": 0.02, "decay": 0.9, "momentum": 0.5, "epsilon": 1e-10, "centered": False}, 205, lrs=schedule(0.02, 25, "halve")))
    c.append(case("tf1-eps-f32", "rmsprop", "tf1", "float32", {"learning_rate": 0.003, "decay": 0.99, "momentum": 0.0, "epsilon": 1e-4, "centered": False}, 206))
    return c


def plan_optax():
    c = []
    for dt, sfx in (("float32", "f32"), ("float64", "f64")):
        c.append(case(f"optax-default-{sfx}", "rmsprop", "optax", dt, {"learning_rate": 0.001, "decay": 0.9, "eps": 1e-8}, 301))
        c.append(case(f"optax-centered-momentum-{sfx}", "rmsprop", "optax", dt, {"learning_rate": 0.01, "decay": 0.95, "eps": 1e-8, "centered": True, "momentum": 0.9}, 302))
        c.append(case(f"optax-eps-outside-{sfx}", "rmsprop", "optax", dt, {"learning_rate": 0.01, "decay": 0.9, "eps": 1e-8, "eps_in_sqrt": False}, 303))
    c.append(case("optax-nesterov-f32", "rmsprop", "optax", "float32", {"learning_rate": 0.01, "decay": 0.9, "eps": 1e-8, "momentum": 0.9, "nesterov": True}, 304))
    c.append(case("optax-bias-correction-f32", "rmsprop", "optax", "float32", {"learning_rate": 0.01, "decay": 0.9, "eps": 1e-8, "bias_correction": True, "centered": True}, 305))
    c.append(case("optax-initial-scale-f32", "rmsprop", "optax", "float32", {"learning_rate": 0.01, "decay": 0.9, "eps": 1e-8, "initial_scale": 1.0}, 306))
    c.append(case("optax-schedule-momentum-f32", "rmsprop", "optax", "float32", {"learning_rate": 0.02, "decay": 0.9, "eps": 1e-8, "momentum": 0.5}, 307, lrs=schedule(0.02, 25, "halve")))
    return c


def plan_tfjs():
    c = []
    c.append(case("tfjs-default-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.001, "decay": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False}, 401))
    c.append(case("tfjs-centered-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.01, "decay": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": True}, 402))
    c.append(case("tfjs-momentum-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.01, "decay": 0.9, "momentum": 0.9, "epsilon": 1e-7, "centered": False}, 403))
    c.append(case("tfjs-centered-momentum-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.01, "decay": 0.95, "momentum": 0.9, "epsilon": 1e-7, "centered": True}, 404))
    c.append(case("tfjs-schedule-momentum-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.02, "decay": 0.9, "momentum": 0.5, "epsilon": 1e-7, "centered": False}, 405, lrs=schedule(0.02, 25, "halve")))
    c.append(case("tfjs-eps-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.003, "decay": 0.99, "momentum": 0.0, "epsilon": 1e-3, "centered": False}, 406))
    c.append(case("tfjs-centered-eps-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.01, "decay": 0.9, "momentum": 0.0, "epsilon": 1e-3, "centered": True}, 407))
    c.append(case("tfjs-defaults-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.01}, 408))
    # centered without zero or tiny gradients: TF.js subtracts epsilon under the root, so a zero
    # or tiny gradient gives sqrt(negative) = NaN in the cases above
    c.append(case("tfjs-centered-momentum-normal-f32", "rmsprop", "tfjs", "float32", {"learningRate": 0.01, "decay": 0.9, "momentum": 0.9, "epsilon": 1e-7, "centered": True}, 409,
                  layout=[("a", [3, 4], 1.0), ("big", [3], 1e3), ("s", [], 1.0)], zero_step=-1))
    return c


def plan_timm():
    c = []
    for dt, sfx in (("float32", "f32"), ("float64", "f64")):
        c.append(case(f"timm-default-{sfx}", "rmsprop", "timm", dt, {"lr": 0.01, "alpha": 0.9, "eps": 1e-10}, 501))
        c.append(case(f"timm-centered-momentum-{sfx}", "rmsprop", "timm", dt, {"lr": 0.01, "alpha": 0.95, "eps": 1e-10, "momentum": 0.9, "centered": True}, 502))
    c.append(case("timm-momentum-f32", "rmsprop", "timm", "float32", {"lr": 0.01, "alpha": 0.9, "eps": 1e-3, "momentum": 0.9}, 503))
    c.append(case("timm-lr-outside-momentum-f32", "rmsprop", "timm", "float32", {"lr": 0.01, "alpha": 0.9, "eps": 1e-3, "momentum": 0.9, "lr_in_momentum": False}, 504))
    c.append(case("timm-weight-decay-f32", "rmsprop", "timm", "float32", {"lr": 0.01, "alpha": 0.9, "eps": 1e-3, "weight_decay": 0.05}, 505))
    c.append(case("timm-decoupled-decay-f32", "rmsprop", "timm", "float32", {"lr": 0.01, "alpha": 0.9, "eps": 1e-3, "weight_decay": 0.05, "decoupled_decay": True}, 506))
    c.append(case("timm-schedule-momentum-f32", "rmsprop", "timm", "float32", {"lr": 0.02, "alpha": 0.9, "eps": 1e-3, "momentum": 0.5}, 507, lrs=schedule(0.02, 25, "halve")))
    return c


def plan_dl4j():
    c = []
    for dt, sfx in (("float32", "f32"), ("float64", "f64")):
        c.append(case(f"dl4j-default-{sfx}", "rmsprop", "dl4j", dt, {"learningRate": 0.1, "rmsDecay": 0.95, "epsilon": 1e-8}, 601))
        c.append(case(f"dl4j-exponential-{sfx}", "rmsprop", "dl4j", dt, {"learningRate": 0.05, "rmsDecay": 0.9, "epsilon": 1e-8}, 602,
                      lrs=[0.05 * 0.9 ** k for k in range(25)], extra={"_schedule": ["exponential", 0.05, 0.9]}))
    c.append(case("dl4j-step-f32", "rmsprop", "dl4j", "float32", {"learningRate": 0.05, "rmsDecay": 0.99, "epsilon": 1e-8}, 603,
                  lrs=[0.05 * 0.5 ** math.floor(k / 7) for k in range(25)], extra={"_schedule": ["step", 0.05, 0.5, 7.0]}))
    c.append(case("dl4j-inverse-f32", "rmsprop", "dl4j", "float32", {"learningRate": 0.05, "rmsDecay": 0.9, "epsilon": 1e-8}, 604,
                  lrs=[0.05 / (1 + 0.1 * k) ** 0.75 for k in range(25)], extra={"_schedule": ["inverse", 0.05, 0.1, 0.75]}))
    c.append(case("dl4j-eps-f32", "rmsprop", "dl4j", "float32", {"learningRate": 0.01, "rmsDecay": 0.9, "epsilon": 1e-3}, 605))
    c.append(case("dl4j-small-eps-f32", "rmsprop", "dl4j", "float32", {"learningRate": 0.01, "rmsDecay": 0.95, "epsilon": 1e-12}, 606))
    return c


def plan_tribuo():
    c = []
    c.append(case("tribuo-default-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.001, "rho": 0.9, "epsilon": 1e-8, "decay": 0.0}, 701))
    c.append(case("tribuo-decay-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.01, "rho": 0.9, "epsilon": 1e-8, "decay": 0.1}, 702))
    c.append(case("tribuo-rho95-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.01, "rho": 0.95, "epsilon": 1e-6, "decay": 0.0}, 703))
    c.append(case("tribuo-rho5-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.01, "rho": 0.5, "epsilon": 1e-8, "decay": 0.01}, 704))
    c.append(case("tribuo-rho7-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.01, "rho": 0.7, "epsilon": 1e-8, "decay": 0.0}, 705))
    c.append(case("tribuo-eps-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.003, "rho": 0.99, "epsilon": 1e-3, "decay": 0.0}, 706))
    # long enough for the shrinking multiplier to be folded into the elements (below 1e-6: rho^t)
    c.append(case("tribuo-long-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.01, "rho": 0.5, "epsilon": 1e-8, "decay": 0.0}, 707, steps=60))
    c.append(case("tribuo-defaults-f64", "rmsprop", "tribuo", "float64", {"initialLearningRate": 0.001}, 708))
    return c


PLANS = {"keras": plan_keras, "tf1": plan_tf1, "optax": plan_optax, "tfjs": plan_tfjs, "timm": plan_timm,
         "dl4j": plan_dl4j, "tribuo": plan_tribuo}


if __name__ == "__main__":
    fw, out = sys.argv[1], sys.argv[2]
    with open(out, "w") as f:
        json.dump(PLANS[fw](), f, allow_nan=False)
