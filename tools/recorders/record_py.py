"""Records Keras 3, TensorFlow 1-style RMSProp, Optax and timm's RMSpropTF as conformance cases.

    VENV/bin/python tools/recorders/record_py.py FRAMEWORK OUT_DIR

FRAMEWORK is one of
  keras      Keras 3 keras.optimizers.RMSprop, TensorFlow backend, eager apply_gradients
  keras-graph the same cases with apply_gradients in tf.function (what model.fit runs on CPU)
  keras-jax-jit the float32 cases on the JAX backend, stateless_apply under jax.jit (model.fit)
  keras-jax  the same cases with KERAS_BACKEND=jax (written under their own names only to compare)
  tf1        tf.compat.v1.train.RMSPropOptimizer (eager apply_gradients on resource variables)
  optax      optax.rmsprop, update + apply_updates under jax.jit, the float32 cases (x64 off)
  optax-x64  the float64 cases, with jax_enable_x64
  timm       timm.optim.RMSpropTF on PyTorch 2.13 CPU
The inputs come from plan.py. Every learning rate is given as a Python float (a step's `lr` is set
on the optimizer before the step), as users write it.
"""
import importlib
import importlib.util
import os
import sys
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plan  # noqa: E402


def arrays(c, key="value"):
    dt = np.float32 if c["dtype"] == "float32" else np.float64
    return [np.array(p[key], dtype=np.float64).astype(dt).reshape(p["shape"]) for p in c["params"]]


def grads_of(c, st):
    dt = np.float32 if c["dtype"] == "float32" else np.float64
    return [np.array(st["grads"][p["name"]], dtype=np.float64).astype(dt).reshape(p["shape"]) for p in c["params"]]


def names(c):
    return [p["name"] for p in c["params"]]


# ------------------------------------------------------------------ Keras 3
def record_keras(cases, backend, graph=False):
    """graph=True: apply_gradients inside tf.function, as model.fit runs the train step on a
    CPU-only machine (Keras 3 turns XLA off there: jit_compile "auto" resolves to False)."""
    os.environ["KERAS_BACKEND"] = backend
    import keras
    out = []
    for c in cases:
        vs = [keras.Variable(a, dtype=c["dtype"]) for a in arrays(c)]
        h = dict(c["hyper"])
        opt = keras.optimizers.RMSprop(**h)
        opt.build(vs)
        apply = lambda gs: opt.apply_gradients(zip(gs, vs))  # noqa: E731
        if graph:
            import tensorflow as tf
            apply = tf.function(apply, jit_compile=False)
        expects = []
        for st in c["steps"]:
            if "lr" in st:
                opt.learning_rate = st["lr"]
            gs = [keras.ops.convert_to_tensor(g, dtype=c["dtype"]) for g in grads_of(c, st)]
            apply(gs)
            expects.append({n: np.array(keras.ops.convert_to_numpy(v.value)) for n, v in zip(names(c), vs)})
        final = {}
        for i, n in enumerate(names(c)):
            slots = {"velocity": keras.ops.convert_to_numpy(opt._velocities[i].value)}
            if opt.momentum > 0:
                slots["momentum"] = keras.ops.convert_to_numpy(opt._momentums[i].value)
            if opt.centered:
                slots["average_gradient"] = keras.ops.convert_to_numpy(opt._average_gradients[i].value)
            final[n] = slots
        extra = ""
        if backend == "tensorflow":
            import tensorflow as tf
            extra = f", TensorFlow {tf.__version__}"
        else:
            import jax
            extra = f", JAX {jax.__version__}"
        how = "optimizer.apply_gradients inside tf.function (graph mode, as model.fit on CPU)" if graph else "eager optimizer.apply_gradients"
        src = f"keras {keras.__version__} keras.optimizers.RMSprop, backend {backend}{extra}, CPU, {how}"
        r = plan.finish(c, src, expects, final)
        if backend != "tensorflow":
            r["name"] = r["name"] + "-" + backend
        if graph:
            r["name"] = r["name"].replace("keras-", "keras-graph-", 1)
        out.append(r)
    return out


