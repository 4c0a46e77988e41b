import { readFileSync } from 'node:fs';
import { FomlabError } from '../core/errors.js';

/**
 * A mass-resolution table: per generated mass, the width σ of the scanned variable at that mass.
 * The seed study's `width.txt` (punzinet) gives σ of the recoil mass² in GeV² per Z′ mass in MeV
 * (its header says GeV, the values are MeV: 100 … 10300). fomlab works in GeV, so masses are
 * converted on reading (`massUnit`); σ is kept as given (GeV² for a mass² table).
 */
export interface ResolutionTable {
  /** generated masses in GeV, strictly ascending */
  mass: Float64Array;
  /** width at each mass (GeV² for the seed table: σ of M²) */
  sigma: Float64Array;
  /** uncertainty of the width (same unit), NaN when the table has no third column */
  sigmaError: Float64Array;
  /** what the width is the width of */
  of: 'mass' | 'mass2';
  /** where the table came from, for messages */
  source: string;
}

export interface ResolutionTableOptions {
  /** unit of the first column (default MeV, as in the seed table) */
  massUnit?: 'MeV' | 'GeV';
  /** the width is of the mass or of the mass squared (default mass2, as in the seed table) */
  of?: 'mass' | 'mass2';
  source?: string;
}

/**
 * Parse a whitespace- or tab-separated table `mass sigma [sigmaError]`; lines that do not start
 * with a number (headers, `#` comments) are skipped. Masses must be strictly ascending.
 */
export function parseResolutionTable(text: string, opts: ResolutionTableOptions = {}): ResolutionTable {
  const source = opts.source ?? 'resolution table';
  const scale = (opts.massUnit ?? 'MeV') === 'MeV' ? 1e-3 : 1;
  const m: number[] = [], s: number[] = [], e: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/[\s,;]+/);
    const mass = Number(parts[0]);
    if (!Number.isFinite(mass) || parts[0] === '') continue; // header
    const sigma = Number(parts[1]);
    if (parts.length < 2 || !Number.isFinite(sigma) || sigma < 0) {
      throw new FomlabError(`${source}, line ${li + 1}: expected 'mass sigma [error]' with sigma ≥ 0, got '${line}'`);
    }
    if (m.length && mass * scale <= m[m.length - 1]) {
      throw new FomlabError(`${source}, line ${li + 1}: masses must be strictly ascending (${mass} after ${m[m.length - 1] / scale})`);
    }
    m.push(mass * scale);
    s.push(sigma);
    e.push(parts.length > 2 ? Number(parts[2]) : NaN);
  }
  if (m.length === 0) throw new FomlabError(`${source}: no rows 'mass sigma [error]' found`);
  return { mass: Float64Array.from(m), sigma: Float64Array.from(s), sigmaError: Float64Array.from(e), of: opts.of ?? 'mass2', source };
}

/** Read a resolution table from a file (see `parseResolutionTable`). */
export function readResolutionTable(path: string, opts: ResolutionTableOptions = {}): ResolutionTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FomlabError(`cannot read the resolution table '${path}': ${(err as Error).message}`);
  }
  return parseResolutionTable(text, { ...opts, source: opts.source ?? path });
}

/**
 * Width at `massGeV`, linearly interpolated between the two neighbouring rows. A mass outside
 * the table is an error naming the mass and the table's range (no extrapolation).
 */
export function resolutionAt(table: ResolutionTable, massGeV: number): number {
  const { mass, sigma } = table;
  const n = mass.length;
  const tol = 1e-9 * Math.max(1, Math.abs(massGeV));
  if (!(massGeV >= mass[0] - tol && massGeV <= mass[n - 1] + tol)) {
    throw new FomlabError(
      `${table.source}: mass hypothesis ${fmt(massGeV)} GeV is outside the resolution table's range ${fmt(mass[0])}–${fmt(mass[n - 1])} GeV`,
    );
  }
  if (n === 1 || massGeV <= mass[0]) return sigma[0];
  if (massGeV >= mass[n - 1]) return sigma[n - 1];
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (mass[mid] <= massGeV) lo = mid;
    else hi = mid;
  }
  const t = (massGeV - mass[lo]) / (mass[hi] - mass[lo]);
  return sigma[lo] + t * (sigma[hi] - sigma[lo]);
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}
