import type { Vec3 } from '../core/index.js';
import type { Landmark } from '../protocol/index.js';
import type { Random } from './random.js';
import { LABEL } from './tissues.js';
import type { Tissue } from './tissues.js';

/**
 * One solid of the body phantom: an ellipsoid, or an elliptic cylinder along its local z axis.
 * Solids are painted in order (later ones overwrite earlier ones), so a body is built outside in.
 */
export interface Primitive {
  readonly shape: 'ellipsoid' | 'cylinder';
  readonly tissue: Tissue;
  /** Centre, LPS, in millimetres. */
  readonly centre: Vec3;
  /** Semi-axes along the local x, y, z axes, in millimetres; for a cylinder z is the half-length. */
  readonly radii: Vec3;
  /** Local x, y, z axes as orthonormal LPS unit vectors; the patient axes when omitted. */
  readonly axes?: readonly [Vec3, Vec3, Vec3];
}

/** A participant's phantom: its solids and where its landmarks lie. */
export interface BodyModel {
  /** Solids in painting order. */
  readonly primitives: readonly Primitive[];
  /** Landmark positions, LPS, in millimetres. */
  readonly landmarks: Readonly<Record<Landmark, Vec3>>;
  /** Unit vector of the left-ventricular long axis, from base to apex (LPS). */
  readonly heartLongAxis: Vec3;
}

