/**
 * Linear solve of a vessel tree per harmonic, and the harmonic-balance Newton iteration that adds
 * the quadratic (Young–Tsai turbulent) pressure drop of stenoses.
 *
 * The tree: branch 0 is the root, fed by a prescribed flow; every other branch hangs from the
 * distal end of its parent (a parent comes before its children); each leaf ends in an outlet impedance to
 * ground (pressure 0). A branch is a series impedance `Z_b(ω)` plus a series pressure source
 * `E_b(t)` (drop in the direction of flow). Harmonics use the `e^(+iωt)` convention.
 */
import { solveDenseInPlace } from './dense-solve.js';
import { harmonicsToReal } from './fft.js';

/** A linear tree network, per branch and harmonic (`index = b·H + n`). */
export interface TreeNetwork {
  /** Number of branches. */
  readonly branches: number;
  /** Parent branch of each branch; −1 for the root (branch 0). Parents precede children. */
  readonly parent: Int32Array;
  /** Harmonics kept, n = 0..H−1 (H = N/2 + 1 for N time samples). */
  readonly harmonics: number;
  /** Series impedance of each branch, Pa·s/m³, real part. */
  readonly zRe: Float64Array;
  /** Series impedance, imaginary part. */
  readonly zIm: Float64Array;
  /** Outlet impedance of each leaf branch to ground, real part (unused for inner branches). */
  readonly outletRe: Float64Array;
  /** Outlet impedance, imaginary part. */
  readonly outletIm: Float64Array;
}

/** Flows (m³/s) and pressures (Pa) per branch and harmonic (`index = b·H + n`). */
export interface TreeSpectra {
  readonly qRe: Float64Array;
  readonly qIm: Float64Array;
  readonly pInRe: Float64Array;
  readonly pInIm: Float64Array;
  readonly pOutRe: Float64Array;
  readonly pOutIm: Float64Array;
}

/** Allocates {@link TreeSpectra} for a network. */
export function allocateSpectra(net: TreeNetwork): TreeSpectra {
  const size = net.branches * net.harmonics;
  return {
    qRe: new Float64Array(size),
    qIm: new Float64Array(size),
    pInRe: new Float64Array(size),
    pInIm: new Float64Array(size),
    pOutRe: new Float64Array(size),
    pOutIm: new Float64Array(size),
  };
}

/**
 * Solves the tree for every harmonic: root inflow `qIn` (per harmonic) and series sources `e`
 * (per branch and harmonic; null for none). Thevenin reduction bottom-up (each subtree is an input
 * impedance plus an open-circuit pressure), then flows and pressures top-down: O(branches) per
 * harmonic and exact.
 */
