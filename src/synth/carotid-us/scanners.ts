/** How grey levels are shown: stored grey (MONOCHROME2), or RGB with a grey or tinted map. */
export type ColourMap = 'grey' | 'rgb-grey' | 'sepia' | 'blue';

/**
 * A synthetic ultrasound system: the display layout its screen captures have. Names and
 * layouts are invented; they imitate the variety of vendor screens (canvas size, where the
 * image sits, a parameter table on the right, a grey bar, frames).
 */
export interface UltrasoundScanner {
  readonly key: string;
  readonly manufacturer: string;
  readonly model: string;
  /** Canvas (the stored image) size, in pixels. */
  readonly columns: number;
  readonly rows: number;
  /** Margins around the imaging region, in pixels (the right one holds the parameter table). */
  readonly marginTop: number;
  readonly marginLeft: number;
  readonly marginRight: number;
  readonly marginBottom: number;
  /** Colour maps this system stores its images with, one drawn per image. */
  readonly colourMaps: readonly ColourMap[];
  /** Linear-array transducer name and its centre frequency range, MHz. */
  readonly transducer: string;
  readonly frequencyMHz: readonly [number, number];
  /** Whether a frame is drawn around the imaging region. */
  readonly regionFrame: boolean;
  /** Whether a title bar (institution, date: text-like blocks) runs along the top. */
  readonly titleBar: boolean;
}

/** The systems of the synthetic cohort; each patient is examined on one, chosen by the seed. */
export const ULTRASOUND_SCANNERS: readonly UltrasoundScanner[] = [
  {
    key: 'sonora-x9',
    manufacturer: 'Sonora Medical',
    model: 'X9 Vascular',
    columns: 1024,
    rows: 768,
    marginTop: 72,
    marginLeft: 48,
    marginRight: 260,
    marginBottom: 40,
    colourMaps: ['grey', 'rgb-grey', 'sepia'],
    transducer: 'L12-4',
    frequencyMHz: [7, 11],
    regionFrame: false,
    titleBar: true,
  },
  {
    key: 'echovia-m5',
    manufacturer: 'Echovia',
    model: 'M5',
    columns: 800,
    rows: 600,
    marginTop: 56,
    marginLeft: 36,
    marginRight: 200,
    marginBottom: 32,
    colourMaps: ['rgb-grey', 'blue', 'grey'],
    transducer: 'LA523',
    frequencyMHz: [6, 10],
    regionFrame: true,
    titleBar: true,
  },
  {
    key: 'acustica-p3',
    manufacturer: 'Acustica',
    model: 'P3 Portable',
    columns: 640,
    rows: 480,
    marginTop: 40,
    marginLeft: 24,
    marginRight: 150,
    marginBottom: 24,
    colourMaps: ['grey', 'sepia'],
    transducer: 'L7.5',
    frequencyMHz: [6, 9],
    regionFrame: true,
    titleBar: false,
  },
  {
    key: 'vistason-e8',
    manufacturer: 'Vistason',
    model: 'E8 Expert',
    columns: 960,
    rows: 720,
    marginTop: 64,
    marginLeft: 60,
    marginRight: 230,
    marginBottom: 48,
    colourMaps: ['blue', 'rgb-grey', 'grey'],
    transducer: '9L-D',
    frequencyMHz: [8, 12],
    regionFrame: false,
    titleBar: true,
  },
];
