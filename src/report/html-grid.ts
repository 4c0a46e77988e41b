import type { RunSummary } from '../evaluate/summary.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const num = (v: number | null, digits = 5): string => (v === null ? '–' : Number(v.toPrecision(digits)).toString());

/** The grid search's table (training.grid): every point, its validation number mean ± std over the folds; the chosen point marked. */
export function gridTable(s: RunSummary): string {
  const g = s.grid;
  if (!g || g.points.length === 0) return '';
  const keys = Object.keys(g.points[0].point);
  const head = [...keys, `${g.label} mean ± std (${g.better} is better)`, 'per fold'].map((k) => `<th>${esc(k)}</th>`).join('');
  const rows = g.points.map((p, i) => {
    const cells = [...keys.map((k) => esc(String(p.point[k]))), `${num(p.mean)} ± ${num(p.std, 2)}`, p.folds.map((v) => num(v, 4)).join(', ')];
    return `<tr${i === g.chosen ? ' class="chosen"' : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<h2 id="grid">Grid search</h2>
<p style="font-size:12px;color:#555">${esc(g.validation)}; chosen by ${esc(g.label)} (bold), then trained on the whole training split.</p>
<table class="numbers"><thead><tr>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** A fixed output cut against one cut per mass region (models with regions): the figure per mass on the test split. */
export function regionCutsTable(s: RunSummary): string {
  const g = s.regionCuts;
  if (!g) return '';
  const range = (r: number): string => `${r === 0 ? '' : `${g.edges[r - 1]} ≤ `}m${r === g.edges.length ? '' : ` < ${g.edges[r]}`} GeV`;
  const better = (a: number | null, b: number | null): boolean => a !== null && b !== null && (g.better === 'higher' ? a > b : a < b);
  const wins = g.masses.filter((m) => better(m.regional, m.fixed)).length;
  const rows = [...g.masses].sort((a, b) => a.mass - b.mass).map((m) =>
    `<tr><td>${num(m.mass)}</td><td>${esc(range(m.region))}</td><td>${num(g.regionCuts[m.region], 4)}</td><td>${num(m.fixed, 4)}</td><td class="${better(m.regional, m.fixed) ? 'better' : 'worse'}">${num(m.regional, 4)}</td></tr>`);
  return `<h2 id="region-cuts">Cut at ${g.fixedCut} against one cut per region</h2>
<p style="font-size:12px;color:#555">${esc(g.label)} on the test split (${g.better} is better); each region's cut chosen on the validation split (best geometric mean over its masses). The per-region cut is better at ${wins} of ${g.masses.length} masses.</p>
<table class="numbers"><thead><tr><th>mass [GeV]</th><th>region</th><th>region cut</th><th>${esc(g.label)} at ${g.fixedCut}</th><th>${esc(g.label)} at the region cut</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
