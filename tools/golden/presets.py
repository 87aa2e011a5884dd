#!/usr/bin/env python3
"""Independent conformance cases for every RMSprop flavour of rmsprop4j.

Each flavour's update rule is written out below from the equations in
docs/presets.md -- straightforwardly, one element-wise step function per
flavour, with no rmsprop4j code involved -- and replayed over a fixed,
seeded stream of gradients.  The parameters after every step (and the final
optimizer state) are written as conformance cases in the format of
shared/golden/FORMAT.md ("rmsprop4j-conformance/1").

float32 cases do every operation in numpy float32, in the order the
framework's own kernel evaluates it (as far as that order can be read from
its source); constants are narrowed to float32 the way the framework does it
(see "How (1 - decay) is formed" in docs/presets.md).  Python floats are
IEEE doubles, and float(x) of a float32 is exact, so every number written is
the exact value computed.

Usage:  python3 tools/golden/presets.py [OUTPUT_DIR]
Needs:  Python 3.8+, numpy (tested with numpy 2.x).  Deterministic.
"""

import hashlib
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "..", "testkit", "src", "test", "resources",
                           "golden", "independent")
F32, F64 = np.float32, np.float64
DTYPE_NAMES = {F32: "float32", F64: "float64"}
SUFFIX = {F32: "f32", F64: "f64"}


# ---------------------------------------------------------------------------
# Flavours.  Each has: DEFAULTS (its own argument names and defaults; a value
# marked "required" in docs/presets.md is the preset's choice), an init
# function (state per tensor) and a step function (one tensor, one step).
# `lr` is the learning rate for this step (a Python float), `dt` the dtype.
# Every step function returns the new parameter tensor and mutates `s`.
# ---------------------------------------------------------------------------

def zeros(p):
    return np.zeros_like(p)


# --- Keras 3 keras.optimizers.RMSprop (+ base optimizer weight decay) -------
KERAS = dict(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
             centered=False, weight_decay=None)


def keras_init(p, h):
    s = {"velocity": zeros(p)}
    if h["momentum"] > 0:
        s["momentum"] = zeros(p)
    if h["centered"]:
        s["average_gradient"] = zeros(p)
    return s


def keras_step(p, g, s, h, lr, dt):
    lr = dt(lr)
    if h["weight_decay"] is not None:            # decoupled, before the step
        p = p - p * dt(h["weight_decay"]) * lr
    rho, one_minus_rho = dt(h["rho"]), dt(1 - h["rho"])  # 1-rho in double
    eps = dt(h["epsilon"])
    s["velocity"] = rho * s["velocity"] + one_minus_rho * (g * g)
    if h["centered"]:
        s["average_gradient"] = rho * s["average_gradient"] + one_minus_rho * g
        a = s["average_gradient"]
        denominator = s["velocity"] - a * a + eps
    else:
        denominator = s["velocity"] + eps
    increment = (lr * g) / np.sqrt(denominator)
    if h["momentum"] > 0:
        s["momentum"] = dt(h["momentum"]) * s["momentum"] + increment
        return p - s["momentum"]
    return p - increment


# --- TF1 tf.compat.v1.train.RMSPropOptimizer / ApplyRMSProp kernels ---------
TF1 = dict(learning_rate=0.001, decay=0.9, momentum=0.0, epsilon=1e-10,
           centered=False)


def tf1_init(p, h):
    s = {"rms": np.ones_like(p), "momentum": zeros(p)}   # rms starts at 1.0
    if h["centered"]:
        s["mg"] = zeros(p)
    return s


