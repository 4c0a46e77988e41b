import { escapeHtml } from './html.js';
import { labelOf } from './specs-classifier.js';
import type { RunSummary } from '../evaluate/summary.js';

const num = (v: number | null | undefined, digits = 3): string => (v !== null && v !== undefined && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '–');

/** One row per method: the headline judgements (AUC, Z vs threshold, binned Z, sculpting, DisCo, KS p). */
export function judgementsTable(s: RunSummary): string {
  const j = s.judgements;
  if (!j || j.methods.length === 0) return '';
  const wps = j.methods[0].zCurve.workingPoints.map((w) => w.threshold);
  const head = ['method', 'AUC', 'max Z (threshold)', ...wps.map((t) => `Z at ${t}`), 'Z area', 'R10 %', 'binned Z', 'sculpting', 'DisCo', 'KS p signal', 'KS p background'];
  const rows = j.methods.map((m) => {
    const z = m.zCurve;
    const cells = [
      escapeHtml(labelOf(s, m.method)), num(m.roc.auc, 4), `${num(z.maxZ)} (${num(z.thresholdAtMax)})`, ...wps.map((t) => num(z.workingPoints.find((w) => w.threshold === t)?.z)),
      num(z.area), num(z.r10, 2), num(m.binned?.z), num(m.sculpting?.meanStd), num(m.sculpting?.disco), num(m.overtraining?.signal.pValue), num(m.overtraining?.background.pValue),
    ];
    return `<tr>${cells.map((c, i) => (i === 0 ? `<td style="text-align:left">${c}</td>` : `<td>${c}</td>`)).join('')}</tr>`;
  });
  return `<h2 id="judgements">Judgements (test split)</h2>
<p style="font-size:12px;color:#555">Events in any hypothesis window; Z: Asimov discovery significance of the weighted S, B above the threshold (0 where N_S or N_B &lt; 10); R10 %: fraction of thresholds with Z ≥ 0.9 max Z; binned Z: 8 equal-signal output bins in quadrature; sculpting: mean spread of the background mass shape across 5 output bins; DisCo: distance correlation of output and mass (background); KS p: training vs test output (${escapeHtml(j.methods[0].overtraining?.test ?? 'not computed')}).</p>
<table class="numbers"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
