// rmsprop4j playground: the page draws, the Java process computes (POST /api/race etc.).
// The whole state lives in the address (#surface=...&start=...&steps=...&opt=...&step=...&speed=...),
// so a link reproduces the race.
(function () {
  'use strict';

  // Okabe–Ito, in viz's Palette order, so the page and the figures give a run the same colour.
  const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];
  // Two log-scale lines coincide within this many decades (viz RaceMarks.LOG_TOLERANCE).
  const LOG_TOLERANCE = 2e-3;
  const NEURON = {
    surface: 'sigmoid-neuron', start: [-2, -2], steps: 300,
    opts: ['sgd:lr=1,label=gd', 'sgd:lr=1,momentum=0.9,label=momentum', 'sgd:lr=1,momentum=0.9,nesterov=true,label=nesterov',
      'adagrad:lr=0.1,eps=1e-8', 'rmsprop:preset=seed', 'rmsprop:preset=pytorch,lr=0.1,decay=0.9,label=rmsprop-pytorch', 'adam:lr=0.1']
  };
  const CHOICES = {
    eps_placement: ['inside', 'outside'], momentum_style: ['lr_inside', 'lr_outside'], weight_decay_style: ['l2', 'decoupled'],
    centered: ['true', 'false'], nesterov: ['true', 'false'], bias_correction: ['true', 'false'], maximize: ['true', 'false'],
    amsgrad: ['true', 'false']
  };

  const $ = (id) => document.getElementById(id);
  const pg = window.playground = { ready: false, races: 0, state: null, race: null, error: null };

  let surfaces = {};      // name -> surface
  let optInfo = null;     // /api/optimizers
  let maps = {};          // surface name -> {map, image canvas, contours}
  let state = defaultState();
  let race = null;        // last /api/race answer
  let step = 0;
  let playing = false;
  let raceSeq = 0;
  let lastFrameTime = 0, stepCarry = 0;
  let charts = [];
  let layout = null;      // map drawing geometry of the last draw
  let squaresMax = 0;

  function defaultState() {
    return { surface: 'rosenbrock', start: null, steps: 200, opts: ['rmsprop:preset=keras,lr=0.01', 'adam:lr=0.05'], step: null, speed: 50 };
  }

  // ---------- numbers

  function num(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    if (v === 0) return '0';
    const a = Math.abs(v);
    if (a >= 1e4 || a < 1e-3) {
      const s = v.toExponential(2);
      const [m, e] = s.split('e');
      return m.replace(/\.?0+$/, '') + 'e' + (e.startsWith('+') ? '+' + e.slice(1) : e);
    }
    const s = v.toFixed(a >= 100 ? 1 : a >= 1 ? 3 : 4);
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  }

  // ---------- URL state

  function stateToHash(s) {
    const p = [];
    p.push('surface=' + encodeURIComponent(s.surface));
    if (s.start) p.push('start=' + s.start.map((v) => +v.toPrecision(6)).join(','));
    p.push('steps=' + s.steps);
    for (const o of s.opts) p.push('opt=' + encodeURIComponent(o));
    if (s.step !== null && s.step !== undefined) p.push('step=' + s.step);
    p.push('speed=' + s.speed);
    return '#' + p.join('&');
  }

  function hashToState(h) {
    const s = defaultState();
    if (!h || h.length < 2) return s;
    const opts = [];
    for (const part of h.slice(1).split('&')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const k = part.slice(0, eq), v = decodeURIComponent(part.slice(eq + 1));
      if (k === 'surface') s.surface = v;
      else if (k === 'start') {
        const xy = v.split(',').map(Number);
        if (xy.length === 2 && xy.every(Number.isFinite)) s.start = xy;
      } else if (k === 'steps') s.steps = parseInt(v, 10) || s.steps;
      else if (k === 'opt') opts.push(v);
      else if (k === 'step') s.step = parseInt(v, 10);
      else if (k === 'speed') s.speed = Math.max(0, Math.min(100, parseInt(v, 10) || 50));
    }
    if (opts.length) s.opts = opts;
    if (Number.isNaN(s.step)) s.step = null;
    return s;
  }

  let hashTimer = 0;
  function saveHash() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(() => {
      state.step = step;
      const h = stateToHash(state);
      if (location.hash !== h) history.replaceState(null, '', h);
    }, playing ? 400 : 50);
  }

  // ---------- status

  function status(text, isError) {
    const el = $('status');
    el.textContent = text || '';
    el.className = isError ? 'error' : '';
    pg.error = isError ? text : null;
  }

  async function api(method, path, body) {
    const r = await fetch(path, {
      method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined
    });
    const type = r.headers.get('Content-Type') || '';
    if (!r.ok) {
      let msg = r.status + ' ' + r.statusText;
      if (type.startsWith('application/json')) msg = (await r.json()).error || msg;
      const e = new Error(msg);
      e.status = r.status;
      throw e;
    }
    return type.startsWith('application/json') ? r.json() : r.blob();
  }

  // ---------- loss map (shading + contours from GET /api/map, the figures' own grid)

  function hexToRgb(h) { const v = parseInt(h.slice(1), 16); return [(v >> 16) & 255, (v >> 8) & 255, v & 255]; }

  function rampColor(ramp, t) {
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    const s = t * (ramp.length - 1);
    const i = Math.min(Math.floor(s), ramp.length - 2), f = s - i;
    return [0, 1, 2].map((c) => Math.round(ramp[i][c] + f * (ramp[i + 1][c] - ramp[i][c])));
  }

  async function loadMap(name) {
    if (maps[name]) return maps[name];
    const m = await api('GET', 'api/map?surface=' + encodeURIComponent(name) + '&n=160');
    const n = m.n, ramp = m.ramp.map(hexToRgb);
    const img = document.createElement('canvas');
    img.width = n; img.height = n;
    const ctx = img.getContext('2d');
    const data = ctx.createImageData(n, n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const c = rampColor(ramp, (m.values[j * n + i] - m.lo) / (m.hi - m.lo));
        const o = ((n - 1 - j) * n + i) * 4; // row 0 is the bottom
        data.data[o] = c[0]; data.data[o + 1] = c[1]; data.data[o + 2] = c[2]; data.data[o + 3] = 255;
      }
    }
    ctx.putImageData(data, 0, 0);
    const contours = d3.contours().size([n, n]).thresholds(m.levels)(m.values);
    maps[name] = { m, img, contours, ramp };
    return maps[name];
  }

  // ---------- the race

  function request() {
    const s = surfaces[state.surface];
    return { surface: state.surface, start: state.start || (s ? s.start : undefined), steps: state.steps, optimizers: state.opts };
  }

  let raceTimer = 0;
  function scheduleRace(delay) {
    clearTimeout(raceTimer);
    raceTimer = setTimeout(runRace, delay || 0);
  }

  async function runRace() {
    const seq = ++raceSeq;
    pg.ready = false;
    status('computing…');
    try {
      const [r] = await Promise.all([api('POST', 'api/race', request()), loadMap(state.surface)]);
      if (seq !== raceSeq) return;
      race = r;
      pg.race = r;
      squaresMax = 0;
      for (const run of r.runs) {
        for (const a of [run.meanSquareX, run.meanSquareY]) if (a) for (const v of a) if (v > squaresMax) squaresMax = v;
      }
      const maxStep = r.steps;
      step = state.step === null || state.step === undefined ? maxStep : Math.max(0, Math.min(state.step, maxStep));
      $('scrub').max = maxStep;
      buildCharts();
      const stopped = r.runs.filter((x) => x.stop !== 'completed').map((x) => x.label + ': ' + x.stopMessage);
      status(stopped.length ? 'stopped early — ' + stopped.join('; ') : 'ready: ' + r.runs.length + ' optimizers × ' + r.steps + ' steps');
      render();
      saveHash();
      pg.races++;
      pg.ready = true;
    } catch (e) {
      if (seq !== raceSeq) return;
      race = null;
      pg.race = null;
      status(e.message, true);
      render();
      pg.ready = true;
    }
  }

  // ---------- drawing the map

  function mapGeometry(canvas, s) {
    const W = canvas.clientWidth || 600, H = canvas.clientHeight || 560;
    const left = 52, right = 78, top = 12, bottom = 44;
    const d = s.domain, aw = W - left - right, ah = H - top - bottom;
    const k = Math.min(aw / (d.xMax - d.xMin), ah / (d.yMax - d.yMin)); // equal scale on both axes
    const pw = k * (d.xMax - d.xMin), ph = k * (d.yMax - d.yMin);
    const x0 = left + (aw - pw) / 2, y0 = top + (ah - ph) / 2;
    return {
      W, H, x0, y0, pw, ph, d,
      px: (x) => x0 + (x - d.xMin) * k, py: (y) => y0 + ph - (y - d.yMin) * k,
      dx: (p) => d.xMin + (p - x0) / k, dy: (p) => d.yMin + (y0 + ph - p) / k
    };
  }

  function niceTicks(a, b, target) {
    const step0 = (b - a) / Math.max(1, target);
    const e = Math.pow(10, Math.floor(Math.log10(step0))), f = step0 / e;
    const st = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * e;
    const out = [];
    for (let v = Math.ceil(a / st - 1e-9) * st; v <= b + st * 1e-9; v += st) out.push(Math.abs(v) < st * 1e-9 ? 0 : v);
    return out;
  }

  function arrow(ctx, x1, y1, x2, y2, color, width, dashed) {
    const len = Math.hypot(x2 - x1, y2 - y1);
    if (!(len > 1)) return;
    ctx.save();
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = width;
    if (dashed) ctx.setLineDash([4, 3]);
    ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke();
    ctx.setLineDash([]);
    const a = Math.atan2(y2 - y1, x2 - x1), h = Math.min(9, len * 0.5);
    ctx.beginPath();
    ctx.moveTo(x2, y2);
    ctx.lineTo(x2 - h * Math.cos(a - 0.45), y2 - h * Math.sin(a - 0.45));
    ctx.lineTo(x2 - h * Math.cos(a + 0.45), y2 - h * Math.sin(a + 0.45));
    ctx.closePath(); ctx.fill();
    ctx.restore();
  }

  function drawMap() {
    const canvas = $('map');
    const s = surfaces[state.surface];
    const dpr = window.devicePixelRatio || 1;
    const W = canvas.clientWidth || 600, H = canvas.clientHeight || 560;
    if (canvas.width !== Math.round(W * dpr)) { canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr); }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    if (!s) return;
    const g = layout = mapGeometry(canvas, s);
    const mp = maps[state.surface];
    if (mp) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(mp.img, g.x0, g.y0, g.pw, g.ph);
      // contours: d3-contour's grid units (0..n, row 0 at yMin) to pixels
      const n = mp.m.n;
      ctx.save();
      ctx.beginPath(); ctx.rect(g.x0, g.y0, g.pw, g.ph); ctx.clip();
      ctx.strokeStyle = 'rgba(40,50,60,0.31)'; ctx.lineWidth = 0.9;
      for (const c of mp.contours) {
        ctx.beginPath();
        for (const poly of c.coordinates) for (const ring of poly) {
          ring.forEach(([gx, gy], i) => {
            const X = g.x0 + gx / n * g.pw, Y = g.y0 + g.ph - gy / n * g.ph;
            if (i === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
          });
        }
        ctx.stroke();
      }
      ctx.restore();
      drawKey(ctx, g, mp);
    }
    // minima
    for (const [mx, my] of s.minima) star(ctx, g.px(mx), g.py(my), 7);
    // axes
    ctx.strokeStyle = '#222'; ctx.lineWidth = 1.2;
    ctx.strokeRect(g.x0, g.y0, g.pw, g.ph);
    ctx.fillStyle = '#222'; ctx.font = '12px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const v of niceTicks(g.d.xMin, g.d.xMax, 6)) {
      const X = g.px(v);
      ctx.beginPath(); ctx.moveTo(X, g.y0 + g.ph); ctx.lineTo(X, g.y0 + g.ph + 4); ctx.stroke();
      ctx.fillText(num(v), X, g.y0 + g.ph + 6);
    }
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const v of niceTicks(g.d.yMin, g.d.yMax, 6)) {
      const Y = g.py(v);
      ctx.beginPath(); ctx.moveTo(g.x0 - 4, Y); ctx.lineTo(g.x0, Y); ctx.stroke();
      ctx.fillText(num(v), g.x0 - 6, Y);
    }
    ctx.font = '13px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'alphabetic';
    ctx.fillText(s.xLabel, g.x0 + g.pw / 2, g.y0 + g.ph + 36);
    ctx.save(); ctx.translate(g.x0 - 38, g.y0 + g.ph / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(s.yLabel, 0, 0); ctx.restore();

    const start = state.start || s.start;
    const current = race && race.surface === state.surface;
    if (current) drawPaths(ctx, g);
    // start marker (draggable), under the balls as in the figures
    ctx.fillStyle = '#fff'; ctx.strokeStyle = '#222'; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(g.px(start[0]), g.py(start[1]), 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    if (current) drawBalls(ctx, g);
  }

  function drawKey(ctx, g, mp) {
    const m = mp.m, x = g.x0 + g.pw + 14, w = 12, y0 = g.y0 + 18, h = Math.max(60, Math.min(g.ph - 30, 300));
    for (let p = 0; p < h; p++) {
      const c = rampColor(mp.ramp, 1 - p / h);
      ctx.fillStyle = 'rgb(' + c.join(',') + ')';
      ctx.fillRect(x, y0 + p, w, 1.5);
    }
    ctx.strokeStyle = '#222'; ctx.lineWidth = 1; ctx.strokeRect(x, y0, w, h);
    ctx.fillStyle = '#222'; ctx.font = '11px sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
    const s = surfaces[state.surface];
    ctx.fillText(s.minValue === 0 ? 'loss' : 'loss − min', x - 4, y0 - 10);
    const lo = Math.ceil(m.lo), hi = Math.floor(m.hi), every = Math.max(1, Math.ceil((hi - lo + 1) / 7));
    for (let e = lo; e <= hi; e++) {
      if (((e % every) + every) % every !== 0) continue;
      const Y = y0 + h * (1 - (e - m.lo) / (m.hi - m.lo));
      ctx.beginPath(); ctx.moveTo(x + w, Y); ctx.lineTo(x + w + 3, Y); ctx.stroke();
      ctx.fillText(e === 0 ? '1' : e === 1 ? '10' : '1e' + e, x + w + 5, Y);
    }
  }

  function star(ctx, x, y, r) {
    ctx.beginPath();
    for (let k = 0; k < 10; k++) {
      const a = -Math.PI / 2 + k * Math.PI / 5, rr = k % 2 === 0 ? r : r * 0.45;
      const px = x + rr * Math.cos(a), py = y + rr * Math.sin(a);
      if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    }
    ctx.closePath();
    ctx.strokeStyle = '#fff'; ctx.lineWidth = 2; ctx.stroke();
    ctx.fillStyle = '#222'; ctx.fill();
  }

  // The k-th of n duplicates of a line: one dash per period of (n + 1) dashes, at offset k dashes, so the
  // duplicates and the original take turns along the line (viz LineChart.duplicateDash).
  function duplicateDash(dash, k, n) {
    const period = dash * (n + 1);
    return [0.01, dash * k - 0.01, dash, Math.max(0, period - dash * k - dash)];
  }

  function duplicates(same) {
    const count = same.map(() => 0), index = same.map(() => 0);
    same.forEach((j, i) => { if (j !== null) index[i] = ++count[j]; });
    return same.map((j, i) => (j === null ? null : duplicateDash(7, index[i], count[j])));
  }

  function drawPaths(ctx, g) {
    const runs = race.runs;
    const dashes = duplicates(runs.map((r) => r.samePathAs));
    ctx.save();
    ctx.beginPath(); ctx.rect(g.x0, g.y0, g.pw, g.ph); ctx.clip();
    runs.forEach((run, i) => {
      const last = Math.min(step, run.x.length - 1);
      ctx.beginPath();
      for (let k = 0; k <= last; k++) {
        const X = g.px(run.x[k]), Y = g.py(run.y[k]);
        if (k === 0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      }
      ctx.lineJoin = 'round'; ctx.lineCap = 'round';
      ctx.strokeStyle = 'rgba(255,255,255,0.67)'; ctx.lineWidth = 4.2; ctx.stroke();
      ctx.strokeStyle = COLORS[i % COLORS.length]; ctx.lineWidth = 2.2;
      if (dashes[i]) ctx.setLineDash(dashes[i]); // drawn over the run it coincides with
      ctx.stroke();
      ctx.setLineDash([]);
    });
    ctx.restore();
  }

  function drawBalls(ctx, g) {
    const runs = race.runs;
    const showSq = $('showSquares').checked, showAr = $('showArrows').checked;
    runs.forEach((run, i) => {
      const color = COLORS[i % COLORS.length];
      const k = Math.min(step, run.x.length - 1);
      let X = g.px(run.x[k]), Y = g.py(run.y[k]);
      const inside = X >= g.x0 - 0.5 && X <= g.x0 + g.pw + 0.5 && Y >= g.y0 - 0.5 && Y <= g.y0 + g.ph + 0.5;
      if (!inside) {
        // outside the map: a triangle at the edge pointing where the run is
        const cx = Math.max(g.x0, Math.min(g.x0 + g.pw, X)), cy = Math.max(g.y0, Math.min(g.y0 + g.ph, Y));
        const a = Math.atan2(Y - cy || 1e-9, X - cx || 1e-9);
        ctx.fillStyle = color; ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(cx + 11 * Math.cos(a), cy + 11 * Math.sin(a));
        ctx.lineTo(cx + 9 * Math.cos(a + 2.4), cy + 9 * Math.sin(a + 2.4));
        ctx.lineTo(cx + 9 * Math.cos(a - 2.4), cy + 9 * Math.sin(a - 2.4));
        ctx.closePath(); ctx.fill(); ctx.stroke();
        return;
      }
      if (showAr && k < run.x.length - 1) {
        // update Δθ (solid) and the descent direction −g (dashed, as long as the update)
        const nx = g.px(run.x[k + 1]), ny = g.py(run.y[k + 1]);
        const ulen = Math.max(18, Math.min(80, Math.hypot(nx - X, ny - Y)));
        const gx = -run.gradX[k], gy = run.gradY[k]; // screen y grows downwards
        const gl = Math.hypot(gx, gy);
        if (gl > 0) arrow(ctx, X, Y, X + gx / gl * ulen, Y + gy / gl * ulen, '#222', 1.4, true);
        arrow(ctx, X, Y, nx, ny, color, 2.2, false);
      }
      if (showSq && run.meanSquareX && squaresMax > 0) {
        const S = 40;
        const sx = S * Math.sqrt(Math.max(run.meanSquareX[k], 0) / squaresMax), sy = S * Math.sqrt(Math.max(run.meanSquareY[k], 0) / squaresMax);
        ctx.fillStyle = hexA(color, 0.25); ctx.strokeStyle = color; ctx.lineWidth = 1.2;
        ctx.fillRect(X + 8, Y - sx / 2, sx, sx); ctx.strokeRect(X + 8, Y - sx / 2, sx, sx);      // x: to the right
        ctx.fillRect(X - sy / 2, Y - 8 - sy, sy, sy); ctx.strokeRect(X - sy / 2, Y - 8 - sy, sy, sy); // y: above
      }
      ctx.fillStyle = color; ctx.strokeStyle = '#fff'; ctx.lineWidth = 1.8;
      ctx.beginPath(); ctx.arc(X, Y, 6.5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      if (run.stop !== 'completed' && step >= run.x.length - 1) {
        ctx.strokeStyle = '#222'; ctx.lineWidth = 2.5;
        ctx.beginPath(); ctx.moveTo(X - 9, Y - 9); ctx.lineTo(X + 9, Y + 9); ctx.moveTo(X - 9, Y + 9); ctx.lineTo(X + 9, Y - 9); ctx.stroke();
      }
    });
  }

  function hexA(hex, a) { const [r, g, b] = hexToRgb(hex); return 'rgba(' + r + ',' + g + ',' + b + ',' + a + ')'; }

  // ---------- panels

  function drawSquares() {
    const c = $('squares'), dpr = window.devicePixelRatio || 1, W = c.clientWidth || 420;
    const runs = race ? race.runs.filter((r) => r.meanSquareX) : [];
    const rowH = 78, H = Math.max(40, 10 + runs.length * rowH);
    c.style.height = H + 'px';
    c.width = Math.round(W * dpr); c.height = Math.round(H * dpr);
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
    ctx.font = '12px sans-serif'; ctx.fillStyle = '#555';
    if (!runs.length) { ctx.fillText('no optimizer here accumulates squared gradients', 8, 20); return; }
    const s = surfaces[state.surface];
    runs.forEach((run, r) => {
      const i = race.runs.indexOf(run), color = COLORS[i % COLORS.length], k = Math.min(step, run.x.length - 1), y = 8 + r * rowH;
      ctx.fillStyle = color; ctx.font = 'bold 12px sans-serif'; ctx.textAlign = 'left';
      ctx.fillText(run.label + (run.meanSquareSlot === 'sum' ? '  (sum of g²)' : '  (decayed mean of g²)'), 6, y + 12);
      [run.meanSquareX[k], run.meanSquareY[k]].forEach((v, a) => {
        const side = squaresMax > 0 ? Math.max(1.5, 44 * Math.sqrt(Math.max(v, 0) / squaresMax)) : 1.5;
        const cx = W / 4 + a * W / 2, top = y + 18 + (44 - side) / 2;
        ctx.fillStyle = hexA(color, 0.43); ctx.fillRect(cx - side / 2, top, side, side);
        ctx.strokeStyle = color; ctx.lineWidth = 1.4; ctx.strokeRect(cx - side / 2, top, side, side);
        ctx.fillStyle = '#222'; ctx.font = '12px sans-serif'; ctx.textAlign = 'left';
        ctx.fillText((a === 0 ? s.xLabel : s.yLabel) + ': ' + num(v), cx + 28, y + 44);
      });
    });
  }

  function pair(a, b) { return a === null || a === undefined ? '–' : num(a) + '<br>' + num(b); }

  function inspector() {
    const t = $('inspector');
    $('inspstep').textContent = race ? step + ' of ' + race.steps : '';
    if (!race) { t.innerHTML = ''; return; }
    const s = surfaces[state.surface];
    const head = '<tr><th>optimizer</th><th>' + s.xLabel + '<br>' + s.yLabel + '</th><th>loss</th><th>g</th><th>mean square</th><th>buffer</th><th>effective step</th></tr>';
    const rows = race.runs.map((run, i) => {
      const k = Math.min(step, run.x.length - 1), kn = Math.min(k + 1, run.x.length - 1);
      const ended = step > run.x.length - 1 || (run.stop !== 'completed' && step >= run.x.length - 1);
      const cell = (arr) => (arr ? arr[k] : null);
      return '<tr data-run="' + i + '"><td><span style="color:' + COLORS[i % COLORS.length] + '">●</span> ' + esc(run.label)
        + (ended ? ' <em>(' + esc(run.stop === 'completed' ? 'done' : 'stopped at ' + run.stepsTaken) + ')</em>' : '') + '</td>'
        + '<td>' + pair(run.x[k], run.y[k]) + '</td><td class="loss">' + num(run.loss[k]) + '</td>'
        + '<td>' + pair(run.gradX[k], run.gradY[k]) + '</td>'
        + '<td>' + (run.meanSquareX ? pair(cell(run.meanSquareX), cell(run.meanSquareY)) : '–') + '</td>'
        + '<td>' + (run.bufferX ? pair(cell(run.bufferX), cell(run.bufferY)) : '–') + '</td>'
        + '<td title="the factor step ' + kn + ' multiplied the gradient by">' + pair(run.effStepX[kn], run.effStepY[kn]) + '</td></tr>';
    });
    t.innerHTML = head + rows.join('');
  }

  function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }

  // ---------- charts (uPlot)

  function sameLogLines(lines) {
    return lines.map((a, i) => {
      for (let j = 0; j < i; j++) {
        const b = lines[j];
        if (a.length !== b.length) continue;
        let same = true;
        for (let k = 0; k < a.length && same; k++) {
          const va = a[k] > 0 && Number.isFinite(a[k]), vb = b[k] > 0 && Number.isFinite(b[k]);
          same = va === vb && (!va || Math.abs(Math.log10(a[k]) - Math.log10(b[k])) <= LOG_TOLERANCE);
        }
        if (same) return j;
      }
      return null;
    });
  }

  function cursorLine() {
    return {
      hooks: {
        draw: (u) => {
          const X = u.valToPos(step, 'x', true), ctx = u.ctx;
          ctx.save(); ctx.strokeStyle = 'rgba(0,0,0,0.35)'; ctx.lineWidth = 1;
          ctx.beginPath(); ctx.moveTo(X, u.bbox.top); ctx.lineTo(X, u.bbox.top + u.bbox.height); ctx.stroke(); ctx.restore();
        }
      }
    };
  }

  function buildCharts() {
    for (const c of charts) c.destroy();
    charts = [];
    if (!race) return;
    const s = surfaces[state.surface], min = s.minValue, n = race.steps + 1;
    const xs = Array.from({ length: n }, (_, k) => k);
    const pad = (arr, f) => Array.from({ length: n }, (_, k) => (k < arr.length ? f(arr[k]) : null));
    const pos = (v) => (v !== null && v > 0 && Number.isFinite(v) ? v : null);
    const lossLines = race.runs.map((r) => pad(r.loss, (v) => pos(v - min)));
    // y range: the runs that stayed on the map decide the top, so a diverged run cannot squash the others
    let lo = Infinity, hi = -Infinity, hiAll = -Infinity;
    race.runs.forEach((r, i) => lossLines[i].forEach((v) => {
      if (v === null) return;
      lo = Math.min(lo, v); hiAll = Math.max(hiAll, v);
      if (r.leftDomainAt === null) hi = Math.max(hi, v);
    }));
    if (!(hi > 0)) hi = hiAll;
    const clipped = race.runs.filter((r, i) => r.leftDomainAt !== null && lossLines[i].some((v) => v !== null && v > hi * 1.0001));
    $('lossNote').textContent = clipped.length ? 'Off the top of the chart after leaving the map: ' + clipped.map((r) => r.label).join(', ') : '';
    // uPlot's own log axis cannot go below about 1e-16, and losses here reach 1e-30: plot log10 of the
    // values on a linear axis and label the ticks as powers of ten.
    const decades = (lines) => {
      let a = Infinity, b = -Infinity;
      for (const l of lines) for (const v of l) if (v !== null) { a = Math.min(a, v); b = Math.max(b, v); }
      if (!(a <= b)) return [-1, 1];
      let lo10 = Math.floor(Math.log10(a)), hi10 = Math.ceil(Math.log10(b));
      if (hi10 <= lo10) { lo10 -= 1; hi10 += 1; }
      return [lo10, hi10];
    };
    const pow10 = (e) => (e === 0 ? '1' : e === 1 ? '10' : '1e' + e);
    const mk = (el, title, lines, range) => {
      const r = range || decades(lines);
      const every = Math.max(1, Math.ceil((r[1] - r[0]) / 6));
      const logLines = lines.map((l) => l.map((v) => (v === null ? null : Math.log10(v))));
      const same = sameLogLines(lines), dashes = duplicates(same);
      const series = [{ label: 'step' }].concat(race.runs.map((run, i) => ({
        label: run.label + (same[i] !== null ? ' (= ' + race.runs[same[i]].label + ')' : ''),
        stroke: COLORS[i % COLORS.length], width: 2, dash: dashes[i] || undefined, spanGaps: false,
        value: (u, v) => (v === null || v === undefined ? '–' : num(Math.pow(10, v)))
      })));
      const opts = {
        width: 420, height: 260, series, legend: { live: true },
        scales: { x: { time: false }, y: { range: () => r } },
        axes: [{ label: 'step' }, {
          size: 56,
          splits: () => { const out = []; for (let e = Math.ceil(r[0] / every) * every; e <= r[1]; e += every) out.push(e); return out; },
          values: (u, vals) => vals.map((v) => pow10(Math.round(v)))
        }],
        plugins: [cursorLine()]
      };
      charts.push(new uPlot(opts, [xs].concat(logLines), el));
    };
    $('lossChart').innerHTML = ''; $('effX').innerHTML = ''; $('effY').innerHTML = '';
    let lr;
    if (Number.isFinite(lo) && Number.isFinite(hi)) {
      let lo10 = Math.floor(Math.log10(lo)), hi10 = Math.ceil(Math.log10(hi));
      if (hi10 <= lo10) { lo10 -= 1; hi10 += 1; }
      lr = [lo10, hi10];
    }
    mk($('lossChart'), 'loss', lossLines, lr);
    $('effXTitle').textContent = 'Effective step, ' + s.xLabel + ' (log scale)';
    $('effYTitle').textContent = 'Effective step, ' + s.yLabel + ' (log scale)';
    mk($('effX'), 'eff x', race.runs.map((r) => pad(r.effStepX, pos)));
    mk($('effY'), 'eff y', race.runs.map((r) => pad(r.effStepY, pos)));
  }

  // ---------- optimizer rows

  function parseSpec(text) {
    const t = text.trim(), c = t.indexOf(':');
    const kind = (c < 0 ? t : t.slice(0, c)).trim().toLowerCase();
    const kv = {};
    if (c >= 0) for (const part of t.slice(c + 1).split(',')) {
      const e = part.indexOf('=');
      if (e > 0) kv[part.slice(0, e).trim()] = part.slice(e + 1).trim();
    }
    return { kind, kv };
  }

  function specText(kind, kv) {
    const parts = Object.keys(kv).filter((k) => kv[k] !== '').map((k) => k + '=' + kv[k]);
    return parts.length ? kind + ':' + parts.join(',') : kind;
  }

  function buildOptRows() {
    const box = $('opts');
    box.innerHTML = '';
    state.opts.forEach((text, i) => {
      const row = document.createElement('div');
      row.className = 'opt';
      const sw = document.createElement('span');
      sw.className = 'swatch'; sw.style.background = COLORS[i % COLORS.length];
      const inp = document.createElement('input');
      inp.className = 'spec'; inp.value = text; inp.spellcheck = false;
      inp.addEventListener('change', () => { state.opts[i] = inp.value.trim(); changed(true); });
      const kb = document.createElement('button');
      kb.textContent = 'knobs'; kb.title = 'edit this optimizer\'s settings';
      const rm = document.createElement('button');
      rm.textContent = '✕'; rm.title = 'remove'; rm.disabled = state.opts.length <= 1;
      rm.addEventListener('click', () => { state.opts.splice(i, 1); changed(true); });
      row.append(sw, inp, kb, rm);
      const knobs = document.createElement('div');
      knobs.className = 'knobs'; knobs.hidden = true;
      kb.addEventListener('click', () => { knobs.hidden = !knobs.hidden; if (!knobs.hidden) fillKnobs(knobs, i); });
      row.append(knobs);
      if (race && race.runs[i]) {
        const run = race.runs[i];
        const note = document.createElement('div');
        note.className = 'note';
        const bits = [run.settings];
        if (run.samePathAs !== null) bits.push('path overlaps ' + race.runs[run.samePathAs].label + '\'s for most steps (drawn dashed)');
        if (run.leftDomainAt !== null) bits.push('left the map at step ' + run.leftDomainAt);
        if (run.stop !== 'completed') bits.push(run.stopMessage);
        note.textContent = bits.join(' · ');
        row.append(note);
      }
      box.append(row);
    });
    $('addopt').disabled = state.opts.length >= (optInfo ? optInfo.maxOptimizers : 8);
  }

  function fillKnobs(box, i) {
    box.innerHTML = '';
    const { kind, kv } = parseSpec(state.opts[i]);
    const kinds = optInfo ? Object.keys(optInfo.keys) : [kind];
    const mkSel = (values, cur) => {
      const s = document.createElement('select');
      for (const v of [''].concat(values)) { const o = document.createElement('option'); o.value = v; o.textContent = v || '(default)'; s.append(o); }
      s.value = cur || '';
      return s;
    };
    const ks = mkSel(kinds, kind);
    ks.options[0].remove();
    const kl = document.createElement('label'); kl.append('kind ', ks); box.append(kl);
    ks.addEventListener('change', () => { state.opts[i] = ks.value; changed(true, true); });
    const keys = optInfo && optInfo.keys[kind] ? optInfo.keys[kind] : Object.keys(kv);
    for (const k of keys) {
      let el;
      if (k === 'preset') el = mkSel(optInfo ? optInfo.presets : [], kv[k]);
      else if (CHOICES[k]) el = mkSel(CHOICES[k], kv[k]);
      else { el = document.createElement('input'); el.value = kv[k] || ''; el.placeholder = 'default'; }
      el.dataset.key = k;
      el.addEventListener('change', () => {
        const cur = parseSpec(state.opts[i]);
        cur.kv[k] = el.value.trim();
        state.opts[i] = specText(cur.kind, cur.kv);
        changed(true, true);
      });
      const l = document.createElement('label'); l.append(k + ' ', el); box.append(l);
    }
  }

  // ---------- state changes

  let keepKnobsOpen = -1;
  function changed(rerun, fromKnobs) {
    state.step = null;
    if (fromKnobs) keepKnobsOpen = [...document.querySelectorAll('.knobs')].findIndex((k) => !k.hidden);
    syncInputs();
    saveHash();
    if (rerun) scheduleRace(0);
  }

  function syncInputs() {
    $('surface').value = state.surface;
    $('steps').value = state.steps;
    const s = surfaces[state.surface];
    const st = state.start || (s ? s.start : null);
    $('start').value = st ? st.map((v) => +v.toPrecision(6)).join(',') : '';
    $('speed').value = state.speed;
    buildOptRows();
    if (keepKnobsOpen >= 0) {
      const k = document.querySelectorAll('.knobs')[keepKnobsOpen];
      if (k) { k.hidden = false; fillKnobs(k, keepKnobsOpen); }
      keepKnobsOpen = -1;
    }
  }

  function render() {
    drawMap();
    drawSquares();
    inspector();
    for (const c of charts) c.redraw(false, false);
    $('scrub').value = step;
    $('stepv').textContent = race ? step + ' / ' + race.steps : '';
    $('play').textContent = playing ? '❚❚ pause' : '▶ play';
    if (race) buildOptNotesOnce();
  }

  let notedRace = null;
  function buildOptNotesOnce() {
    if (notedRace === race) return;
    notedRace = race;
    const open = [...document.querySelectorAll('.knobs')].findIndex((k) => !k.hidden);
    buildOptRows();
    if (open >= 0) { const k = document.querySelectorAll('.knobs')[open]; if (k) { k.hidden = false; fillKnobs(k, open); } }
  }

  function speedStepsPerSecond() { return Math.round(Math.pow(10, 0.3 + 2.4 * state.speed / 100)); }

  function tick(t) {
    if (!playing) return;
    if (race) {
      const dt = lastFrameTime ? (t - lastFrameTime) / 1000 : 0;
      lastFrameTime = t;
      stepCarry += dt * speedStepsPerSecond();
      const adv = Math.floor(stepCarry);
      if (adv > 0) {
        stepCarry -= adv;
        step = Math.min(race.steps, step + adv);
        render();
        saveHash();
        if (step >= race.steps) { playing = false; render(); }
      }
    }
    if (playing) requestAnimationFrame(tick);
  }

  function setPlaying(p) {
    playing = p && !!race;
    if (playing && step >= race.steps) step = 0;
    lastFrameTime = 0; stepCarry = 0;
    render();
    if (playing) requestAnimationFrame(tick);
    saveHash();
  }

  // ---------- export

  async function exportAs(format) {
    const body = request();
    if (format === 'png' || format === 'svg') body.step = step;
    status('exporting ' + format.toUpperCase() + '…');
    try {
      const blob = await api('POST', 'api/export?format=' + format, body);
      const type = { json: 'application/json', csv: 'text/csv' }[format];
      const b = type ? new Blob([type === 'application/json' ? JSON.stringify(blob) : await blob.text()], { type }) : blob;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(b);
      a.download = 'race-' + state.surface + '.' + format;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      status('exported ' + a.download);
    } catch (e) {
      status('export failed: ' + e.message, true);
    }
  }

  // ---------- sweep

  function parseRange(text, name) {
    const p = text.split(':').map(Number);
    if (p.length !== 3 || !p.every(Number.isFinite)) throw new Error(name + ' must be FROM:TO:N, got \'' + text + '\'');
    return { from: p[0], to: p[1], n: Math.round(p[2]) };
  }

  async function runSweep() {
    const st = $('swStatus');
    try {
      const body = { surface: state.surface, start: request().start, steps: state.steps, optimizer: $('swOpt').value.trim(),
        lr: parseRange($('swLr').value, 'lr'), decay: parseRange($('swDecay').value, 'decay') };
      st.textContent = 'sweeping…';
      const r = await api('POST', 'api/sweep', body);
      drawSweep(r);
      st.textContent = r.best ? 'best: lr ' + num(r.best.lr) + ', decay ' + num(r.best.decay) + ', final loss ' + num(r.best.finalLoss) : 'every run diverged';
      pg.sweep = r;
    } catch (e) {
      st.textContent = e.message;
    }
  }

  const VIRIDIS = [[0x44, 0x01, 0x54], [0x3b, 0x52, 0x8b], [0x21, 0x91, 0x8c], [0x5e, 0xc9, 0x62], [0xfd, 0xe7, 0x25]];

  function drawSweep(r) {
    const c = $('sweepCanvas'), dpr = window.devicePixelRatio || 1, W = c.clientWidth || 900, H = c.clientHeight || 480;
    c.width = Math.round(W * dpr); c.height = Math.round(H * dpr);
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
    const nx = r.lr.length, ny = r.decay.length, area = { x: 80, y: 16, w: W - 260, h: H - 70 };
    const z = r.finalLoss.map((row) => row.map((v) => Math.log10(Math.max(v - r.minValue, 1e-16))));
    let lo = Infinity, hi = -Infinity;
    z.forEach((row, i) => row.forEach((v, j) => { if (!r.diverged[i][j]) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }));
    if (!(lo <= hi)) { lo = 0; hi = 1; }
    if (hi - lo < 1e-9) hi = lo + 1;
    const cw = area.w / nx, ch = area.h / ny;
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) {
      const x = area.x + i * cw, y = area.y + area.h - (j + 1) * ch;
      if (r.diverged[i][j]) {
        ctx.fillStyle = '#e4e4e4'; ctx.fillRect(x, y, cw + 0.5, ch + 0.5);
        ctx.strokeStyle = '#d55e00'; ctx.lineWidth = 1.6; const q = Math.min(cw, ch) * 0.28, cx = x + cw / 2, cy = y + ch / 2;
        ctx.beginPath(); ctx.moveTo(cx - q, cy - q); ctx.lineTo(cx + q, cy + q); ctx.moveTo(cx - q, cy + q); ctx.lineTo(cx + q, cy - q); ctx.stroke();
      } else {
        ctx.fillStyle = 'rgb(' + rampColor(VIRIDIS, (z[i][j] - lo) / (hi - lo)).join(',') + ')';
        ctx.fillRect(x, y, cw + 0.5, ch + 0.5);
      }
    }
    if (r.best) {
      const x = area.x + r.best.i * cw, y = area.y + area.h - (r.best.j + 1) * ch;
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 3; ctx.strokeRect(x + 1, y + 1, cw - 2, ch - 2);
      ctx.strokeStyle = '#000'; ctx.lineWidth = 1.2; ctx.strokeRect(x + 1, y + 1, cw - 2, ch - 2);
    }
    ctx.strokeStyle = '#222'; ctx.lineWidth = 1.2; ctx.strokeRect(area.x, area.y, area.w, area.h);
    // axes at nice values, placed by interpolation between cells (lr geometric, decay linear)
    ctx.fillStyle = '#222'; ctx.font = '12px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    const lx = (v) => area.x + (nx === 1 ? 0.5 : 0.5 + (Math.log(v / r.lr[0]) / Math.log(r.lr[nx - 1] / r.lr[0])) * (nx - 1)) * cw;
    const e0 = Math.ceil(Math.log10(Math.min(r.lr[0], r.lr[nx - 1])) - 1e-9), e1 = Math.floor(Math.log10(Math.max(r.lr[0], r.lr[nx - 1])) + 1e-9);
    for (let e = e0; e <= e1; e++) {
      const X = lx(Math.pow(10, e));
      ctx.beginPath(); ctx.moveTo(X, area.y + area.h); ctx.lineTo(X, area.y + area.h + 4); ctx.stroke();
      ctx.fillText(e === 0 ? '1' : '1e' + e, X, area.y + area.h + 6);
    }
    ctx.fillText('learning rate', area.x + area.w / 2, area.y + area.h + 26);
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    const dmin = Math.min(r.decay[0], r.decay[ny - 1]), dmax = Math.max(r.decay[0], r.decay[ny - 1]);
    const dy = (v) => area.y + area.h - (ny === 1 ? 0.5 : 0.5 + (v - r.decay[0]) / (r.decay[ny - 1] - r.decay[0]) * (ny - 1)) * ch;
    for (const v of (dmax > dmin ? niceTicks(dmin, dmax, 6) : [dmin])) {
      const Y = dy(v);
      ctx.beginPath(); ctx.moveTo(area.x - 4, Y); ctx.lineTo(area.x, Y); ctx.stroke();
      ctx.fillText(num(v), area.x - 6, Y);
    }
    ctx.save(); ctx.translate(area.x - 56, area.y + area.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
    ctx.fillText('decay', 0, 0); ctx.restore();
    // colour bar
    const bx = area.x + area.w + 30, by = area.y + 20, bh = area.h - 100;
    for (let p = 0; p < bh; p++) { ctx.fillStyle = 'rgb(' + rampColor(VIRIDIS, 1 - p / bh).join(',') + ')'; ctx.fillRect(bx, by + p, 18, 1.5); }
    ctx.strokeRect(bx, by, 18, bh);
    ctx.textAlign = 'left'; ctx.fillStyle = '#222';
    ctx.fillText(r.minValue === 0 ? 'final loss' : 'final loss − min', bx - 8, by - 10);
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e += Math.max(1, Math.ceil((hi - lo) / 6))) {
      const Y = by + bh * (1 - (e - lo) / (hi - lo));
      ctx.beginPath(); ctx.moveTo(bx + 18, Y); ctx.lineTo(bx + 22, Y); ctx.stroke();
      ctx.fillText('1e' + e, bx + 25, Y);
    }
    ctx.fillText('□ best (outlined)   ✕ diverged', bx - 8, by + bh + 24);
  }

  // ---------- wiring

  function onMapPointer(ev, final) {
    if (!layout) return;
    const rect = $('map').getBoundingClientRect();
    const X = ev.clientX - rect.left, Y = ev.clientY - rect.top, d = layout.d;
    let x = layout.dx(X), y = layout.dy(Y);
    x = Math.max(d.xMin, Math.min(d.xMax, x)); y = Math.max(d.yMin, Math.min(d.yMax, y));
    state.start = [+x.toPrecision(4), +y.toPrecision(4)];
    $('start').value = state.start.join(',');
    state.step = null;
    drawMap();
    saveHash();
    scheduleRace(final ? 0 : 120);
  }

  async function applyHash() {
    state = hashToState(location.hash);
    if (!surfaces[state.surface]) {
      status('unknown surface \'' + state.surface + '\' in the address; showing rosenbrock', true);
      state.surface = 'rosenbrock';
    }
    syncInputs();
    await runRace();
  }

  async function init() {
    try {
      const [ss, oi] = await Promise.all([api('GET', 'api/surfaces'), api('GET', 'api/optimizers')]);
      optInfo = oi;
      for (const s of ss.surfaces) surfaces[s.name] = s;
      const sel = $('surface');
      for (const s of ss.surfaces) { const o = document.createElement('option'); o.value = s.name; o.textContent = s.name; o.title = s.formula; sel.append(o); }
    } catch (e) {
      status('cannot reach the server: ' + e.message, true);
      pg.ready = true;
      return;
    }
    $('surface').addEventListener('change', () => { state.surface = $('surface').value; state.start = null; changed(true); });
    $('steps').addEventListener('change', () => {
      const v = $('steps').value.trim();
      const max = optInfo ? optInfo.maxSteps : 10000;
      if (!/^[0-9]+$/.test(v) || +v < 1 || +v > max) {
        if (v !== '') status('steps must be a whole number in [1, ' + max + '], got \'' + v + '\'', true);
        return;
      }
      state.steps = +v;
      changed(true);
    });
    $('start').addEventListener('change', () => {
      const xy = $('start').value.split(',').map(Number);
      state.start = xy.length === 2 && xy.every(Number.isFinite) ? xy : null;
      changed(true);
    });
    $('neuron').addEventListener('click', () => {
      state.surface = NEURON.surface; state.start = NEURON.start.slice(); state.steps = NEURON.steps; state.opts = NEURON.opts.slice();
      changed(true);
    });
    $('addopt').addEventListener('click', () => { state.opts.push('adam:lr=0.05'); changed(true); });
    $('play').addEventListener('click', () => setPlaying(!playing));
    $('back').addEventListener('click', () => { if (race) { playing = false; step = Math.max(0, step - 1); render(); saveHash(); } });
    $('fwd').addEventListener('click', () => { if (race) { playing = false; step = Math.min(race.steps, step + 1); render(); saveHash(); } });
    $('scrub').addEventListener('input', () => { playing = false; step = parseInt($('scrub').value, 10); render(); saveHash(); });
    $('speed').addEventListener('input', () => { state.speed = parseInt($('speed').value, 10); $('speedv').textContent = speedStepsPerSecond() + ' steps/s'; saveHash(); });
    $('speedv').textContent = speedStepsPerSecond() + ' steps/s';
    $('showSquares').addEventListener('change', render);
    $('showArrows').addEventListener('change', render);
    for (const b of document.querySelectorAll('.export')) b.addEventListener('click', () => exportAs(b.dataset.format));
    $('copylink').addEventListener('click', async () => {
      saveHash();
      try { await navigator.clipboard.writeText(location.href); status('link copied'); } catch (e) { status('the link is the address: ' + location.href); }
    });
    $('swRun').addEventListener('click', runSweep);
    (() => {
      const c = $('sweepCanvas'), ctx = c.getContext('2d');
      ctx.fillStyle = '#777'; ctx.font = '14px sans-serif';
      ctx.fillText('Run a sweep: the final loss of the optimizer above for every learning rate × decay, from this race\'s start and steps.', 20, 40);
    })();
    const map = $('map');
    let dragging = false;
    map.addEventListener('pointerdown', (ev) => { dragging = true; map.setPointerCapture(ev.pointerId); onMapPointer(ev, false); });
    map.addEventListener('pointermove', (ev) => { if (dragging) onMapPointer(ev, false); });
    map.addEventListener('pointerup', (ev) => { if (dragging) { dragging = false; onMapPointer(ev, true); } });
    document.addEventListener('keydown', (ev) => {
      if (ev.target.tagName === 'INPUT' || ev.target.tagName === 'SELECT') return;
      if (ev.key === ' ') { ev.preventDefault(); setPlaying(!playing); }
      else if (ev.key === 'ArrowRight') $('fwd').click();
      else if (ev.key === 'ArrowLeft') $('back').click();
    });
    window.addEventListener('hashchange', () => {
      if (location.hash !== stateToHash(Object.assign({}, state, { step }))) applyHash();
    });
    await applyHash();
  }

  init();
})();