def tf1_step(p, g, s, h, lr, dt):
    lr, rho = dt(lr), dt(h["decay"])
    one_minus_rho = dt(1) - rho                  # subtraction in float32
    eps, momentum = dt(h["epsilon"]), dt(h["momentum"])
    s["rms"] = s["rms"] + (g * g - s["rms"]) * one_minus_rho
    if h["centered"]:
        s["mg"] = s["mg"] + (g - s["mg"]) * one_minus_rho
        denom = (s["rms"] - s["mg"] * s["mg"]) + eps
    else:
        denom = s["rms"] + eps
    s["momentum"] = s["momentum"] * momentum + (g * lr) / np.sqrt(denom)
    return p - s["momentum"]


# --- Optax optax.rmsprop = scale_by_rms|scale_by_stddev, scale_by_lr, trace -
OPTAX = dict(learning_rate=0.01, decay=0.9, eps=1e-8, initial_scale=0.0,
             eps_in_sqrt=True, centered=False, momentum=None, nesterov=False,
             bias_correction=False)


def optax_init(p, h):
    s = {"nu": np.full_like(p, h["initial_scale"])}
    if h["centered"]:
        s["mu"] = zeros(p)
    if h["momentum"] is not None:
        s["trace"] = zeros(p)
    s["count"] = 0                               # only read with bias_correction
    return s


def optax_step(p, g, s, h, lr, dt):
    decay, one_minus = dt(h["decay"]), dt(1 - h["decay"])
    eps = dt(h["eps"])
    s["nu"] = one_minus * (g * g) + decay * s["nu"]
    if h["centered"]:
        s["mu"] = one_minus * g + decay * s["mu"]
    nu, mu = s["nu"], s.get("mu")
    if h["bias_correction"]:
        s["count"] += 1                          # t counted from 1
        power = dt(F64(dt(h["decay"])) ** s["count"])   # correctly rounded
        bc = dt(1) - power
        nu = nu / bc
        if h["centered"]:
            mu = mu / bc
    var = nu - mu * mu if h["centered"] else nu
    if h["eps_in_sqrt"]:
        scaling = dt(1) / np.sqrt(var + eps)     # rsqrt(v + eps)
    else:
        scaling = dt(1) / (np.sqrt(var) + eps)
    u = scaling * g
    u = dt(-lr) * u                              # scale_by_learning_rate
    if h["momentum"] is not None:                # trace, after the lr
        m = dt(h["momentum"])
        s["trace"] = u + m * s["trace"]
        u = u + m * s["trace"] if h["nesterov"] else s["trace"]
    return p + u                                 # apply_updates


# --- DL4J / ND4J RmsProp + libnd4j updaterRmsProp ----------------------------
DL4J = dict(learningRate=0.1, rmsDecay=0.95, epsilon=1e-8)


def dl4j_init(p, h):
    return {"G": np.full_like(p, h["epsilon"])}  # state starts at epsilon


def dl4j_step(p, g, s, h, lr, dt):
    lr, decay, eps = dt(lr), dt(h["rmsDecay"]), dt(h["epsilon"])
    s["G"] = s["G"] * decay + g * g * (dt(1) - decay)
    update = (lr * g) / (np.sqrt(s["G"]) + eps)
    return p - update                            # params.subi(update)


# --- MXNet 1.9.1 mxnet.optimizer.RMSProp / rmsprop(alex)_update --------------
MXNET = dict(learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8,
             centered=False, wd=0.0, rescale_grad=1.0, clip_gradient=None,
             clip_weights=None)


def mxnet_init(p, h):
    if h["centered"]:
        return {"n": zeros(p), "g": zeros(p), "delta": zeros(p)}
    return {"n": zeros(p)}


