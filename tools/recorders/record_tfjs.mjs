// Records TensorFlow.js's RMSProp (npm @tensorflow/tfjs, pure-JS cpu backend, float32) as
// conformance cases.  Usage (see README.md):
//   python3 tools/recorders/plan.py tfjs /tmp/plan-tfjs.json
//   node tools/recorders/record_tfjs.mjs /tmp/plan-tfjs.json OUT_DIR
// Resolve @tensorflow/tfjs from NODE_PATH or a node_modules folder above the working directory.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'noop.js'));
const tf = require('@tensorflow/tfjs');
const version = require('@tensorflow/tfjs/package.json').version;

const [planFile, outDir] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
await tf.setBackend('cpu');
await tf.ready();

const num = (x) => (Number.isNaN(x) ? 'NaN' : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : x);
const nums = (t) => Array.from(t.dataSync(), num);
const tensorOf = (values, shape) => tf.tensor(values.map(Number), shape, 'float32');

fs.mkdirSync(outDir, { recursive: true });
let k = 0;
for (const c of plan) {
  const h = c.hyper;
  const opt = tf.train.rmsprop(h.learningRate, h.decay, h.momentum, h.epsilon, h.centered);
  const vars = c.params.map((p) => tf.variable(tensorOf(p.value, p.shape), true, `case${k}_${p.name}`, 'float32'));
  k++;
  const steps = [];
  for (const st of c.steps) {
    if (st.lr !== undefined) opt.learningRate = st.lr;
    const grads = {};
    c.params.forEach((p, i) => { grads[vars[i].name] = tensorOf(st.grads[p.name], p.shape); });
    opt.applyGradients(grads);
    Object.values(grads).forEach((g) => g.dispose());
    const expect = {};
    c.params.forEach((p, i) => { expect[p.name] = nums(vars[i]); });
    steps.push({ ...st, expect });
  }
  const finalState = {};
  c.params.forEach((p, i) => {
    const s = { rms: nums(opt.accumulatedMeanSquares[i].variable), momentum: nums(opt.accumulatedMoments[i].variable) };
    if (opt.centered) s.mg = nums(opt.accumulatedMeanGrads[i].variable);
    finalState[p.name] = s;
  });
  const out = {
    format: c.format, name: c.name,
    source: `@tensorflow/tfjs ${version} tf.train.rmsprop, backend ${tf.getBackend()} (pure JS), node ${process.version}, optimizer.applyGradients`,
    optimizer: c.optimizer, flavor: c.flavor, dtype: c.dtype, hyper: c.hyper, params: c.params, steps, final_state: finalState,
  };
  const file = path.join(outDir, `${c.name}.json`);
  fs.writeFileSync(file, JSON.stringify(out) + '\n');
  console.log(file);
  opt.dispose();
  vars.forEach((v) => v.dispose());
}