/** Body measurements the phantom is scaled by. */
export interface Anthropometry {
  /** Body height, in metres. */
  readonly heightM: number;
  /** Body weight, in kilograms. */
  readonly weightKg: number;
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const normalize = (a: Vec3): Vec3 => scale(a, 1 / Math.hypot(a[0], a[1], a[2]));
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Vector helpers shared with the slice geometry. */
export const vec3 = { add, sub, scale, dot, cross, normalize };

/** Any unit vector perpendicular to the unit vector `w`. */
function perpendicular(w: Vec3): Vec3 {
  const helper: Vec3 = Math.abs(w[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  return normalize(cross(helper, w));
}

function ellipsoid(
  tissue: Tissue,
  centre: Vec3,
  radii: Vec3,
  axes?: readonly [Vec3, Vec3, Vec3],
): Primitive {
  return axes === undefined
    ? { shape: 'ellipsoid', tissue, centre, radii }
    : { shape: 'ellipsoid', tissue, centre, radii, axes };
}

function cylinder(
  tissue: Tissue,
  centre: Vec3,
  radii: readonly [number, number],
  halfLength: number,
): Primitive {
  return { shape: 'cylinder', tissue, centre, radii: [radii[0], radii[1], halfLength] };
}

/** A round cylinder from `p0` to `p1` of radius `r` (vessels, long bones, limbs). */
function segment(tissue: Tissue, p0: Vec3, p1: Vec3, radius: number): Primitive {
  // Inner layers (muscle under thick fat) can come out thin or negative for extreme BMIs.
  const r = Math.max(2, radius);
  const axis = sub(p1, p0);
  const length = Math.hypot(axis[0], axis[1], axis[2]);
  const w = scale(axis, 1 / length);
  const u = perpendicular(w);
  return {
    shape: 'cylinder',
    tissue,
    centre: scale(add(p0, p1), 0.5),
    radii: [r, r, length / 2],
    axes: [u, cross(w, u), w],
  };
}

/**
 * Builds a participant's body phantom from simple solids, in patient coordinates (DICOM LPS:
 * +x patient left, +y posterior, +z head), in millimetres, with the origin at the jugular notch
 * (top of the sternum) on the midline.
 *
 * @remarks
 * Proportions are those of a 1.75 m adult (heights as fractions of stature after Drillis &
 * Contini 1966, "Body segment parameters", NYU report 1166-03): vertical positions scale with
 * height, girth with √(BMI / 24), subcutaneous fat thickness with BMI. Small per-participant
 * jitter (head size, heart axis, organ sizes) keeps participants distinct. The model is coarse on
 * purpose: it puts the right tissue at the right landmark with plausible contrasts, so that QA
 * (region, SNR, contrast) and pipeline tests have a known truth.
 */
export function buildBodyModel(body: Anthropometry, random: Random): BodyModel {
  const sz = body.heightM / 1.75;
  const bmi = body.weightKg / (body.heightM * body.heightM);
  const sw = clamp(Math.sqrt(bmi / 24), 0.85, 1.35);
  const fat = clamp(8 + 2.2 * (bmi - 20), 5, 45); // subcutaneous fat of the trunk, in mm
  const limbGirth = 0.8 + 0.2 * sw;
  const hs = (0.93 + 0.07 * sz) * random.uniform(0.97, 1.03);
  const organ = (): number => random.uniform(0.92, 1.08);
  const p: Primitive[] = [];

  // Head: centre of the skull-and-face ellipsoid; internal offsets scale with head size.
  const hc: Vec3 = [0, 10, 185 * sz];
  const h = (dx: number, dy: number, dz: number): Vec3 => [
    hc[0] + dx * hs,
    hc[1] + dy * hs,
    hc[2] + dz * hs,
  ];
  const hr = (a: number, b: number, c: number): Vec3 => [a * hs, b * hs, c * hs];
  p.push(ellipsoid('fat', hc, hr(80, 100, 112)));
  p.push(ellipsoid('muscle', h(0, -20, -60), hr(62, 72, 52)));
  p.push(ellipsoid('bone', h(0, 3, 25), hr(74, 93, 88)));
  p.push(ellipsoid('csf', h(0, 5, 30), hr(70, 88, 80)));
  p.push(ellipsoid('grey-matter', h(0, 5, 31), hr(66, 84, 76)));
  p.push(ellipsoid('white-matter', h(0, 4, 35), hr(52, 68, 58)));
  for (const s of [-1, 1]) p.push(ellipsoid('csf', h(11 * s, 0, 38), hr(6, 26, 11)));
  p.push(ellipsoid('grey-matter', h(0, 42, -28), hr(46, 27, 21)));
  p.push(cylinder('white-matter', h(0, 20, -45), [11 * hs, 11 * hs], 30 * hs));
  for (const s of [-1, 1]) p.push(ellipsoid('fluid', h(32 * s, -72, -5), hr(12, 12, 12)));
  const brain = h(0, 4, 35);

  // Neck: fat, muscle, airway, cervical spine with cord, carotid and jugular vessels.
  const neckGirth = 0.7 + 0.3 * sw;
  const zNeck = 55 * sz;
  p.push(cylinder('fat', [0, 15, zNeck], [55 * neckGirth, 58 * neckGirth], 60 * sz));
  p.push(
    cylinder(
      'muscle',
      [0, 15, zNeck],
      [55 * neckGirth - 0.6 * fat, 58 * neckGirth - 0.6 * fat],
      60 * sz,
    ),
  );
  p.push(cylinder('air', [0, -18, zNeck], [9, 8], 60 * sz));
  p.push(cylinder('marrow', [0, 22, 60 * sz], [10, 10], 70 * sz));
  p.push(cylinder('csf', [0, 38, 60 * sz], [7, 7], 70 * sz));
  p.push(cylinder('spinal-cord', [0, 38, 60 * sz], [4, 4], 70 * sz));
  const zBif = zNeck + random.uniform(-6, 6);
  for (const s of [-1, 1]) {
    const cca0: Vec3 = [22 * s, -5, -10 * sz];
    const bif: Vec3 = [22 * s, -5, zBif];
    const ica: Vec3 = [25 * s, 5, zBif + 55];
    const eca: Vec3 = [18 * s, -15, zBif + 45];
    p.push(segment('blood', [34 * s, 0, -10 * sz], [34 * s, 2, 110 * sz], 6));
    // Vessel walls (muscle-like) around each lumen, so black-blood images show a wall.
    p.push(segment('muscle', cca0, bif, 5.6), segment('blood', cca0, bif, 4.5));
    p.push(segment('muscle', bif, ica, 4.2), segment('blood', bif, ica, 3.2));
    p.push(segment('muscle', bif, eca, 3.3), segment('blood', bif, eca, 2.5));
  }
  const carotidBifurcation: Vec3 = [0, -5, zBif];

  // Trunk: shoulders, subcutaneous fat, muscle wall; the body cavity's half-width and half-depth.
  const W = Math.max(90, 160 * sw - fat);
  const D = Math.max(60, 105 * sw - fat);
  const kx = clamp(W / 140, 0.85, 1.25);
  const ky = clamp(D / 85, 0.85, 1.25);
  p.push(ellipsoid('fat', [0, 5, -35 * sz], [185 * sw, 95 * sw, 50 * sz]));
  p.push(cylinder('fat', [0, 0, -320 * sz], [160 * sw, 105 * sw], 300 * sz));
  p.push(ellipsoid('muscle', [0, 5, -35 * sz], [185 * sw - fat, 95 * sw - fat, 50 * sz - 5]));
  p.push(cylinder('muscle', [0, 0, -320 * sz], [W, D], 300 * sz - 5));
  // Arms, alongside the trunk as in a supine whole-body examination.
  for (const s of [-1, 1]) {
    const xa = s * (160 * sw + 42 * limbGirth);
    const shoulder: Vec3 = [xa, 5, -40 * sz];
    const elbow: Vec3 = [xa, 5, -330 * sz];
    const wrist: Vec3 = [xa, -15, -600 * sz];
    p.push(
      segment('fat', shoulder, elbow, 40 * limbGirth),
      segment('muscle', shoulder, elbow, 40 * limbGirth - 0.8 * fat),
    );
    p.push(segment('bone', shoulder, elbow, 12), segment('marrow', shoulder, elbow, 7));
    p.push(
      segment('fat', elbow, wrist, 32 * limbGirth),
      segment('muscle', elbow, wrist, 32 * limbGirth - 0.7 * fat),
    );
    p.push(segment('bone', elbow, wrist, 9));
  }
  // Bowel fills the abdominal cavity; everything later (spine, vessels, organs) is painted over it.
  p.push(ellipsoid('bowel', [0, -10 * ky, -430 * sz], [0.85 * W, 0.8 * D, 130 * sz]));
  // Lungs, then the thoracolumbar spine with discs, cord and canal.
  for (const s of [-1, 1])
    p.push(ellipsoid('lung', [s * 0.47 * W, 0.15 * D, -135 * sz], [0.4 * W, 0.72 * D, 125 * sz]));
  const spineY = 50 * ky;
  p.push(cylinder('marrow', [0, spineY, -280 * sz], [17, 15], 280 * sz));
  for (let k = 0; k < 17; k++)
    p.push(cylinder('disc', [0, spineY, -(25 + 30 * k) * sz], [17, 15], 4 * sz));
  p.push(cylinder('csf', [0, spineY + 22, -250 * sz], [8, 7], 250 * sz));
  p.push(cylinder('spinal-cord', [0, spineY + 22, -170 * sz], [4.5, 4], 170 * sz));

  // Heart: a left ventricle along its long axis (base → apex: left, anterior, inferior), with
  // pericardial fat, the right ventricle in front of it and the left atrium behind its base.
  const heart: Vec3 = [22 * kx, -22 * ky, -150 * sz];
  const u = normalize([
    0.55 + random.uniform(-0.08, 0.08),
    -0.45 + random.uniform(-0.08, 0.08),
    -0.7 + random.uniform(-0.08, 0.08),
  ]);
  const e1 = normalize(cross([0, 0, 1], u));
  const e2 = cross(u, e1);
  const toRv = normalize(sub([-1, -1, 0], scale(u, dot([-1, -1, 0], u))));
  const hsz = organ();
  p.push(ellipsoid('fat', heart, [48 * hsz, 48 * hsz, 64 * hsz], [e1, e2, u]));
  p.push(
    ellipsoid(
      'blood',
      add(add(heart, scale(toRv, 26 * hsz)), scale(u, -4)),
      [15 * hsz, 30 * hsz, 42 * hsz],
      [toRv, cross(u, toRv), u],
    ),
  );
  p.push(ellipsoid('myocardium', heart, [36 * hsz, 36 * hsz, 54 * hsz], [e1, e2, u]));
  p.push(
    ellipsoid('blood', add(heart, scale(u, -6 * hsz)), [24 * hsz, 24 * hsz, 44 * hsz], [e1, e2, u]),
  );
  p.push(ellipsoid('blood', add(add(heart, scale(u, -58 * hsz)), [0, 20, 0]), [24, 20, 20]));
  // Great vessels: ascending aorta, arch, descending aorta; inferior vena cava.
  const aoRoot: Vec3 = [10 * kx, -10 * ky, -175 * sz];
  const aoTop: Vec3 = [8 * kx, -15 * ky, -95 * sz];
  const aoBack: Vec3 = [30 * kx, 34 * ky, -95 * sz];
  p.push(segment('blood', aoRoot, aoTop, 14), segment('blood', aoTop, aoBack, 13));
  p.push(segment('blood', aoBack, [28 * kx, 34 * ky, -470 * sz], 12));
  p.push(segment('blood', [-25 * kx, 22 * ky, -200 * sz], [-22 * kx, 26 * ky, -480 * sz], 11));

  // Abdomen: solid organs, kidneys and gallbladder over the bowel.
  const liver: Vec3 = [-58 * kx, 0, -250 * sz];
  const ls = organ();
  p.push(ellipsoid('liver', liver, [80 * ls, 72 * ls, 80 * ls * sz]));
  p.push(ellipsoid('liver', [-5 * kx, -35 * ky, -225 * sz], [50 * ls, 30 * ls, 38 * ls]));
  p.push(ellipsoid('fluid', [-40 * kx, -50 * ky, -300 * sz], [14, 14, 30]));
  p.push(ellipsoid('spleen', [88 * kx, 35 * ky, -235 * sz], [32 * organ(), 40, 55]));
  for (const s of [-1, 1]) {
    // The right kidney (−x) lies lower, under the liver.
    p.push(
      ellipsoid(
        'kidney',
        [s * 68 * kx, 45 * ky, (s < 0 ? -312 : -300) * sz],
        [28, 24, 55 * organ()],
      ),
    );
  }
  // Pelvis: iliac wings, sacrum, femoral heads, bladder.
  for (const s of [-1, 1]) {
    p.push(ellipsoid('marrow', [s * 100 * kx, 35 * ky, -450 * sz], [16, 55, 55]));
    p.push(ellipsoid('marrow', [s * 88 * kx, 10, -560 * sz], [24, 24, 24]));
  }
  p.push(ellipsoid('marrow', [0, 70 * ky, -510 * sz], [42, 18, 50]));
  p.push(ellipsoid('fluid', [0, -35 * ky, -560 * sz], [45, 35, 35]));

  // Legs: thighs with femur, knees (condyles, plateau, cartilage, patella, joint fluid), lower legs.
  const legX = 97 * (0.9 + 0.1 * sw);
  for (const s of [-1, 1]) {
    const x = s * legX;
    const hip: Vec3 = [s * 90 * kx, 5, -560 * sz];
    const zKnee = -955 * sz;
    // The thigh tapers towards the knee: a wide upper and a narrower lower segment.
    const midThigh: Vec3 = [(hip[0] + x) / 2, 5, (hip[2] + zKnee) / 2];
    p.push(segment('fat', hip, midThigh, 78 * limbGirth));
    p.push(segment('fat', midThigh, [x, 5, zKnee + 25], 62 * limbGirth));
    p.push(segment('muscle', hip, midThigh, 78 * limbGirth - 0.8 * fat));
    p.push(segment('muscle', midThigh, [x, 5, zKnee + 25], 62 * limbGirth - 0.8 * fat));
    p.push(
      segment('bone', hip, [x, 8, zKnee + 40], 13),
      segment('marrow', hip, [x, 8, zKnee + 40], 8),
    );
    // The lower leg before the knee, so that the tibial plateau is painted over it.
    const ankle: Vec3 = [x, 15, -1380 * sz];
    p.push(segment('fat', [x, 10, zKnee - 5], ankle, 55 * limbGirth));
    p.push(segment('muscle', [x, 10, zKnee - 5], ankle, 55 * limbGirth - 0.7 * fat));
    p.push(segment('bone', [x, -5, zKnee - 45], [x, -5, -1380 * sz], 14));
    p.push(segment('marrow', [x, -5, zKnee - 45], [x, -5, -1380 * sz], 9));
    p.push(ellipsoid('fat', [x, 2, zKnee + 5], [60 * limbGirth, 58 * limbGirth, 70]));
    p.push(ellipsoid('fluid', [x, -28, zKnee + 70], [24, 7, 22]));
    p.push(ellipsoid('fluid', [x, 10, zKnee - 2], [38, 28, 3]));
    p.push(ellipsoid('cartilage', [x, 10, zKnee + 28], [42.5, 32.5, 30.5]));
    p.push(ellipsoid('marrow', [x, 10, zKnee + 28], [40, 30, 28]));
    p.push(ellipsoid('cartilage', [x, 12, zKnee - 31], [42.5, 32.5, 30.5]));
    p.push(ellipsoid('marrow', [x, 12, zKnee - 31], [40, 30, 28]));
    p.push(ellipsoid('cartilage', [x, -44, zKnee + 30], [23, 10, 22]));
    p.push(ellipsoid('marrow', [x, -48, zKnee + 30], [21, 8, 20]));
  }

  return {
    primitives: p,
    landmarks: {
      brain,
      'carotid-bifurcation': carotidBifurcation,
      heart,
      trunk: [0, 0, -230 * sz],
      abdomen: [0, 0, -330 * sz],
      liver,
      'lumbar-spine': [0, spineY, -420 * sz],
      'knee-right': [-legX, 10, -955 * sz],
    },
    heartLongAxis: u,
  };
}

/** Floats per packed primitive; see {@link packPrimitives}. */
export const PRIMITIVE_STRIDE = 16;

/**
 * Packs primitives for the rasterizer, 16 floats each: shape (0 ellipsoid, 1 cylinder), label,
 * centre x, y, z, bounding radius, then the 3×3 matrix `M = diag(1/radii) · axesᵀ` row by row
 * (which maps a patient-space offset from the centre into the solid's unit sphere or unit
 * cylinder), then one unused float.
 */
export function packPrimitives(primitives: readonly Primitive[]): Float64Array {
  const out = new Float64Array(primitives.length * PRIMITIVE_STRIDE);
  primitives.forEach((prim, i) => {
    const o = i * PRIMITIVE_STRIDE;
    const [a, b, c] = prim.axes ?? [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const [rx, ry, rz] = prim.radii;
    out[o] = prim.shape === 'ellipsoid' ? 0 : 1;
    out[o + 1] = LABEL[prim.tissue];
    out[o + 2] = prim.centre[0];
    out[o + 3] = prim.centre[1];
    out[o + 4] = prim.centre[2];
    out[o + 5] =
      prim.shape === 'ellipsoid' ? Math.max(rx, ry, rz) : Math.hypot(Math.max(rx, ry), rz);
    out.set(
      [
        a[0] / rx,
        a[1] / rx,
        a[2] / rx,
        b[0] / ry,
        b[1] / ry,
        b[2] / ry,
        c[0] / rz,
        c[1] / rz,
        c[2] / rz,
      ],
      o + 6,
    );
  });
  return out;
}