def mxnet_step(p, g, s, h, lr, dt):
    lr, g1, eps = dt(lr), dt(h["gamma1"]), dt(h["epsilon"])
    one_minus_g1 = dt(1) - g1                    # 1.f - gamma1, in float32
    grad = dt(h["rescale_grad"]) * g + dt(h["wd"]) * p   # wd BEFORE the clip
    if h["clip_gradient"]:
        c = dt(h["clip_gradient"])
        grad = np.clip(grad, -c, c)
    if h["centered"]:
        s["n"] = one_minus_g1 * grad * grad + g1 * s["n"]
        s["g"] = one_minus_g1 * grad + g1 * s["g"]
        s["delta"] = dt(h["gamma2"]) * s["delta"] - \
            (lr * grad) / np.sqrt(s["n"] - s["g"] * s["g"] + eps)
        p = p + s["delta"]
    else:
        s["n"] = one_minus_g1 * (grad * grad) + g1 * s["n"]
        p = p - lr * (grad / np.sqrt(s["n"] + eps))
    if h["clip_weights"]:
        c = dt(h["clip_weights"])
        p = np.clip(p, -c, c)
    return p


# --- Tribuo org.tribuo.math.optimisers.RMSProp (double precision) -----------
TRIBUO = dict(initialLearningRate=0.001, rho=0.9, epsilon=1e-8, decay=0.0)
TRIBUO_TOLERANCE = 1e-6                          # ShrinkingTensor.tolerance


def tribuo_lr(h, t):
    return h["initialLearningRate"] / (1 + h["decay"] * t)   # t from 0


def tribuo_init(p, h):
    return {"elements": zeros(p), "multiplier": 1.0}


def tribuo_step(p, g, s, h, lr, dt):
    inv_rho = 1.0 - h["rho"]
    shrinkage = 1.0 - inv_rho
    if dt is F32:
        # Tribuo has no float32; this pins the same equations in float32
        # with the state kept materialised (no lazy multiplier).
        v = s["elements"]
        v[...] = dt(shrinkage) * v + (dt(inv_rho) * g) * g
        scale = dt(1.0 * lr) / (dt(h["epsilon"]) + np.sqrt(v))
        return p - g * scale
    # Exact emulation in double of ShrinkingVector/ShrinkingMatrix: the
    # tensor is stored as elements * multiplier.
    s["multiplier"] *= shrinkage
    if abs(s["multiplier"]) < TRIBUO_TOLERANCE:
        s["elements"] *= s["multiplier"]
        s["multiplier"] = 1.0
    e, m = s["elements"].reshape(-1), s["multiplier"]
    gf, out = g.reshape(-1), p.copy().reshape(-1)
    for i in range(e.size):
        update = inv_rho * float(gf[i]) * float(gf[i])
        e[i] = (float(e[i]) * m + update) / m
    for i in range(e.size):
        scale = 1.0 * lr / (h["epsilon"] + math.sqrt(float(e[i]) * m))
        out[i] = float(out[i]) - float(gf[i]) * scale
    return out.reshape(p.shape)


def tribuo_state(s):
    return {"gradsSquared": s["elements"] * s["multiplier"]}


# --- Caffe RMSPropSolver (CPU path) -----------------------------------------
CAFFE = dict(base_lr=0.01, rms_decay=0.99, delta=1e-8, weight_decay=0.0)


def caffe_init(p, h):
    return {"history": zeros(p)}


def caffe_step(p, g, s, h, lr, dt):
    rms_decay, delta = dt(h["rms_decay"]), dt(h["delta"])
    if h["weight_decay"]:
        g = dt(h["weight_decay"]) * p + g        # Regularize (L2), caffe_axpy
    sq = g * g                                   # caffe_powx(diff, 2)
    s["history"] = rms_decay * s["history"]      # caffe_cpu_axpby = scal ...
    s["history"] = (dt(1) - rms_decay) * sq + s["history"]   # ... then axpy
    u = np.sqrt(s["history"]) + delta            # powx(h, 0.5), add_scalar
    u = g / u                                    # caffe_div
    diff = dt(lr) * u                            # axpby(local_rate, u, 0, diff)
    return p - diff                              # Blob::Update


# --- Lasagne lasagne.updates.rmsprop (Theano, floatX=float32) ---------------
LASAGNE = dict(learning_rate=1.0, rho=0.9, epsilon=1e-6)


