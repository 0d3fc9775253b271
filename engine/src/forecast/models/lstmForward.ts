import type { tf } from '../tf/initTf.js';

/**
 * Inference of the forecaster's LSTM network (`buildNetwork`: LSTM encoder → concat seasonal inputs → dense tanh →
 * concat seasonal inputs → dense) in plain JS from the trained weights. Training stays in tfjs; only the forward
 * pass is written out, because tfjs runs the 24-step recurrence as ~15 small kernels per step, each with a few
 * microseconds of dispatch: one forecast took 10–30 ms of which the arithmetic (~35k multiply-adds) is well under
 * 0.1 ms. Same maths as tfjs-layers' LSTMCell (gates i, f, c, o; recurrent activation hard sigmoid, activation tanh),
 * in float64 where the wasm backend uses float32, so forecasts agree to ~1e-6 (checked against `model.predict` in
 * lstmForward.test.ts).
 */
export interface LstmWeights {
  units: number;
  steps: number;
  features: number;
  auxSize: number;
  hiddenUnits: number;
  outputs: number;
  kernel: Float32Array;
  recurrent: Float32Array;
  bias: Float32Array;
  hiddenKernel: Float32Array;
  hiddenBias: Float32Array;
  outKernel: Float32Array;
  outBias: Float32Array;
}

/** The current weights of a network built by `buildNetwork` (read each time: training updates them in place). */
export function readLstmWeights(model: tf.LayersModel, steps: number): LstmWeights {
  const data = (layer: string) =>
    model
      .getLayer(layer)
      .getWeights()
      .map((w) => w.dataSync() as Float32Array);
  const [kernel, recurrent, bias] = data('encoder') as [Float32Array, Float32Array, Float32Array];
  const [hiddenKernel, hiddenBias] = data('hidden') as [Float32Array, Float32Array];
  const [outKernel, outBias] = data('out') as [Float32Array, Float32Array];
  const units = bias.length / 4;
  const hiddenUnits = hiddenBias.length;
  const auxSize = hiddenKernel.length / hiddenUnits - units;
  return {
    units,
    steps,
    features: kernel.length / (4 * units),
    auxSize,
    hiddenUnits,
    outputs: outBias.length,
    kernel,
    recurrent,
    bias,
    hiddenKernel,
    hiddenBias,
    outKernel,
    outBias,
  };
}

const hardSigmoid = (x: number) => Math.min(1, Math.max(0, 0.2 * x + 0.5));

/** Outputs for `count` samples: window is count × steps × features, aux count × auxSize (row-major, as tfjs). */
export function lstmForward(
  w: LstmWeights,
  window: Float32Array,
  aux: Float32Array,
  count: number,
): Float64Array {
  const { units: U, steps: L, features: F, auxSize: A, hiddenUnits: D, outputs: O } = w;
  const out = new Float64Array(count * O);
  const h = new Float64Array(U);
  const c = new Float64Array(U);
  const z = new Float64Array(4 * U);
  const joined = new Float64Array(U + A);
  const skip = new Float64Array(D + A);
  for (let s = 0; s < count; s++) {
    h.fill(0);
    c.fill(0);
    for (let t = 0; t < L; t++) {
      z.set(w.bias);
      const x0 = (s * L + t) * F;
      for (let f = 0; f < F; f++) addRow(z, w.kernel, f, window[x0 + f]!);
      for (let u = 0; u < U; u++) addRow(z, w.recurrent, u, h[u]!);
      for (let u = 0; u < U; u++) {
        const i = hardSigmoid(z[u]!);
        const fg = hardSigmoid(z[U + u]!);
        c[u] = fg * c[u]! + i * Math.tanh(z[2 * U + u]!);
        h[u] = hardSigmoid(z[3 * U + u]!) * Math.tanh(c[u]!);
      }
    }
    joined.set(h);
    for (let a = 0; a < A; a++) joined[U + a] = aux[s * A + a]!;
    dense(joined, w.hiddenKernel, w.hiddenBias, skip, Math.tanh);
    for (let a = 0; a < A; a++) skip[D + a] = joined[U + a]!;
    const y = new Float64Array(O);
    dense(skip, w.outKernel, w.outBias, y);
    out.set(y, s * O);
  }
  return out;
}

/** z += v × row r of a row-major [rows, z.length] kernel. */
function addRow(z: Float64Array, kernel: Float32Array, r: number, v: number): void {
  if (v === 0) return;
  const n = z.length;
  const base = r * n;
  for (let j = 0; j < n; j++) z[j] = z[j]! + v * kernel[base + j]!;
}

/** y = act(x · kernel + bias), kernel row-major [x.length, bias.length]; writes the first bias.length of y. */
function dense(
  x: Float64Array,
  kernel: Float32Array,
  bias: Float32Array,
  y: Float64Array,
  act?: (v: number) => number,
): void {
  const n = bias.length;
  for (let j = 0; j < n; j++) y[j] = bias[j]!;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v === 0) continue;
    const base = i * n;
    for (let j = 0; j < n; j++) y[j] = y[j]! + v * kernel[base + j]!;
  }
  if (act) for (let j = 0; j < n; j++) y[j] = act(y[j]!);
}
