/**
 * Bessel functions of the first kind, orders 0 and 1, of a complex argument, and the Womersley
 * factors built on them. Hot numeric code: plain doubles, results written into a caller's array.
 *
 * Two evaluations, each where it is accurate:
 * - the power series `J0(z) = Σ (−z²/4)^k / (k!)²`, `J1(z) = (z/2) Σ (−z²/4)^k / (k! (k+1)!)`
 *   (Abramowitz & Stegun 9.1.10). Its terms grow to about `e^|z|` while the sum is about
 *   `e^|Im z|`, so it loses `(|z| − |Im z|) / ln 10` digits; it is used where that loss is small;
 * - Hankel's asymptotic expansion (A&S 9.2.5, 9.2.9, 9.2.10) `Jν(z) = √(2/(πz)) (P cos χ − Q sin χ)`,
 *   `χ = z − (ν/2 + 1/4)π`, for large `|z|` (truncated at its smallest term, whose size is about
 *   `e^(−2|z|)`).
 */

/** `|z|` below which the series is always used (cancellation at most e^12 ≈ 1.6e5). */
const SERIES_ALWAYS = 12;
/** Beyond {@link SERIES_ALWAYS}, the series is still used while `|z| − |Im z|` stays below this. */
const SERIES_CANCELLATION = 6;
/** Largest `|z|` given to the series (its term count grows with `|z|`). */
const SERIES_MAX = 30;
/** Womersley α at and above which the asymptotic expansion is used (series loss e^(0.29α) ≈ 360 at 20). */
export const WOMERSLEY_ASYMPTOTIC_ALPHA = 20;

const SQRT1_2 = Math.SQRT1_2;

/** Scratch for the Hankel expansion: [J0re, J0im, J1re, J1im] scaled by e^(−|Im z|). */
const hankelScratch = new Float64Array(4);

/**
 * Power series of J0 and J1 at `z = re + i·im`; `out` = [Re J0, Im J0, Re J1, Im J1].
 */
function seriesJ01(re: number, im: number, out: Float64Array): void {
  // x = −z²/4
  const xr = -(re * re - im * im) / 4;
  const xi = -(2 * re * im) / 4;
  const xAbs = Math.hypot(xr, xi);
  let t0r = 1;
  let t0i = 0; // (x^k)/(k!)²
  let t1r = 1;
  let t1i = 0; // (x^k)/(k!(k+1)!)
  let s0r = 1;
  let s0i = 0;
  let s1r = 1;
  let s1i = 0;
  for (let k = 1; k < 400; k++) {
    const a0 = 1 / (k * k);
    const a1 = 1 / (k * (k + 1));
    let tr = (t0r * xr - t0i * xi) * a0;
    t0i = (t0r * xi + t0i * xr) * a0;
    t0r = tr;
    tr = (t1r * xr - t1i * xi) * a1;
    t1i = (t1r * xi + t1i * xr) * a1;
    t1r = tr;
    s0r += t0r;
    s0i += t0i;
    s1r += t1r;
    s1i += t1i;
    // Terms grow while k² < |x|; stop once past that and negligible.
    if (
      k * k > xAbs &&
      Math.abs(t0r) + Math.abs(t0i) <= 1e-17 * (Math.abs(s0r) + Math.abs(s0i)) &&
      Math.abs(t1r) + Math.abs(t1i) <= 1e-17 * (Math.abs(s1r) + Math.abs(s1i))
    )
      break;
  }
  out[0] = s0r;
  out[1] = s0i;
  // J1 = (z/2)·s1
  const hr = re / 2;
  const hi = im / 2;
  out[2] = hr * s1r - hi * s1i;
  out[3] = hr * s1i + hi * s1r;
}

/**
 * Hankel's expansion of J0 and J1 for `Re z ≥ 0`, scaled by `e^(−|Im z|)` so that it cannot
 * overflow; `out` = [Re J0, Im J0, Re J1, Im J1] × e^(−|Im z|).
 */