def lasagne_init(p, h):
    return {"accu": zeros(p)}


def lasagne_step(p, g, s, h, lr, dt):
    rho = dt(h["rho"])
    s["accu"] = rho * s["accu"] + (dt(1) - rho) * (g * g)
    return p - (dt(lr) * g) / np.sqrt(s["accu"] + dt(h["epsilon"]))


# --- Hinton, Coursera lecture 6e (eps and lr: the preset's choice) ----------
HINTON = dict(learning_rate=0.001, decay=0.9, eps=1e-8)


def hinton_init(p, h):
    return {"MeanSquare": zeros(p)}


def hinton_step(p, g, s, h, lr, dt):
    d, c = dt(h["decay"]), dt(1 - h["decay"])
    s["MeanSquare"] = d * s["MeanSquare"] + c * (g * g)
    return p - (dt(lr) * g) / (np.sqrt(s["MeanSquare"]) + dt(h["eps"]))


# --- Graves 2013 (arXiv:1308.0850): aleph, beth, gimel, daleth ---------------
GRAVES = dict(aleph=0.95, beth=0.9, gimel=1e-4, daleth=1e-4)


def graves_init(p, h):
    return {"n": zeros(p), "g": zeros(p), "delta": zeros(p)}


def graves_step(p, g, s, h, lr, dt):
    a, c = dt(h["aleph"]), dt(1 - h["aleph"])
    s["n"] = a * s["n"] + c * (g * g)
    s["g"] = a * s["g"] + c * g
    denom = np.sqrt((s["n"] - s["g"] * s["g"]) + dt(h["daleth"]))
    s["delta"] = dt(h["beth"]) * s["delta"] - (dt(lr) * g) / denom
    return p + s["delta"]


# --- DQN (Mnih et al. 2015; deepmind dqn/NeuralQLearner.lua) ----------------
DQN = dict(learning_rate=0.00025, gradient_momentum=0.95,
           squared_gradient_momentum=0.95, min_squared_gradient=0.01)


def dqn_init(p, h):
    return {"g": zeros(p), "g2": zeros(p)}


def dqn_step(p, g, s, h, lr, dt):
    d1, c1 = dt(h["gradient_momentum"]), dt(1 - h["gradient_momentum"])
    d2, c2 = dt(h["squared_gradient_momentum"]), dt(1 - h["squared_gradient_momentum"])
    s["g"] = s["g"] * d1 + c1 * g
    s["g2"] = s["g2"] * d2 + c2 * (g * g)
    tmp = np.sqrt((s["g2"] - s["g"] * s["g"]) + dt(h["min_squared_gradient"]))
    return p - (dt(lr) * g) / tmp


# --- the seed article (full batch, eta 0.1, beta 0.9, eps 1e-9 inside) -------
SEED = dict(eta=0.1, beta=0.9, eps=1e-9)


def seed_init(p, h):
    return {"v": zeros(p)}


def seed_step(p, g, s, h, lr, dt):
    beta = dt(h["beta"])
    s["v"] = beta * s["v"] + dt(1 - h["beta"]) * (g * g)
    return p - (dt(lr) / np.sqrt(s["v"] + dt(h["eps"]))) * g


