import type { Random } from './random.js';

/** An imaging site of the synthetic cohort, with the identity its scanner writes into headers. */
export interface Site {
  /** Short site code, also the prefix of Patient IDs, e.g. `AUG`. */
  readonly siteId: string;
  /** City of the site. */
  readonly city: string;
  /** Postcode of the site's city. */
  readonly postcode: string;
  /** Institution Name (0008,0080). */
  readonly institutionName: string;
  /** Institution Address (0008,0081); fictitious street, real city. */
  readonly institutionAddress: string;
  /** Station Name (0008,1010). */
  readonly stationName: string;
  /** The scanner's DICOM AE title (Source Application Entity Title, 0002,0016). */
  readonly aeTitle: string;
  /** Device Serial Number (0018,1000). */
  readonly deviceSerialNumber: string;
  /** Imaging Frequency (0018,0084), in megahertz. */
  readonly imagingFrequencyMHz: number;
  /** Software Versions (0018,1020). */
  readonly softwareVersions: string;
  /** Multiplies every series' noise σ at this site (coil and scanner differences), dimensionless. */
  readonly noiseFactor: number;
  /** Operators (MTRA) of the site, DICOM PN (family^given). */
  readonly operators: readonly string[];
  /** Radiologists of the site, DICOM PN. */
  readonly physicians: readonly string[];
}

/**
 * The five MR study centres of the NAKO (Augsburg, Berlin, Essen, Mannheim, Neubrandenburg; see
 * nako.de, "MRI examination"), each with one 3 T MAGNETOM Skyra as in Bamberg et al. 2015.
 * Station names, serial numbers, addresses and staff are invented.
 */
const SITE_CITIES = [
  { siteId: 'AUG', city: 'Augsburg', postcode: '86156', serial: '45101' },
  { siteId: 'BER', city: 'Berlin', postcode: '13125', serial: '45102' },
  { siteId: 'ESS', city: 'Essen', postcode: '45147', serial: '45103' },
  { siteId: 'MAN', city: 'Mannheim', postcode: '68167', serial: '45104' },
  { siteId: 'NBG', city: 'Neubrandenburg', postcode: '17033', serial: '45105' },
] as const;

/** Most frequent German family names (several with umlauts or ß, to exercise character sets). */
const FAMILY_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
  'Schmitz',
  'Krause',
  'Meier',
  'Lehmann',
  'Köhler',
  'Herrmann',
  'König',
  'Walter',
  'Mayer',
  'Huber',
  'Kaiser',
  'Fuchs',
  'Peters',
  'Möller',
  'Weiß',
  'Jung',
  'Hahn',
  'Schubert',
  'Vogel',
  'Friedrich',
  'Keller',
  'Günther',
  'Frank',
  'Berger',
  'Winkler',
  'Roth',
  'Beck',
  'Lorenz',
  'Baumann',
  'Franke',
  'Albrecht',
  'Böhm',
  'Winter',
  'Krämer',
  'Vogt',
  'Jäger',
  'Otto',
  'Sommer',
  'Groß',
  'Seidel',
  'Heinrich',
  'Brandt',
  'Haas',
  'Kühn',
  'Engel',
  'Horn',
  'Busch',
  'Bergmann',
  'Voigt',
  'Sauer',
  'Arnold',
  'Pfeiffer',
  'Lübke',
] as const;

const GIVEN_NAMES = {
  F: [
    'Anna',
    'Maria',
    'Ursula',
    'Monika',
    'Petra',
    'Elisabeth',
    'Sabine',
    'Renate',
    'Helga',
    'Karin',
    'Brigitte',
    'Ingrid',
    'Erika',
    'Andrea',
    'Gisela',
    'Claudia',
    'Susanne',
    'Gabriele',
    'Christa',
    'Jutta',
    'Birgit',
    'Heike',
    'Martina',
    'Katrin',
    'Stefanie',
    'Julia',
    'Jana',
    'Lena',
    'Sophie',
    'Bärbel',
  ],
  M: [
    'Peter',
    'Michael',
    'Thomas',
    'Andreas',
    'Wolfgang',
    'Klaus',
    'Jürgen',
    'Günter',
    'Stefan',
    'Christian',
    'Uwe',
    'Werner',
    'Horst',
    'Frank',
    'Dieter',
    'Manfred',
    'Gerhard',
    'Hans',
    'Bernd',
    'Torsten',
    'Jörg',
    'Matthias',
    'Ralf',
    'Sven',
    'Jan',
    'Tobias',
    'Lukas',
    'Björn',
    'Götz',
    'René',
  ],
} as const;

const STREETS = [
  'Hauptstraße',
  'Schulstraße',
  'Gartenweg',
  'Lindenallee',
  'Bahnhofstraße',
  'Am Mühlbach',
  'Birkenweg',
  'Schillerstraße',
] as const;

/** A random German-style person name in DICOM PN form, `Family^Given`. */
export function personName(random: Random, sex: 'F' | 'M'): string {
  return `${random.pick(FAMILY_NAMES)}^${random.pick(GIVEN_NAMES[sex])}`;
}

/** A fictitious street address in `city`. */
export function streetAddress(random: Random, postcode: string, city: string): string {
  return `${random.pick(STREETS)} ${1 + random.int(120)}, ${postcode} ${city}, DE`;
}

/** The first `count` sites (1–5), with invented but stable scanner identities. */
export function makeSites(count: number, random: (siteId: string) => Random): Site[] {
  return SITE_CITIES.slice(0, count).map(({ siteId, city, postcode, serial }) => {
    const r = random(siteId);
    return {
      siteId,
      city,
      postcode,
      institutionName: `Studienzentrum ${city}`,
      institutionAddress: `Musterstraße ${1 + r.int(90)}, ${postcode} ${city}, DE`,
      stationName: `MRC${serial}`,
      aeTitle: `${siteId}_SKYRA`,
      deviceSerialNumber: serial,
      // Skyra: 2.89 T nominal, so the ¹H frequency is about 123.2 MHz; each magnet differs slightly.
      imagingFrequencyMHz: Math.round(r.uniform(123.2, 123.26) * 1e6) / 1e6,
      softwareVersions: 'syngo MR E11',
      noiseFactor: Math.round(r.uniform(0.9, 1.1) * 1000) / 1000,
      operators: [0, 1, 2].map((i) => personName(r, i % 2 === 0 ? 'F' : 'M')),
      physicians: [0, 1].map((i) => personName(r, i === 0 ? 'M' : 'F')),
    };
  });
}