function hankelJ01Scaled(re: number, im: number, out: Float64Array): void {
  // 1/z
  const d = re * re + im * im;
  const ir = re / d;
  const ii = -im / d;
  for (let nu = 0; nu <= 1; nu++) {
    const mu = 4 * nu * nu;
    // term_k = a_k(ν) / z^k, a_k = Π_{j≤k}(μ − (2j−1)²) / (k! 8^k)
    let tr = 1;
    let ti = 0;
    let pr = 1;
    let pi = 0;
    let qr = 0;
    let qi = 0;
    let last = Infinity;
    for (let k = 1; k < 200; k++) {
      const f = (mu - (2 * k - 1) * (2 * k - 1)) / (8 * k);
      const nr = (tr * ir - ti * ii) * f;
      ti = (tr * ii + ti * ir) * f;
      tr = nr;
      const size = Math.abs(tr) + Math.abs(ti);
      if (size >= last) break; // asymptotic: stop at the smallest term
      last = size;
      // P = Σ (−1)^m a_2m / z^2m, Q = Σ (−1)^m a_(2m+1) / z^(2m+1)
      const sign = (k >> 1) % 2 === 0 ? 1 : -1;
      if (k % 2 === 0) {
        pr += sign * tr;
        pi += sign * ti;
      } else {
        qr += sign * tr;
        qi += sign * ti;
      }
      if (size < 1e-17) break;
    }
    // χ = z − (ν/2 + 1/4)π; cos χ and sin χ scaled by e^(−|Im χ|)
    const cx = re - (nu / 2 + 0.25) * Math.PI;
    const cy = im;
    const ay = Math.abs(cy);
    const e2 = Math.exp(-2 * ay);
    const ch = (1 + e2) / 2; // cosh(y)·e^(−|y|)
    const sh = (Math.sign(cy) * (1 - e2)) / 2; // sinh(y)·e^(−|y|)
    const cosr = Math.cos(cx) * ch;
    const cosi = -Math.sin(cx) * sh;
    const sinr = Math.sin(cx) * ch;
    const sini = Math.cos(cx) * sh;
    // P cos χ − Q sin χ
    const br = pr * cosr - pi * cosi - (qr * sinr - qi * sini);
    const bi = pr * cosi + pi * cosr - (qr * sini + qi * sinr);
    // √(2/(πz)), principal branch
    const modulus = Math.sqrt(2 / (Math.PI * Math.sqrt(d)));
    const half = -Math.atan2(im, re) / 2;
    const sr = modulus * Math.cos(half);
    const si = modulus * Math.sin(half);
    out[2 * nu] = sr * br - si * bi;
    out[2 * nu + 1] = sr * bi + si * br;
  }
}

/**
 * J0(z) and J1(z) for a complex `z = re + i·im`, written to `out` as [Re J0, Im J0, Re J1, Im J1].
 *
 * @remarks
 * Relative accuracy about 1e-12 where `|z| − |Im z|` is small (the Womersley arguments), about
 * 1e-10 on the real axis near `|z| = 12`. Overflows to ±Infinity beyond `|Im z| ≈ 700`.
 */
export function besselJ01(re: number, im: number, out: Float64Array): void {
  const r = Math.hypot(re, im);
  if (
    r <= SERIES_ALWAYS ||
    (r <= SERIES_MAX && r - Math.abs(im) <= SERIES_CANCELLATION) ||
    !Number.isFinite(r)
  ) {
    seriesJ01(re, im, out);
    return;
  }
  // J0 is even and J1 odd: reflect into Re z ≥ 0, where the expansion holds.
  const flip = re < 0 ? -1 : 1;
  hankelJ01Scaled(flip * re, flip * im, hankelScratch);
  const scale = Math.exp(Math.abs(im));
  out[0] = hankelScratch[0]! * scale;
  out[1] = hankelScratch[1]! * scale;
  out[2] = flip * hankelScratch[2]! * scale;
  out[3] = flip * hankelScratch[3]! * scale;
}

/**
 * Womersley factors of a rigid tube at Womersley number `alpha` (Womersley 1955; the notation of
 * cardiovascular.md §3.4, `Λ = i^(3/2)·α`, `F10 = 2 J1(Λ) / (Λ J0(Λ))`), written to `out`:
 *
 * - `out[0..1]`: longitudinal impedance per unit length over its Poiseuille value,
 *   `Z'(α) / (8μ/(πR⁴))` with `Z' = iωρ / (πR² (1 − F10))` (→ 1 as α → 0);
 * - `out[2..3]`: wall shear stress per unit flow over the Poiseuille value,
 *   `τ_n / (4μQ_n/(πR³))` with `τ = −μ ∂u/∂r` at the wall (→ 1);
 * - `out[4..5]`: centreline velocity over the mean velocity, `u_cl / ū` (→ 2).
 *
 * @remarks
 * Below {@link WOMERSLEY_ASYMPTOTIC_ALPHA} the three ratios come from series in `x = iα²/4` that
 * are already divided by their leading power (`J0/(2D̃)`, `S1/(2D̃)`, `C̃/D̃` with
 * `S1 = 2J1/Λ = Σ x^k/(k!(k+1)!)`, `C̃ = (J0 − 1)/x = Σ x^k/((k+1)!)²`,
 * `D̃ = (J0 − S1)/x = Σ x^k/(k!(k+2)!)`), so they stay exact to the last digit as α → 0 where
 * `1 − F10` would cancel. Above it, from Hankel's expansion.
 */
