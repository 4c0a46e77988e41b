import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../core/atomic.js';
import { methodLabel, slug } from './derive.js';
import { reportHtml } from './html.js';
import type { RenderedPlot } from './html.js';
import { renderSvg, svgToPng } from './render.js';
import { judgementPlots, type PlotPlan } from './plan-judgements.js';
import { outputSpec, trainingSpec } from './specs-curves.js';
import { ratioSpec, sigmaMinSpec } from './specs-mass.js';
import { commonCutSpec, variantLossSpec } from './specs-paper.js';
import { importanceSpec } from './specs-importance.js';
import type { RunSummary } from '../evaluate/summary.js';
import type { AttributionSummary } from '../evaluate/judgement-summary.js';
import { attributionSpec } from './specs-attributions.js';
import { parseRunSummary } from './validate.js';

export type * from '../evaluate/summary.js';
export { RUN_SUMMARY_SCHEMA } from '../evaluate/summary.js';
export { parseRunSummary, readRunSummary } from './validate.js';
export { hasPngFont } from './render.js';

/** The bar plot of `fomlab explain` as PNG bytes (the report draws the same in its Inputs section). */
export async function attributionPng(a: AttributionSummary): Promise<Uint8Array> {
  return svgToPng(await renderSvg(attributionSpec(a)));
}

/** The file name of the report page inside the output folder. */
export const REPORT_HTML = 'index.html';

/** Page sections in order; plots keep their order within a section. */
const SECTIONS = ['Sensitivity', 'Classifier performance', 'Mass sculpting', 'Overtraining', 'Training', 'Output distributions', 'Feature importance', 'Inputs'];

/** Every plot the report shows, in page order (vega-lite specs). */
export function reportPlots(s: RunSummary): PlotPlan[] {
  const plots: PlotPlan[] = [{ id: 'sigma-min', section: 'Sensitivity', title: 'σ_min vs mass', caption: 'σ_min vs hypothesis mass per method, ensemble mean ± standard error (paper fig. 4).', spec: sigmaMinSpec(s) }];
  const ratio = ratioSpec(s);
  if (ratio) plots.push({ id: 'ratio', section: 'Sensitivity', title: 'Ratio', caption: 'σ_min ratio to the reference method per mass.', spec: ratio });
  const common = commonCutSpec(s);
  if (common) plots.push({ id: 'common-cut', section: 'Sensitivity', title: 'Common cut', caption: "σ_min of each fine-tuned method at its one common cut against the reference's best cut per mass (paper fig. 7); both cuts chosen on validation, judged on test.", spec: common });
  plots.push(...judgementPlots(s));
  const variants = variantLossSpec(s);
  if (variants) plots.push({ id: 'variant-loss', section: 'Training', title: 'Variants\' loss', caption: 'Training and validation loss per epoch of the methods that share a loss, e.g. unbatched and batched Punzi-nets (paper fig. 2).', spec: variants });
  const used = new Set(plots.map((p) => p.id));
  const unique = (id: string): string => {
    let u = id;
    for (let k = 2; used.has(u); k++) u = `${id}-${k}`;
    used.add(u);
    return u;
  };
  for (const h of s.history) {
    const m = s.methods.find((x) => x.name === h.method)!;
    plots.push({
      id: unique(`training-${slug(h.method)}-${slug(h.stage)}`), section: 'Training', title: `Training ${methodLabel(m)} / ${h.stage}`,
      caption: `Loss, validation figure of merit and learning rate per epoch (${methodLabel(m)}, stage ${h.stage}).`, spec: trainingSpec(s, h),
    });
  }
  for (const d of s.outputs) {
    const m = s.methods.find((x) => x.name === d.method)!;
    plots.push({
      id: unique(`output-${slug(d.method)}`), section: 'Output distributions', title: `Output ${methodLabel(m)}`,
      caption: `Distribution of the network output before the last sigmoid (${methodLabel(m)}), with the optimal cut per mass (paper figs. 5–6).`, spec: outputSpec(s, d),
    });
  }
  for (const imp of s.importances ?? []) {
    const m = s.methods.find((x) => x.name === imp.method)!;
    plots.push({
      id: unique(`importance-${slug(imp.method)}`), section: 'Feature importance', title: `Importance ${methodLabel(m)}`,
      caption: `Feature importances of the ${methodLabel(m)} boosted trees: splits, total gain and cover per feature (XGBoost's get_score), mean |TreeSHAP| over ${imp.shapEvents} test events.`,
      spec: importanceSpec(imp, methodLabel(m)),
    });
  }
  const rank = (p: PlotPlan): number => SECTIONS.indexOf(p.section);
  return plots.map((p, k) => ({ p, k })).sort((a, b) => rank(a.p) - rank(b.p) || a.k - b.k).map((x) => x.p);
}

/**
 * Writes `outDir/index.html` (self-contained: inline CSS and SVG, no network) and one PNG per plot.
 * Everything is rendered in memory first; each file is written atomically, the page last, and on
 * any failure the files this call already wrote are removed, so no half report stays behind.
 */
export async function writeReport(summary: RunSummary, outDir: string): Promise<{ html: string; pngs: string[] }> {
  const s = parseRunSummary(summary, 'RunSummary');
  const rendered: Array<RenderedPlot & { bytes: Uint8Array }> = [];
  for (const p of reportPlots(s)) {
    const svg = await renderSvg(p.spec);
    rendered.push({ id: p.id, section: p.section, title: p.title, caption: p.caption, svg, png: `${p.id}.png`, bytes: svgToPng(svg) });
  }
  const page = reportHtml(s, rendered);
  const html = join(outDir, REPORT_HTML);
  const written: string[] = [];
  try {
    for (const r of rendered) {
      const path = join(outDir, r.png);
      writeFileAtomically(path, r.bytes);
      written.push(path);
    }
    writeFileAtomically(html, page);
  } catch (e) {
    for (const w of written) rmSync(w, { force: true });
    throw e;
  }
  return { html, pngs: written };
}