FLAVORS = {
    # name: (defaults, lr hyper name, init, step, description for "source")
    "keras": (KERAS, "learning_rate", keras_init, keras_step, "Keras 3 RMSprop"),
    "tf1": (TF1, "learning_rate", tf1_init, tf1_step, "TF1 RMSPropOptimizer/ApplyRMSProp"),
    "optax": (OPTAX, "learning_rate", optax_init, optax_step, "optax.rmsprop"),
    "dl4j": (DL4J, "learningRate", dl4j_init, dl4j_step, "ND4J RmsProp/updaterRmsProp"),
    "mxnet": (MXNET, "learning_rate", mxnet_init, mxnet_step, "MXNet 1.9.1 RMSProp"),
    "tribuo": (TRIBUO, "initialLearningRate", tribuo_init, tribuo_step, "Tribuo RMSProp"),
    "caffe": (CAFFE, "base_lr", caffe_init, caffe_step, "Caffe RMSPropSolver"),
    "lasagne": (LASAGNE, "learning_rate", lasagne_init, lasagne_step, "lasagne.updates.rmsprop"),
    "hinton": (HINTON, "learning_rate", hinton_init, hinton_step, "Hinton lecture 6e RMSprop"),
    "graves": (GRAVES, "gimel", graves_init, graves_step, "Graves 2013 (arXiv:1308.0850) RMSprop"),
    "dqn": (DQN, "learning_rate", dqn_init, dqn_step, "DQN (Nature 2015, NeuralQLearner.lua) RMSprop"),
    "seed": (SEED, "eta", seed_init, seed_step, "seed article RMSprop"),
}
STATE_VIEW = {"tribuo": tribuo_state}
LR_FOR_STEP = {"tribuo": tribuo_lr}


# ---------------------------------------------------------------------------
# Gradient streams and the driver
# ---------------------------------------------------------------------------

def rng_for(name):
    return np.random.default_rng(int(hashlib.sha256(name.encode()).hexdigest()[:12], 16))


def grad_scale(t):
    """Most steps N(0,1); a burst of large ones, a few tiny ones, one spike."""
    if 10 <= t < 15:
        return 5.0
    if 25 <= t < 28:
        return 1e-3
    if t == 33:
        return 20.0
    return 1.0


def random_stream(name, dt, steps, with_zeros=True):
    rng = rng_for(name)
    params = {"w": rng.standard_normal((3, 4)).astype(dt),
              "b": rng.standard_normal(5).astype(dt)}
    grads = []
    for t in range(steps):
        k = grad_scale(t)
        step = {"w": (k * rng.standard_normal((3, 4))).astype(dt),
                "b": (k * rng.standard_normal(5)).astype(dt)}
        if with_zeros and t == 0:
            step["w"][0, 0] = 0        # a zero gradient while the state is empty
        if with_zeros and t < 3:
            step["b"][2] = 0
        grads.append(step)
    return params, grads