def record_keras_jax_jit(cases):
    """Keras 3 on the JAX backend as model.fit runs the optimizer: stateless_apply under jax.jit
    (float32 cases only: float64 needs jax_enable_x64, which Keras users on JAX rarely set)."""
    os.environ["KERAS_BACKEND"] = "jax"
    import jax
    import keras
    out = []
    for c in cases:
        if c["dtype"] != "float32":
            continue
        vs = [keras.Variable(a, dtype=c["dtype"]) for a in arrays(c)]
        opt = keras.optimizers.RMSprop(**c["hyper"])
        opt.build(vs)
        lr_index = [i for i, v in enumerate(opt.variables) if v.path.endswith("learning_rate")]
        step = jax.jit(opt.stateless_apply)
        ov = [v.value for v in opt.variables]
        tv = [v.value for v in vs]
        expects = []
        for st in c["steps"]:
            if "lr" in st:
                ov[lr_index[0]] = jax.numpy.asarray(st["lr"], dtype=ov[lr_index[0]].dtype)
            gs = [jax.numpy.asarray(g) for g in grads_of(c, st)]
            tv, ov = step(ov, gs, tv)
            expects.append({n: np.asarray(v) for n, v in zip(names(c), tv)})
        for v, val in zip(opt.variables, ov):
            v.assign(val)
        final = {}
        for i, n in enumerate(names(c)):
            slots = {"velocity": np.asarray(opt._velocities[i].value)}
            if opt.momentum > 0:
                slots["momentum"] = np.asarray(opt._momentums[i].value)
            if opt.centered:
                slots["average_gradient"] = np.asarray(opt._average_gradients[i].value)
            final[n] = slots
        src = (f"keras {keras.__version__} keras.optimizers.RMSprop, backend jax, JAX {jax.__version__}, CPU, "
               "optimizer.stateless_apply under jax.jit (as model.fit runs it)")
        r = plan.finish(c, src, expects, final)
        r["name"] = r["name"].replace("keras-", "keras-jaxjit-", 1)
        out.append(r)
    return out


# ------------------------------------------------------------------ TF1 RMSPropOptimizer
def record_tf1(cases):
    import tensorflow as tf
    out = []
    for c in cases:
        vs = [tf.Variable(a) for a in arrays(c)]
        h = dict(c["hyper"])
        lr = {"v": h.pop("learning_rate")}
        opt = tf.compat.v1.train.RMSPropOptimizer(learning_rate=lambda: lr["v"], **h)
        expects = []
        for st in c["steps"]:
            if "lr" in st:
                lr["v"] = st["lr"]
            gs = [tf.constant(g) for g in grads_of(c, st)]
            opt.apply_gradients(list(zip(gs, vs)))
            expects.append({n: v.numpy() for n, v in zip(names(c), vs)})
        final = {}
        for v, n in zip(vs, names(c)):
            slots = {"rms": opt.get_slot(v, "rms").numpy(), "momentum": opt.get_slot(v, "momentum").numpy()}
            if h.get("centered"):
                slots["mg"] = opt.get_slot(v, "mg").numpy()
            final[n] = slots
        src = (f"tensorflow {tf.__version__} tf.compat.v1.train.RMSPropOptimizer (ApplyRMSProp / ApplyCenteredRMSProp kernels), "
               "CPU, eager apply_gradients, learning_rate a Python float")
        out.append(plan.finish(c, src, expects, final))
    return out


