import { FomlabError } from '../core/errors.js';
import {
  type SensitivityParams, type SigmaMinForm, DEFAULT_SIGMA_MIN_FORM, asimovDiscovery, asimovExclusion, punziFom, sOverSqrtB, sOverSqrtSB, sigmaMinOf,
} from './fom.js';

/**
 * The figures of merit a search can report (`search.figure`): one registry, so that the cut per
 * hypothesis, the common cut, the trainer's checkpoint choice and the report's headline plots
 * follow one choice. Each is a pure function of one selection's counts:
 * ε (fraction of the generated signal selected, times the signal scale s_sig), S (expected signal
 * events: Σ of the selected signal's weights) and B (expected background events).
 *
 * S/√B and the Asimov discovery Z grow without bound as B → 0: a selection with no expected
 * background (B ≤ 0, where the background MC ran out) gets 0 from them, so that no cut is chosen
 * in an empty corner of the MC (as binned significance drops bins without background).
 */
export interface SelectionCounts {
  eff: number;
  S: number;
  B: number;
}

/** Parameters of the figures: σ_min's a, b, L and form; the Punzi FOM's a/2. */
export interface FigureParams extends SensitivityParams {
  form: SigmaMinForm;
  /** a/2 in the Punzi FOM ε/(a/2 + √B): 1.5 (a = 3 σ) or 1.64 (the dark-photon slides' 95 % one-sided) */
  halfA: number;
}

export const FIGURE_NAMES = ['sigmaMin', 'punziFom', 'sOverSqrtB', 'sOverSqrtSB', 'asimovZ', 'asimovExclusionZ', 'binnedZ'] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

/** A figure of merit with its parameters bound: what the cuts, the trainer and the report use. */
export interface FigureOfMerit {
  name: FigureName;
  /** for titles and table headers, e.g. 'σ_min' or 'Asimov Z' */
  label: string;
  /** e.g. 'fb', '' for a dimensionless figure */
  unit: string;
  better: 'lower' | 'higher';
  /** the figure of one selection (never NaN) */
  of: (c: SelectionCounts) => number;
  /** true when the figure reads S (the selected signal's weights), false when only ε and B */
  usesS: boolean;
  /**
   * binned figures: the selection above the cut is split into this many bins of the output with
   * equal signal; `of` is evaluated per bin and the bins combine in quadrature, Z = √(Σ Z_i²)
   */
  bins?: number;
  /** the plain-data description (for the run summary, the worker threads and the report) */
  spec: FigureSpec;
}

/** A figure as plain data: its name and parameters (what `search.figure` holds after defaults). */
export interface FigureSpec {
  name: FigureName;
  params: FigureParams;
  /** binnedZ: number of equal-signal bins (default 8) */
  bins?: number;
}

export const DEFAULT_FIGURE_PARAMS: Readonly<FigureParams> = Object.freeze({ a: 3, b: 1.28155, lumi: 50, form: DEFAULT_SIGMA_MIN_FORM, halfA: 1.5 });

type Definition = Omit<FigureOfMerit, 'of' | 'spec' | 'bins' | 'usesS'> & { usesS?: boolean } & { of: (c: SelectionCounts, p: FigureParams) => number; binned?: boolean };

const DEFINITIONS: Record<FigureName, Definition> = {
  /** seed paper eq. 9 (form 'paper') or Punzi 2003 (form 'improved') */
  sigmaMin: { name: 'sigmaMin', label: 'σ_min', unit: 'fb', better: 'lower', of: (c, p) => sigmaMinOf(p.form, c.eff, c.B, p) },
  /** Punzi 2003 simple FOM ε/(a/2 + √B) */
  punziFom: { name: 'punziFom', label: 'Punzi FOM ε/(a/2+√B)', unit: '', better: 'higher', of: (c, p) => punziFom(c.eff, c.B, 2 * p.halfA) },
  sOverSqrtB: { name: 'sOverSqrtB', usesS: true, label: 'S/√B', unit: '', better: 'higher', of: (c) => (c.B > 0 ? sOverSqrtB(c.S, c.B) : 0) },
  sOverSqrtSB: { name: 'sOverSqrtSB', usesS: true, label: 'S/√(S+B)', unit: '', better: 'higher', of: (c) => sOverSqrtSB(c.S, c.B) },
  /** Cowan et al. 2011 eq. 97 */
  asimovZ: { name: 'asimovZ', usesS: true, label: 'Asimov discovery Z', unit: '', better: 'higher', of: (c) => (c.B > 0 ? asimovDiscovery(c.S, c.B) : 0) },
  /** thesis eq. 3.27 */
  asimovExclusionZ: { name: 'asimovExclusionZ', usesS: true, label: 'Asimov exclusion Z', unit: '', better: 'higher', of: (c) => asimovExclusion(c.S, c.B) },
  /** Asimov discovery Z per equal-signal output bin above the cut, in quadrature (seed 001 §3.3) */
  binnedZ: { name: 'binnedZ', usesS: true, label: 'binned Asimov Z', unit: '', better: 'higher', of: (c) => (c.B > 0 ? asimovDiscovery(c.S, c.B) : 0), binned: true },
};

/** The figure named in `spec`, its parameters bound; an unknown name is an error naming `search.figure`. */
export function figureOf(spec: Partial<FigureSpec> & { name?: FigureName } = {}): FigureOfMerit {
  const name = spec.name ?? 'sigmaMin';
  const d = DEFINITIONS[name];
  if (!d) throw new FomlabError(`search.figure must be one of ${FIGURE_NAMES.join(', ')}, got '${String(name)}'`);
  const params: FigureParams = { ...DEFAULT_FIGURE_PARAMS, ...(spec.params ?? {}) };
  const bins = d.binned ? spec.bins ?? 8 : undefined;
  if (bins !== undefined && !(Number.isInteger(bins) && bins >= 1 && bins <= 255)) throw new FomlabError(`search.figure.bins must be an integer 1…255, got ${bins}`);
  return {
    name, label: d.label, unit: d.unit, better: d.better, of: (c) => d.of(c, params), usesS: d.usesS ?? false,
    ...(bins !== undefined ? { bins } : {}),
    spec: { name, params, ...(bins !== undefined ? { bins } : {}) },
  };
}

/** σ_min with the given sensitivity parameters: the default figure. */
export function sigmaMinFigure(p: SensitivityParams = DEFAULT_FIGURE_PARAMS, form: SigmaMinForm = DEFAULT_SIGMA_MIN_FORM): FigureOfMerit {
  return figureOf({ name: 'sigmaMin', params: { ...DEFAULT_FIGURE_PARAMS, a: p.a, b: p.b, lumi: p.lumi, form } });
}

/** true when `x` is a better value of the figure than `y` */
export function isBetter(f: Pick<FigureOfMerit, 'better'>, x: number, y: number): boolean {
  return f.better === 'lower' ? x < y : x > y;
}

/** the worst possible value: where a search starts before any cut is seen */
export function worstValue(f: Pick<FigureOfMerit, 'better'>): number {
  return f.better === 'lower' ? Infinity : -Infinity;
}

/**
 * How much worse `value` is than `best` (≥ 1, capped at `cap`): value/best for a lower-better
 * figure, best/value for a higher-better one. The common cut minimises its mean over masses.
 */
export function relativeLoss(f: Pick<FigureOfMerit, 'better'>, value: number, best: number, cap = 1e3): number {
  const r = f.better === 'lower' ? value / best : best / value;
  if (r !== r) return value === best ? 1 : cap; // ∞/∞ or 0/0
  return Math.min(r, cap);
}
