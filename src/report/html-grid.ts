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