def halving_schedule(lr0, steps):
    return [lr0 * 0.5 ** (t // 10) for t in range(steps)]


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def flat(a):
    return [num(x) for x in np.asarray(a).reshape(-1)]


def replay(flavor, hyper, params, grads, dt, lrs=None):
    """Runs a flavour over a gradient stream; returns per-step params and state."""
    _, lr_name, init, step, _ = FLAVORS[flavor]
    p = {k: v.copy() for k, v in params.items()}
    state = {k: init(v, hyper) for k, v in p.items()}
    lr_of = LR_FOR_STEP.get(flavor, lambda h, t: h[lr_name])
    history = []
    for t, gs in enumerate(grads):
        lr = lrs[t] if lrs is not None else lr_of(hyper, t)
        for k in p:
            p[k] = np.asarray(step(p[k], gs[k], state[k], hyper, lr, dt))
            assert p[k].dtype == dt, (flavor, k, p[k].dtype)
        history.append({k: v.copy() for k, v in p.items()})
    return history, state


def final_state(flavor, state):
    view = STATE_VIEW.get(flavor)
    out = {}
    for k, s in state.items():
        s = view(s) if view else s
        out[k] = {slot: flat(v) for slot, v in s.items()
                  if isinstance(v, (np.ndarray, np.generic))}
    return out


def write_case(out_dir, flavor, variant, dt, overrides=None, steps=40,
               schedule=None, stream=None, grad_scale=None):
    defaults, lr_name, _, _, desc = FLAVORS[flavor]
    hyper = dict(defaults)
    hyper.update(overrides or {})
    name = "%s-%s-%s" % (flavor, variant, SUFFIX[dt])
    lrs = halving_schedule(hyper[lr_name], steps) if schedule else None
    if stream is None:
        params, grads = random_stream(name, dt, steps)
        if grad_scale is not None:
            # tiny gradients: the mean square is then comparable to eps, which pins where eps goes
            grads = [{k: (v * dt(grad_scale)).astype(dt) for k, v in g.items()} for g in grads]
        losses = None
    else:
        params, grads, losses = stream
    history, state = replay(flavor, hyper, params, grads, dt, lrs)
    case_steps = []
    for t, (gs, ps) in enumerate(zip(grads, history)):
        st = {}
        if lrs is not None:
            st["lr"] = lrs[t]
        if losses is not None:
            st["loss_before"] = num(losses[t])
        st["grads"] = {k: flat(v) for k, v in gs.items()}
        st["expect"] = {k: flat(v) for k, v in ps.items()}
        for v in st["expect"].values():
            assert all(not isinstance(x, str) for x in v), name + ": non-finite value"
        case_steps.append(st)
    case = {
        "format": "rmsprop4j-conformance/1",
        "name": name,
        "source": "tools/golden/presets.py (numpy %s), independent implementation of "
                  "%s equations from docs/presets.md" % (np.__version__, desc),
        "optimizer": "rmsprop",
        "flavor": flavor,
        "dtype": DTYPE_NAMES[dt],
        "hyper": hyper,
        "params": [{"name": k, "shape": list(v.shape), "value": flat(v)}
                   for k, v in params.items()],
        "steps": case_steps,
        "final_state": final_state(flavor, state),
    }
    path = os.path.join(out_dir, name + ".json")
    with open(path, "w") as f:
        f.write(json.dumps(case, separators=(",", ":"), allow_nan=False))
        f.write("\n")
    return name


# --- the seed article's own problem: one sigmoid neuron, full batch ---------

def seed_neuron_stream(hyper, epochs=200):
    """The gradients come from the objective, evaluated at the parameters that
    the seed rule itself produces (so the case replays exactly)."""
    xs, ys = [0.5, 2.5], [0.2, 0.9]
    params = {"w": np.array(-2.0), "b": np.array(-2.0)}
    p = {k: v.copy() for k, v in params.items()}
    state = {k: seed_init(v, hyper) for k, v in p.items()}
    grads, losses = [], []
    for _ in range(epochs):
        w, b = float(p["w"]), float(p["b"])
        dw = db = loss = 0.0
        for x, y in zip(xs, ys):
            fx = 1.0 / (1.0 + math.exp(-(w * x + b)))
            dw += (fx - y) * fx * (1 - fx) * x
            db += (fx - y) * fx * (1 - fx)
            loss += 0.5 * (fx - y) ** 2
        g = {"w": np.array(dw), "b": np.array(db)}
        grads.append(g)
        losses.append(loss)
        for k in p:
            p[k] = np.asarray(seed_step(p[k], g[k], state[k], hyper, hyper["eta"], F64))
    return params, grads, losses


# ---------------------------------------------------------------------------
# Self-checks
# ---------------------------------------------------------------------------

def pytorch_rule_f64(params, grads, lr, alpha, eps, momentum=0.0):
    """PyTorch's rule (no centering, no weight decay), plain float64."""
    p = {k: v.copy() for k, v in params.items()}
    v = {k: zeros(x) for k, x in p.items()}
    buf = {k: zeros(x) for k, x in p.items()}
    out = []
    for t, gs in enumerate(grads):
        rate = lr[t] if isinstance(lr, list) else lr
        for k in p:
            g = gs[k]
            v[k] = alpha * v[k] + (1 - alpha) * (g * g)
            d = np.sqrt(v[k]) + eps
            if momentum:
                buf[k] = momentum * buf[k] + g / d
                p[k] = p[k] - rate * buf[k]
            else:
                p[k] = p[k] - rate * g / d
        out.append({k: x.copy() for k, x in p.items()})
    return out, v


def self_checks():
    params, grads = random_stream("self-check", F64, 40, with_zeros=False)
    # (b) optax with eps outside the root, zero initial scale and no momentum
    # is PyTorch's rule: same mean square bit for bit, and parameters equal up
    # to the order of the final multiply (optax multiplies by 1/(sqrt+eps) and
    # then by -lr; PyTorch divides lr*g by sqrt+eps).
    h = dict(OPTAX, learning_rate=0.01, decay=0.99, eps=1e-8, eps_in_sqrt=False,
             initial_scale=0.0, momentum=None)
    ours, state = replay("optax", h, params, grads, F64)
    ref, ref_v = pytorch_rule_f64(params, grads, 0.01, 0.99, 1e-8)
    for k in params:
        assert np.array_equal(state[k]["nu"], ref_v[k]), "mean square differs"
        for a, b in zip(ours, ref):
            assert np.allclose(a[k], b[k], rtol=1e-13, atol=1e-15), "optax != pytorch"
    # With the default eps_in_sqrt=True they do differ.
    ours_in, _ = replay("optax", dict(h, eps_in_sqrt=True), params, grads, F64)
    assert max(np.max(np.abs(a["w"] - b["w"])) for a, b in zip(ours_in, ref)) > 1e-9
    # TF1 with momentum 0 equals the same kernel without a buffer, bit for bit.
    p32, g32 = random_stream("self-check-tf1", F32, 40)
    hist, _ = replay("tf1", dict(TF1), p32, g32, F32)
    p = {k: v.copy() for k, v in p32.items()}
    rms = {k: np.ones_like(v) for k, v in p.items()}
    for t, gs in enumerate(g32):
        for k in p:
            g = gs[k]
            rms[k] = rms[k] + (g * g - rms[k]) * (F32(1) - F32(0.9))
            p[k] = p[k] - (g * F32(0.001)) / np.sqrt(rms[k] + F32(1e-10))
            assert np.array_equal(p[k], hist[t][k]), "tf1 momentum 0 differs"
    # Learning rate inside the buffer differs from PyTorch's (outside) as soon
    # as the learning rate changes: the schedule cases pin that difference.
    lrs = halving_schedule(0.01, 40)
    keras_like = dict(KERAS, learning_rate=0.01, momentum=0.9, rho=0.99, epsilon=0.0)
    same_const, _ = replay("keras", keras_like, params, grads, F64)
    const_out, _ = pytorch_rule_f64(params, grads, 0.01, 0.99, 0.0, momentum=0.9)
    for a, b in zip(same_const, const_out):        # constant lr: same maths
        assert np.allclose(a["w"], b["w"], rtol=1e-11, atol=1e-13)
    inside, _ = replay("keras", keras_like, params, grads, F64, lrs)
    outside, _ = pytorch_rule_f64(params, grads, lrs, 0.99, 0.0, momentum=0.9)
    assert np.max(np.abs(inside[-1]["w"] - outside[-1]["w"])) > 1e-4


# ---------------------------------------------------------------------------

CASES = [
    # flavour, variant, dtype, hyper overrides, extra keyword arguments
    ("keras", "default", F32, {}, {}),
    ("keras", "centered", F32, {"centered": True}, {}),
    ("keras", "momentum", F32, {"momentum": 0.9}, {}),
    ("keras", "centered-momentum", F32, {"centered": True, "momentum": 0.9}, {}),
    ("keras", "weight-decay", F32, {"learning_rate": 0.01, "weight_decay": 0.1}, {}),
    ("keras", "lr-schedule-momentum", F32, {"learning_rate": 0.01, "momentum": 0.9},
     {"schedule": True}),
    ("tf1", "default", F32, {}, {}),
    ("tf1", "centered", F32, {"centered": True}, {}),
    ("tf1", "momentum", F32, {"momentum": 0.9}, {}),
    ("tf1", "centered-momentum", F32, {"centered": True, "momentum": 0.9}, {}),
    ("tf1", "lr-schedule-momentum", F32, {"learning_rate": 0.01, "momentum": 0.9},
     {"schedule": True}),
    ("optax", "default", F32, {}, {}),
    ("optax", "eps-outside", F32, {"eps_in_sqrt": False}, {}),
    ("optax", "initial-scale", F32, {"initial_scale": 1.0}, {}),
    ("optax", "centered", F32, {"centered": True}, {}),
    ("optax", "momentum", F32, {"momentum": 0.9}, {}),
    ("optax", "nesterov", F32, {"momentum": 0.9, "nesterov": True}, {}),
    ("optax", "bias-correction", F32, {"bias_correction": True}, {}),
    # float64: at step 1 the bias-corrected variance is 0 in exact arithmetic, so in float32 the first
    # update is decided by rounding noise (comparable to eps) in any implementation; in float64 with eps 0.1 the
    # noise is ~1e-14 of eps, so the case pins the equations rather than the noise.
    ("optax", "bias-correction-centered", F64, {"bias_correction": True, "centered": True, "eps": 0.1}, {}),
    ("optax", "lr-schedule-momentum", F32, {"learning_rate": 0.01, "momentum": 0.9},
     {"schedule": True}),
    ("dl4j", "default", F32, {}, {}),
    ("dl4j", "custom", F32, {"learningRate": 0.01, "rmsDecay": 0.9, "epsilon": 1e-6}, {}),
    ("mxnet", "default", F32, {}, {}),
    ("mxnet", "centered", F32, {"centered": True}, {}),
    ("mxnet", "weight-decay", F32, {"wd": 0.1}, {}),
    ("mxnet", "clip", F32, {"rescale_grad": 0.5, "clip_gradient": 1.0, "wd": 0.01}, {}),
    ("mxnet", "centered-lr-schedule", F32, {"centered": True, "learning_rate": 0.01},
     {"schedule": True}),
    ("tribuo", "default", F64, {}, {}),
    ("tribuo", "default", F32, {}, {}),
    ("tribuo", "lr-decay", F64, {"decay": 0.1}, {}),
    ("tribuo", "long", F64, {"rho": 0.8}, {"steps": 150}),
    ("caffe", "default", F32, {}, {}),
    ("caffe", "weight-decay", F32, {"weight_decay": 0.01}, {}),
    ("lasagne", "default", F32, {}, {}),
    ("hinton", "default", F32, {}, {}),
    ("graves", "default", F32, {}, {}),
    ("graves", "lr-schedule", F32, {}, {"schedule": True}),
    ("dqn", "default", F32, {}, {}),
    ("seed", "default", F32, {}, {}),
    ("seed", "default", F64, {}, {}),
    # gradients of order 1e-4 (keras, eps 1e-7) and 3e-5 (seed, eps 1e-9): g^2 ~ eps, so eps placement shows
    ("keras", "small-gradients", F32, {}, {"grad_scale": 3e-4}),
    ("seed", "small-gradients", F64, {}, {"grad_scale": 3e-5}),
    ("optax", "small-gradients", F32, {}, {"grad_scale": 1e-4}),
]


def main(argv):
    out_dir = os.path.abspath(argv[1] if len(argv) > 1 else DEFAULT_OUT)
    os.makedirs(out_dir, exist_ok=True)
    self_checks()
    names = []
    for flavor, variant, dt, overrides, extra in CASES:
        names.append(write_case(out_dir, flavor, variant, dt, overrides, **extra))
    names.append(write_case(out_dir, "seed", "neuron", F64, {}, steps=200,
                            stream=seed_neuron_stream(SEED)))
    for n in names:
        print(os.path.join(out_dir, n + ".json"))
    print("%d cases written" % len(names))


if __name__ == "__main__":
    main(sys.argv)