export function womersleyFactors(alpha: number, out: Float64Array): void {
  if (alpha < WOMERSLEY_ASYMPTOTIC_ALPHA) womersleyFactorsSeries(alpha, out);
  else womersleyFactorsAsymptotic(alpha, out);
}

/** {@link womersleyFactors} by the scaled power series (any α, accurate below about 25). */
export function womersleyFactorsSeries(alpha: number, out: Float64Array): void {
  const beta = (alpha * alpha) / 4; // x = iβ
  // term of J0: x^k/(k!)²; S1: x^k/(k!(k+1)!); C̃: x^k/((k+1)!)²; D̃: x^k/(k!(k+2)!)
  let ar = 1;
  let ai = 0;
  let br = 1;
  let bi = 0;
  let cr = 1;
  let ci = 0;
  let dr = 0.5;
  let di = 0;
  let j0r = 1;
  let j0i = 0;
  let s1r = 1;
  let s1i = 0;
  let ctr = 1;
  let cti = 0;
  let dtr = 0.5;
  let dti = 0;
  for (let k = 1; k < 400; k++) {
    // multiply by iβ: (u + iv)·iβ = −vβ + iuβ, then divide by the factorial step
    let f = beta / (k * k);
    let t = -ai * f;
    ai = ar * f;
    ar = t;
    f = beta / (k * (k + 1));
    t = -bi * f;
    bi = br * f;
    br = t;
    f = beta / ((k + 1) * (k + 1));
    t = -ci * f;
    ci = cr * f;
    cr = t;
    f = beta / (k * (k + 2));
    t = -di * f;
    di = dr * f;
    dr = t;
    j0r += ar;
    j0i += ai;
    s1r += br;
    s1i += bi;
    ctr += cr;
    cti += ci;
    dtr += dr;
    dti += di;
    if (
      k * k > beta &&
      Math.abs(ar) + Math.abs(ai) <= 1e-17 * (Math.abs(j0r) + Math.abs(j0i)) &&
      Math.abs(dr) + Math.abs(di) <= 1e-17 * (Math.abs(dtr) + Math.abs(dti))
    )
      break;
  }
  // 1/(2D̃)
  const dd = 2 * (dtr * dtr + dti * dti);
  const inr = dtr / dd;
  const ini = -dti / dd;
  out[0] = j0r * inr - j0i * ini;
  out[1] = j0r * ini + j0i * inr;
  out[2] = s1r * inr - s1i * ini;
  out[3] = s1r * ini + s1i * inr;
  // C̃/D̃ = 2·C̃/(2D̃)
  out[4] = 2 * (ctr * inr - cti * ini);
  out[5] = 2 * (ctr * ini + cti * inr);
}

/** {@link womersleyFactors} by Hankel's expansion (accurate for α above about 12). */
export function womersleyFactorsAsymptotic(alpha: number, out: Float64Array): void {
  // J0 is even, J1 odd, and F10 = 2J1(Λ)/(ΛJ0(Λ)) is even: evaluate at z = −Λ = α·e^(−iπ/4).
  const zr = alpha * SQRT1_2;
  const zi = -alpha * SQRT1_2;
  hankelJ01Scaled(zr, zi, hankelScratch);
  const j0r = hankelScratch[0]!;
  const j0i = hankelScratch[1]!;
  const j1r = hankelScratch[2]!;
  const j1i = hankelScratch[3]!;
  // F10 = 2 J1 / (z J0)
  const wr = zr * j0r - zi * j0i;
  const wi = zr * j0i + zi * j0r;
  const wd = wr * wr + wi * wi;
  const fr = (2 * (j1r * wr + j1i * wi)) / wd;
  const fi = (2 * (j1i * wr - j1r * wi)) / wd;
  // 1/(1 − F10)
  const gr0 = 1 - fr;
  const gi0 = -fi;
  const gd = gr0 * gr0 + gi0 * gi0;
  const gr = gr0 / gd;
  const gi = -gi0 / gd;
  // −Λ²/8 = iα²/8
  const c = (alpha * alpha) / 8;
  out[0] = -c * gi;
  out[1] = c * gr;
  // (iα²/8)·F10/(1 − F10)
  const hr = fr * gr - fi * gi;
  const hi = fr * gi + fi * gr;
  out[2] = -c * hi;
  out[3] = c * hr;
  // 1/J0 = e^(−|Im z|)/J̃0 (underflows harmlessly to 0 for large α)
  const jd = j0r * j0r + j0i * j0i;
  const sc = Math.exp(-alpha * SQRT1_2);
  const invr = (sc * j0r) / jd;
  const invi = (-sc * j0i) / jd;
  // (1 − 1/J0)/(1 − F10)
  const ur = 1 - invr;
  const ui = -invi;
  out[4] = ur * gr - ui * gi;
  out[5] = ur * gi + ui * gr;
}