export function solveTree(
  net: TreeNetwork,
  qInRe: Float64Array,
  qInIm: Float64Array,
  eRe: Float64Array | null,
  eIm: Float64Array | null,
  out: TreeSpectra,
): void {
  const nb = net.branches;
  const h = net.harmonics;
  const leaf = new Uint8Array(nb).fill(1);
  for (let b = 1; b < nb; b++) leaf[net.parent[b]!] = 0;
  const ztr = new Float64Array(nb);
  const zti = new Float64Array(nb);
  const vtr = new Float64Array(nb);
  const vti = new Float64Array(nb);
  const ysr = new Float64Array(nb);
  const ysi = new Float64Array(nb);
  const vysr = new Float64Array(nb);
  const vysi = new Float64Array(nb);
  for (let n = 0; n < h; n++) {
    ysr.fill(0);
    ysi.fill(0);
    vysr.fill(0);
    vysi.fill(0);
    for (let b = nb - 1; b >= 0; b--) {
      const i = b * h + n;
      let subR: number;
      let subI: number;
      let vsR = 0;
      let vsI = 0;
      if (leaf[b] === 1) {
        subR = net.outletRe[i]!;
        subI = net.outletIm[i]!;
      } else {
        // parallel children: Z = 1/ΣY, V = Z·Σ(V/Z)
        const d = ysr[b]! * ysr[b]! + ysi[b]! * ysi[b]!;
        subR = ysr[b]! / d;
        subI = -ysi[b]! / d;
        vsR = subR * vysr[b]! - subI * vysi[b]!;
        vsI = subR * vysi[b]! + subI * vysr[b]!;
      }
      ztr[b] = net.zRe[i]! + subR;
      zti[b] = net.zIm[i]! + subI;
      vtr[b] = vsR + (eRe === null ? 0 : eRe[i]!);
      vti[b] = vsI + (eIm === null ? 0 : eIm[i]!);
      const p = net.parent[b]!;
      if (p >= 0) {
        const d = ztr[b]! * ztr[b]! + zti[b]! * zti[b]!;
        const yr = ztr[b]! / d;
        const yi = -zti[b]! / d;
        ysr[p] = ysr[p]! + yr;
        ysi[p] = ysi[p]! + yi;
        vysr[p] = vysr[p]! + vtr[b]! * yr - vti[b]! * yi;
        vysi[p] = vysi[p]! + vtr[b]! * yi + vti[b]! * yr;
      }
    }
    for (let b = 0; b < nb; b++) {
      const i = b * h + n;
      let qr: number;
      let qi: number;
      let pr: number;
      let pi: number;
      const p = net.parent[b]!;
      if (p < 0) {
        qr = qInRe[n]!;
        qi = qInIm[n]!;
        pr = ztr[b]! * qr - zti[b]! * qi + vtr[b]!;
        pi = ztr[b]! * qi + zti[b]! * qr + vti[b]!;
      } else {
        pr = out.pOutRe[p * h + n]!;
        pi = out.pOutIm[p * h + n]!;
        const dr = pr - vtr[b]!;
        const di = pi - vti[b]!;
        const d = ztr[b]! * ztr[b]! + zti[b]! * zti[b]!;
        qr = (dr * ztr[b]! + di * zti[b]!) / d;
        qi = (di * ztr[b]! - dr * zti[b]!) / d;
      }
      out.qRe[i] = qr;
      out.qIm[i] = qi;
      out.pInRe[i] = pr;
      out.pInIm[i] = pi;
      const zr = net.zRe[i]!;
      const zi = net.zIm[i]!;
      out.pOutRe[i] = pr - (zr * qr - zi * qi) - (eRe === null ? 0 : eRe[i]!);
      out.pOutIm[i] = pi - (zr * qi + zi * qr) - (eIm === null ? 0 : eIm[i]!);
    }
  }
}

/** Result of {@link solveQuadraticSources}. */
export interface QuadraticSourceSolution {
  /** Flow of each stenotic branch over time, m³/s, `[s·N + j]`. */
  readonly q: Float64Array;
  /** Newton iterations taken. */
  readonly iterations: number;
  /** Final residual, max over samples, m³/s. */
  readonly residual: number;
}

/**
 * Periodic flows through branches with a quadratic series drop `K_s·|q|·q` (Pa), found by
 * harmonic balance: with the tree linear otherwise, `q = q⁰ + Σ_m G_m ⊛ (K_m|q_m|q_m)`, where
 * `q⁰` is the response to the inflow alone and `G_m` the transfer from a unit source in branch m
 * (a circulant in time). Damped Newton on the N·S unknowns with a dense Jacobian
 * `I − G·diag(2K|q|)`.
 *
 * @param stenotic - branch indices carrying a quadratic term.
 * @param k - `K` of each, Pa·s²/m⁶.
 * @param samples - N, a power of two with H = N/2 + 1.
 * @returns null when Newton does not converge in `maxIterations`.
 */