# ------------------------------------------------------------------ Optax
def record_optax(cases, x64):
    import jax
    jax.config.update("jax_enable_x64", x64)
    import jax.numpy as jnp
    import optax
    out = []
    for c in cases:
        dt = jnp.float32 if c["dtype"] == "float32" else jnp.float64
        h = dict(c["hyper"])
        lrs = [st["lr"] for st in c["steps"]] if "lr" in c["steps"][0] else None
        if lrs is not None:
            table = jnp.asarray(np.array(lrs), dtype=dt)
            h["learning_rate"] = lambda count: table[count]
        opt = optax.rmsprop(**h)
        params = {n: jnp.asarray(a, dtype=dt) for n, a in zip(names(c), arrays(c))}
        state = opt.init(params)

        @jax.jit
        def step(params, state, grads):
            updates, state = opt.update(grads, state, params)
            return optax.apply_updates(params, updates), state

        expects = []
        for st in c["steps"]:
            gs = {n: jnp.asarray(g, dtype=dt) for n, g in zip(names(c), grads_of(c, st))}
            params, state = step(params, state, gs)
            expects.append({n: np.asarray(params[n]) for n in names(c)})
        final = {n: {} for n in names(c)}
        for part in state:
            for slot in ("nu", "mu", "trace"):
                if hasattr(part, slot) and isinstance(getattr(part, slot), dict):
                    for n in names(c):
                        final[n][slot] = np.asarray(getattr(part, slot)[n])
        src = (f"optax {optax.__version__} optax.rmsprop, JAX {jax.__version__} (jaxlib CPU), update + apply_updates under jax.jit"
               + (", jax_enable_x64" if c["dtype"] == "float64" else "")
               + (", learning_rate a schedule returning the step's lr" if lrs is not None else ""))
        out.append(plan.finish(c, src, expects, final))
    return out


# ------------------------------------------------------------------ timm RMSpropTF
def load_timm_rmsprop_tf():
    """timm.optim.rmsprop_tf without running timm/__init__ (which needs torchvision)."""
    spec = importlib.util.find_spec("timm")
    root = os.path.dirname(spec.origin)
    for name, path in (("timm", root), ("timm.optim", os.path.join(root, "optim"))):
        m = types.ModuleType(name)
        m.__path__ = [path]
        sys.modules[name] = m
    mod = importlib.import_module("timm.optim.rmsprop_tf")
    version = "?"
    with open(os.path.join(root, "version.py")) as f:
        for line in f:
            if line.startswith("__version__"):
                version = line.split("=")[1].strip().strip("'\"")
    return mod.RMSpropTF, version


def record_timm(cases):
    import torch
    RMSpropTF, version = load_timm_rmsprop_tf()
    out = []
    for c in cases:
        tdt = torch.float32 if c["dtype"] == "float32" else torch.float64
        ps = [torch.tensor(a, dtype=tdt) for a in arrays(c)]
        opt = RMSpropTF(ps, **c["hyper"])
        expects = []
        for st in c["steps"]:
            if "lr" in st:
                for g in opt.param_groups:
                    g["lr"] = st["lr"]
            for p, g in zip(ps, grads_of(c, st)):
                p.grad = torch.tensor(g, dtype=tdt)
            opt.step()
            expects.append({n: p.detach().numpy().copy() for n, p in zip(names(c), ps)})
        final = {}
        for n, p in zip(names(c), ps):
            s = opt.state[p]
            final[n] = {k: s[k].numpy().copy() for k in ("square_avg", "momentum_buffer", "grad_avg") if k in s}
        src = f"timm {version} timm.optim.RMSpropTF, torch {torch.__version__} CPU"
        out.append(plan.finish(c, src, expects, final))
    return out


def main(fw, outdir):
    if fw == "keras":
        res = record_keras(plan.plan_keras(), "tensorflow")
    elif fw == "keras-graph":
        res = record_keras(plan.plan_keras(), "tensorflow", graph=True)
    elif fw == "keras-jax-jit":
        res = record_keras_jax_jit(plan.plan_keras())
    elif fw == "keras-jax":
        res = record_keras(plan.plan_keras(), "jax")
    elif fw == "tf1":
        res = record_tf1(plan.plan_tf1())
    elif fw == "optax":  # float32 cases as most users run them: without jax_enable_x64
        res = record_optax([c for c in plan.plan_optax() if c["dtype"] == "float32"], False)
    elif fw == "optax-x64":
        res = record_optax([c for c in plan.plan_optax() if c["dtype"] == "float64"], True)
    elif fw == "timm":
        res = record_timm(plan.plan_timm())
    else:
        raise SystemExit("unknown framework " + fw)
    for r in res:
        print(plan.write(r, outdir))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
