import type { MassPoint, MethodInfo, RunSummary } from '../evaluate/summary.js';

/** logit(p) = ln(p / (1 − p)); the cut on the sigmoid output expressed before the sigmoid. */
export function logit(p: number): number {
  const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  return Math.log(q / (1 - q));
}

/** The method ratios divide by: `summary.reference`, else 'BCE' if present, else the first. */
export function referenceMethod(s: RunSummary): string {
  if (s.reference) return s.reference;
  return s.methods.some((m) => m.name === 'BCE') ? 'BCE' : s.methods[0].name;
}

export function methodLabel(m: MethodInfo): string {
  return m.label ?? m.name;
}

/** Mass points sorted by mass. */
export function sortedMasses(s: RunSummary): MassPoint[] {
  return [...s.masses].sort((a, b) => a.mass - b.mass);
}

export interface RatioPoint {
  mass: number;
  heldOut: boolean;
  method: string;
  /** σ_min(method)/σ_min(reference), ensemble means. */
  ratio: number;
  /** Standard error of the ratio from the two standard errors (independent ensembles). */
  se: number;
}

/** Ratio of each non-reference method to the reference per mass (given ones preferred). */
export function ratios(s: RunSummary): RatioPoint[] {
  const ref = referenceMethod(s);
  const out: RatioPoint[] = [];
  for (const mp of sortedMasses(s)) {
    const b = mp.results[ref];
    for (const m of s.methods) {
      if (m.name === ref) continue;
      const a = mp.results[m.name];
      const derived = b.sigmaMinMean > 0 ? a.sigmaMinMean / b.sigmaMinMean : NaN;
      const ratio = mp.ratio?.[m.name] ?? derived;
      const rel = Math.hypot(a.sigmaMinMean > 0 ? a.sigmaMinSe / a.sigmaMinMean : 0, b.sigmaMinMean > 0 ? b.sigmaMinSe / b.sigmaMinMean : 0);
      if (Number.isFinite(ratio)) out.push({ mass: mp.mass, heldOut: mp.heldOut, method: m.name, ratio, se: Math.abs(ratio) * rel });
    }
  }
  return out;
}

/** A file-name-safe slug of a name ('Punzi net' → 'punzi-net'). */
export function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'x';
}

/** True when positive values span at least `decades` decades (→ use a log axis). */
export function spansDecades(values: number[], decades = 1): boolean {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length < 2) return false;
  return Math.log10(Math.max(...pos) / Math.min(...pos)) >= decades;
}