export function solveQuadraticSources(
  net: TreeNetwork,
  qInRe: Float64Array,
  qInIm: Float64Array,
  stenotic: Int32Array,
  k: Float64Array,
  samples: number,
  maxIterations = 60,
): QuadraticSourceSolution | null {
  const h = net.harmonics;
  const nb = net.branches;
  const s = stenotic.length;
  const n = samples;
  const spectra = allocateSpectra(net);
  solveTree(net, qInRe, qInIm, null, null, spectra);
  const q0 = new Float64Array(s * n);
  const tmp = new Float64Array(n);
  for (let a = 0; a < s; a++) {
    const b = stenotic[a]!;
    harmonicsToReal(
      spectra.qRe.subarray(b * h, b * h + h),
      spectra.qIm.subarray(b * h, b * h + h),
      n,
      tmp,
    );
    q0.set(tmp, a * n);
  }
  // Circulant kernels g[a][m][d] = (1/N)·IDFT(G_am)
  const g = new Float64Array(s * s * n);
  const zero = new Float64Array(h);
  const eRe = new Float64Array(nb * h);
  const eIm = new Float64Array(nb * h);
  for (let m = 0; m < s; m++) {
    eRe.fill(0);
    const bm = stenotic[m]!;
    for (let i = 0; i < h; i++) eRe[bm * h + i] = 1;
    solveTree(net, zero, zero, eRe, eIm, spectra);
    for (let a = 0; a < s; a++) {
      const b = stenotic[a]!;
      harmonicsToReal(
        spectra.qRe.subarray(b * h, b * h + h),
        spectra.qIm.subarray(b * h, b * h + h),
        n,
        tmp,
      );
      for (let d = 0; d < n; d++) g[(a * s + m) * n + d] = tmp[d]! / n;
    }
  }
  const size = s * n;
  const q = Float64Array.from(q0);
  const f = new Float64Array(size);
  const jac = new Float64Array(size * size);
  const src = new Float64Array(size);
  let scale = 0;
  for (let i = 0; i < size; i++) scale = Math.max(scale, Math.abs(q0[i]!));
  scale = Math.max(scale, 1e-30);

  const residual = (qq: Float64Array, out: Float64Array): number => {
    for (let m = 0; m < s; m++)
      for (let l = 0; l < n; l++) {
        const v = qq[m * n + l]!;
        src[m * n + l] = k[m]! * Math.abs(v) * v;
      }
    let norm = 0;
    for (let a = 0; a < s; a++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let m = 0; m < s; m++) {
          const base = (a * s + m) * n;
          for (let l = 0; l < n; l++) {
            const d = j - l < 0 ? j - l + n : j - l;
            acc += g[base + d]! * src[m * n + l]!;
          }
        }
        const r = qq[a * n + j]! - q0[a * n + j]! - acc;
        out[a * n + j] = r;
        norm = Math.max(norm, Math.abs(r));
      }
    return norm;
  };

  let norm = residual(q, f);
  const trial = new Float64Array(size);
  const fTrial = new Float64Array(size);
  const step = new Float64Array(size);
  for (let it = 0; it < maxIterations; it++) {
    if (norm <= 1e-12 * scale) return { q, iterations: it, residual: norm };
    // J = I − g·diag(2K|q|)
    for (let a = 0; a < s; a++)
      for (let j = 0; j < n; j++) {
        const row = (a * n + j) * size;
        for (let m = 0; m < s; m++) {
          const base = (a * s + m) * n;
          for (let l = 0; l < n; l++) {
            const d = j - l < 0 ? j - l + n : j - l;
            jac[row + m * n + l] = -g[base + d]! * 2 * k[m]! * Math.abs(q[m * n + l]!);
          }
        }
        jac[row + a * n + j] = jac[row + a * n + j]! + 1;
      }
    for (let i = 0; i < size; i++) step[i] = -f[i]!;
    if (!solveDenseInPlace(jac, step, size)) return null;
    let lambda = 1;
    let accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < size; i++) trial[i] = q[i]! + lambda * step[i]!;
      const nt = residual(trial, fTrial);
      if (nt < norm || nt <= 1e-12 * scale) {
        q.set(trial);
        f.set(fTrial);
        norm = nt;
        accepted = true;
        break;
      }
      lambda /= 2;
    }
    if (!accepted) {
      // No decrease along the Newton direction: converged to rounding, or stuck.
      return norm <= 1e-9 * scale ? { q, iterations: it + 1, residual: norm } : null;
    }
  }
  return norm <= 1e-9 * scale ? { q, iterations: maxIterations, residual: norm } : null;
}
