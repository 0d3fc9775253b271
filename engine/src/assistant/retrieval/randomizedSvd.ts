import { seededRandom } from '../../util/seededRandom.js';
/**
 * Left singular vectors of a sparse terms x documents matrix by randomized SVD (Halko, Martinsson & Tropp 2011):
 * a random range finder with one power iteration, Cholesky-QR for orthonormalisation (done twice for stability) and a
 * Jacobi eigensolver on the small projected Gram matrix. Deterministic for a seed.
 */

export interface SparseColumns {
  rows: number;
  /** Per document: term (row) ids and weights. */
  columns: Array<{ ids: Int32Array; weights: Float32Array }>;
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Y (rows x l, row-major) = A * Omega, Omega (docs x l). */
function multiplyA(a: SparseColumns, omega: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  a.columns.forEach((col, j) => {
    const o = j * l;
    for (let p = 0; p < col.ids.length; p++) {
      const base = col.ids[p]! * l;
      const w = col.weights[p]!;
      for (let c = 0; c < l; c++) y[base + c]! += w * omega[o + c]!;
    }
  });
  return y;
}

/** Z (docs x l) = A^T * Y. */
function multiplyAt(a: SparseColumns, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.columns.length * l);
  a.columns.forEach((col, j) => {
    const o = j * l;
    for (let p = 0; p < col.ids.length; p++) {
      const base = col.ids[p]! * l;
      const w = col.weights[p]!;
      for (let c = 0; c < l; c++) z[o + c]! += w * y[base + c]!;
    }
  });
  return z;
}

/** G = X^T X for a row-major (n x l) X. */
function gram(x: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let r = 0; r < n; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const xi = x[o + i]!;
      if (xi === 0) continue;
      const gi = i * l;
      for (let j = i; j < l; j++) g[gi + j]! += xi * x[o + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) g[i * l + j] = g[j * l + i]!;
  return g;
}

/** In-place X <- X R^{-1} with R the Cholesky factor of X^T X: orthonormal columns. */
function choleskyQr(x: Float64Array, n: number, l: number): void {
  const g = gram(x, n, l);
  let trace = 0;
  for (let i = 0; i < l; i++) trace += g[i * l + i]!;
  const ridge = (trace / l) * 1e-10 + 1e-300;
  // Upper-triangular R with R^T R = G.
  const r = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    let d = g[i * l + i]! + ridge;
    for (let k = 0; k < i; k++) d -= r[k * l + i]! * r[k * l + i]!;
    const rii = Math.sqrt(Math.max(d, ridge));
    r[i * l + i] = rii;
    for (let j = i + 1; j < l; j++) {
      let s = g[i * l + j]!;
      for (let k = 0; k < i; k++) s -= r[k * l + i]! * r[k * l + j]!;
      r[i * l + j] = s / rii;
    }
  }
  // Each row x solves q R = x (forward substitution over columns).
  const q = new Float64Array(l);
  for (let row = 0; row < n; row++) {
    const o = row * l;
    for (let j = 0; j < l; j++) {
      let s = x[o + j]!;
      for (let k = 0; k < j; k++) s -= q[k]! * r[k * l + j]!;
      q[j] = s / r[j * l + j]!;
    }
    for (let j = 0; j < l; j++) x[o + j] = q[j]!;
  }
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi; returns eigenvalues and column eigenvectors. */
export function symmetricEigen(
  input: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/**
 * Top-k left singular vectors U (rows x k, row-major Float32) and singular values of A.
 * `oversample` extra directions and `powerIterations` trade time for accuracy of the trailing vectors.
 */
export function randomizedSvd(
  a: SparseColumns,
  k: number,
  options: { seed: number; oversample?: number; powerIterations?: number },
): { u: Float32Array; singularValues: Float64Array; k: number } {
  const n = a.columns.length;
  const l = Math.min(k + (options.oversample ?? 16), n, a.rows);
  const kk = Math.min(k, l);
  const random = seededRandom(options.seed);
  const omega = new Float64Array(n * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(random);

  // Intermediate orthonormalisations only keep the power iteration from collapsing onto the top direction; the final
  // basis is orthonormalised twice (CholeskyQR2) because U is read from it.
  let q = multiplyA(a, omega, l);
  for (let it = 0; it < (options.powerIterations ?? 1); it++) {
    choleskyQr(q, a.rows, l);
    const z = multiplyAt(a, q, l);
    choleskyQr(z, n, l);
    q = multiplyA(a, z, l);
  }
  choleskyQr(q, a.rows, l);
  choleskyQr(q, a.rows, l);
  // B^T = A^T Q (docs x l); B B^T = (B^T)^T B^T.
  const bt = multiplyAt(a, q, l);
  const bbt = gram(bt, n, l);
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = [...values.keys()].sort((i, j) => values[j]! - values[i]!).slice(0, kk);
  const u = new Float32Array(a.rows * kk);
  for (let row = 0; row < a.rows; row++) {
    const o = row * l;
    for (let c = 0; c < kk; c++) {
      const col = order[c]!;
      let s = 0;
      for (let i = 0; i < l; i++) s += q[o + i]! * vectors[i * l + col]!;
      u[row * kk + c] = s;
    }
  }
  const singularValues = Float64Array.from(order.map((i) => Math.sqrt(Math.max(values[i]!, 0))));
  return { u, singularValues, k: kk };
}
