"""Checks safetensors files written by `rmsprop4j state export` with Python's safetensors 0.8.0 (not run by the build).

    java -jar cli/target/rmsprop4j.jar train -d iris --epochs 2 --no-progress --checkpoint-dir ck
    java -jar cli/target/rmsprop4j.jar state export ck --out ck32.safetensors
    java -jar cli/target/rmsprop4j.jar state export ck --out ck64.safetensors --dtype float64
    python check_python.py            # reads both, checks dtypes and that widening is exact,
                                      # then writes from_python.safetensors (values doubled, the same step count)
    java -jar cli/target/rmsprop4j.jar state import from_python.safetensors --like ck --out ck2.bin
"""
import json, numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file
for f, dt in (("ck32.safetensors", np.float32), ("ck64.safetensors", np.float64)):
    t = load_file(f)
    with safe_open(f, framework="np") as h:
        meta = h.metadata()
    assert all(v.dtype == dt for v in t.values()), {k: v.dtype for k, v in t.items()}
    print(f, {k: (v.dtype.name, v.shape) for k, v in t.items()}, "step", meta["step"], "params", json.loads(meta["params"]))
a, b = load_file("ck32.safetensors"), load_file("ck64.safetensors")
assert all(np.array_equal(a[k].astype(np.float64), b[k]) for k in a), "widening not exact"
print("float32 and float64 exports agree exactly")
# another tool's file: same names, values doubled, its own order, the step count as one 'step' entry
t = {k: (v * 2).astype(np.float32) for k, v in a.items()}
with safe_open("ck32.safetensors", framework="np") as h:
    step = h.metadata()["step"]          # a checkpoint's optimizer steps must match its position
save_file(t, "from_python.safetensors", metadata={"step": step})
np.save("doubled_w1.npy", t["w1"])
