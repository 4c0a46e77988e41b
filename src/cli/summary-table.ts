import type { RunSummary } from '../api/report.js';
import { headlineOf, headlineSentences } from '../api/evaluate.js';

/** A short table of σ_min per mass for the terminal (every k-th mass when there are many). */
export function printSummary(s: RunSummary): void {
  const methods = s.methods.map((m) => m.name);
  const masses = [...s.masses].sort((a, b) => a.mass - b.mass);
  const step = Math.max(1, Math.ceil(masses.length / 12));
  const ref = s.reference ?? methods[0];
  // the search's figure beside σ_min when it is another one (search.figure)
  const fig = s.meta.figure && s.meta.figure.name !== 'sigmaMin' ? s.meta.figure : null;
  const figHead = fig ? methods.map((m) => `${fig.label} ${m}${fig.unit ? ` [${fig.unit}]` : ''}`) : [];
  const others = methods.filter((n) => n !== ref);
  const head = ['m [GeV]', ...methods.map((m) => `σ_min ${m} [fb]`), ...others.map((n) => (others.length > 1 ? `${n}/${ref}` : 'ratio')), ...figHead];
  const rows = masses.filter((_, i) => i % step === 0).map((m) => {
    const cells = [`${m.mass.toFixed(2)}${m.heldOut ? '*' : ' '}`, ...methods.map((n) => fmt(m.results[n].sigmaMinMean, m.results[n].sigmaMinSe))];
    for (const n of others) cells.push((m.results[n].sigmaMinMean / m.results[ref].sigmaMinMean).toFixed(3));
    if (fig) for (const n of methods) { const r = m.results[n]; cells.push(typeof r.figureMean === 'number' ? fmt(r.figureMean, r.figureSe ?? 0) : '–'); }
    return cells;
  });
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]): string => r.map((c, j) => c.padStart(widths[j])).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  // with per-net results: where each method helps and where not, with standard errors, and the common cut both ways
  const headlines = methods.filter((n) => n !== ref).map((n) => headlineOf(s, { method: n, reference: ref }));
  if (headlines.length && headlines.every((h) => h !== null)) {
    const label = (n: string): string => { const m = s.methods.find((x) => x.name === n); return m?.label ?? n; };
    console.log('(* held out)');
    for (const h of headlines) for (const sentence of headlineSentences(h!, label)) console.log(sentence);
    return;
  }
  if (methods.length > 1) {
    const last = methods[methods.length - 1];
    const better = masses.filter((m) => m.results[last].sigmaMinMean < m.results[ref].sigmaMinMean).length;
    console.log(`(* held out)  ${last} below ${ref} at ${better} of ${masses.length} masses`);
  }
  for (const m of s.methods) {
    const pts = masses.filter((p) => typeof p.results[m.name].sigmaMinValidationCut === 'number');
    if (!pts.length) continue;
    const loss = pts.reduce((a, p) => a + p.results[m.name].sigmaMinCommon / p.results[m.name].sigmaMinValidationCut!, 0) / pts.length - 1;
    console.log(`${m.name}: one common cut (${m.commonCut.toFixed(3)}) vs per-mass cuts, both chosen on validation: ${loss >= 0 ? '+' : ''}${(loss * 100).toFixed(1)} % σ_min on average`);
  }
  if (s.grid) {
    const g = s.grid, p = g.points[g.chosen];
    console.log(`grid search (${g.points.length} points, ${g.validation}): chose ${Object.entries(p.point).map(([k, v]) => `${k} = ${v}`).join(', ')}, ${g.label} ${p.mean?.toPrecision(4)} ± ${p.std?.toPrecision(2)}`);
  }
  if (s.regionCuts) {
    const r = s.regionCuts;
    const wins = r.masses.filter((m) => m.regional !== null && m.fixed !== null && (r.better === 'higher' ? m.regional > m.fixed : m.regional < m.fixed)).length;
    console.log(`cut ${r.fixedCut} vs one cut per region (${r.regionCuts.map((c) => (c === null ? '–' : c.toFixed(3))).join(', ')}; edges ${r.edges.join(', ')} GeV): the region cuts give a better ${r.label} at ${wins} of ${r.masses.length} masses (test split)`);
  }
}

function fmt(v: number, se: number): string {
  return se > 0 ? `${v.toPrecision(3)} ± ${se.toPrecision(2)}` : v.toPrecision(3);
}
