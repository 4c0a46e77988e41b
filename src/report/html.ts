import { judgementsTable } from './html-judgements.js';
import { gridTable, regionCutsTable } from './html-grid.js';
import { methodLabel, ratios, referenceMethod, sortedMasses } from './derive.js';
import type { RunSummary } from '../evaluate/summary.js';
import { headlineOf, headlineSentences } from '../evaluate/headline.js';

/** One rendered plot as it goes into the page. */
export interface RenderedPlot {
  /** Anchor id in the page (also the PNG stem). */
  id: string;
  /** page section (a heading); plots without one go under 'Plots' */
  section?: string;
  title: string;
  caption: string;
  svg: string;
  /** PNG file name relative to the page. */
  png: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Several inline SVGs share one document: prefix their ids (vega's clip paths and gradients) so that
 * `url(#…)` in one plot never points into another. Drops the XML prolog if any.
 */
export function isolateSvg(svg: string, prefix: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\sid="([^"]+)"/g, ` id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

const num = (v: number, digits = 4): string => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '–');

/** The numbers table: per mass and method σ_min (mean ± s.e., best, common cut), cut, ε, B; ratios. */
export function numbersTable(s: RunSummary): string {
  const ref = referenceMethod(s);
  const others = s.methods.filter((m) => m.name !== ref);
  const refLabel = methodLabel(s.methods.find((m) => m.name === ref)!);
  const ratioByKey = new Map(ratios(s).map((r) => [`${r.mass}|${r.method}`, r]));
  const withValidation = s.masses.some((mp) => Object.values(mp.results).some((r) => r.sigmaMinValidationCut !== undefined));
  const sub = ['σ_min [fb] mean ± s.e.', 'σ_min [fb] best net', ...(withValidation ? ['σ_min [fb] own cut from validation'] : []), 'σ_min [fb] common cut', 'cut', 'ε', 'B [events]'];
  const h1 = ['<th rowspan="2">mass [GeV]</th>', '<th rowspan="2">trained</th>',
    ...s.methods.map((m) => `<th colspan="${sub.length}" class="grp">${escapeHtml(methodLabel(m))} (${m.nNets} net${m.nNets === 1 ? '' : 's'})</th>`),
    ...others.map((m) => `<th rowspan="2">σ_min ratio<br>${escapeHtml(methodLabel(m))} / ${escapeHtml(refLabel)}</th>`)];
  const h2 = s.methods.flatMap(() => sub.map((t, i) => `<th${i === 0 ? ' class="grp"' : ''}>${t}</th>`));
  const rows = sortedMasses(s).map((mp) => {
    const cells = [`<td>${num(mp.mass, 5)}</td>`, `<td>${mp.heldOut ? 'held out' : 'yes'}</td>`];
    for (const m of s.methods) {
      const r = mp.results[m.name];
      cells.push(`<td class="grp">${num(r.sigmaMinMean)} ± ${num(r.sigmaMinSe, 2)}</td>`, `<td>${num(r.sigmaMinBest)}</td>`,
        ...(withValidation ? [`<td>${r.sigmaMinValidationCut === undefined || r.sigmaMinValidationCut === null ? '–' : num(r.sigmaMinValidationCut)}</td>`] : []), `<td>${num(r.sigmaMinCommon)}</td>`,
        `<td>${num(r.cut, 4)}</td>`, `<td>${num(r.efficiency, 3)}</td>`, `<td>${num(r.background, 4)}</td>`);
    }
    for (const m of others) {
      const r = ratioByKey.get(`${mp.mass}|${m.name}`);
      cells.push(r ? `<td class="${r.ratio < 1 ? 'better' : 'worse'}">${r.ratio.toFixed(3)} ± ${r.se.toFixed(3)}</td>` : '<td>–</td>');
    }
    return `<tr class="${mp.heldOut ? 'held' : ''}">${cells.join('')}</tr>`;
  });
  return `<table class="numbers"><thead><tr>${h1.join('')}</tr><tr>${h2.join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** One line per non-reference method: at how many masses it beats the reference, mean ratio. */
function headline(s: RunSummary): string[] {
  const ref = referenceMethod(s);
  const refLabel = methodLabel(s.methods.find((m) => m.name === ref)!);
  const label = (n: string): string => methodLabel(s.methods.find((m) => m.name === n)!);
  const paired = s.methods.filter((m) => m.name !== ref).map((m) => headlineOf(s, { method: m.name, reference: ref }));
  if (paired.length && paired.every((h) => h !== null)) return paired.flatMap((h) => headlineSentences(h!, label).map(escapeHtml));
  const rs = ratios(s);
  return s.methods.filter((m) => m.name !== ref).map((m) => {
    const mine = rs.filter((r) => r.method === m.name);
    const mean = (xs: number[]): string => (xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3) : '–');
    const better = mine.filter((r) => r.ratio < 1).length;
    return `${escapeHtml(methodLabel(m))}: lower σ_min than ${escapeHtml(refLabel)} at ${better} of ${mine.length} masses; ` +
      `mean ratio ${mean(mine.filter((r) => !r.heldOut).map((r) => r.ratio))} (trained), ${mean(mine.filter((r) => r.heldOut).map((r) => r.ratio))} (held out).`;
  });
}

function metaBlock(s: RunSummary): string {
  const m = s.meta;
  const kv = (o: Record<string, number>, unit = ''): string => Object.entries(o).map(([k, v]) => `${escapeHtml(k)} ${num(v, 6)}${unit}`).join(', ') || '–';
  const items: Array<[string, string]> = [
    ['config', escapeHtml(m.configName)], ['seed', String(m.seed)], ['fomlab', escapeHtml(m.fomlabVersion)], ['created', escapeHtml(m.createdAt)],
    ['events', kv(m.events)], ['durations', kv(m.durations, ' s')],
    ['methods', s.methods.map((x) => `${escapeHtml(methodLabel(x))}: ${x.nNets} net${x.nNets === 1 ? '' : 's'}, common cut ${num(x.commonCut)}`).join('; ')],
  ];
  if (m.luminosityFb !== undefined) items.splice(4, 0, ['luminosity', `${num(m.luminosityFb)} fb⁻¹`]);
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

const CSS = `
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
h1{font-size:22px;font-weight:normal;margin-bottom:4px} h2{font-size:17px;font-weight:normal;border-bottom:1px solid #ccc;padding-bottom:3px;margin-top:32px}
.meta{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:13px} .meta dt{color:#666}
.headline{font-size:14px;background:#f4f7fb;border-left:3px solid #1f77b4;padding:6px 10px}
nav a{margin-right:12px;font-size:13px}
figure{margin:16px 0;overflow-x:auto} figure svg{max-width:100%;height:auto} figcaption{font-size:12px;color:#555;margin-top:4px}
table.numbers{border-collapse:collapse;font-size:12px;font-variant-numeric:tabular-nums}
.numbers th,.numbers td{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap} .numbers th{background:#f3f3f3;font-weight:normal}
.numbers .grp{border-left:2px solid #999} .numbers tr.held td{background:#fffbe8}
.numbers td.better{color:#1a7f1a} .numbers td.worse{color:#b22} .numbers tr.chosen td{font-weight:bold}
`;

/** The whole page: inline CSS and SVG only; no scripts, fonts or images from anywhere. */
export function reportHtml(s: RunSummary, plots: RenderedPlot[]): string {
  const fig = (p: RenderedPlot): string => `<figure id="${p.id}">\n${isolateSvg(p.svg, p.id)}\n<figcaption>${escapeHtml(p.caption)} <a href="${escapeHtml(p.png)}">PNG</a></figcaption></figure>`;
  const sections = [...new Set(plots.map((p) => p.section ?? 'Plots'))];
  const figs = sections.map((sec) => `<h2 id="section-${sections.indexOf(sec)}">${escapeHtml(sec)}</h2>\n${plots.filter((p) => (p.section ?? 'Plots') === sec).map(fig).join('\n')}`);
  const nav = [...plots.map((p) => `<a href="#${p.id}">${escapeHtml(p.title)}</a>`), '<a href="#numbers">Numbers</a>'].join('');
  const lines = headline(s);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fomlab report: ${escapeHtml(s.meta.configName)}</title><style>${CSS}</style></head>
<body>
<h1>fomlab report: ${escapeHtml(s.meta.configName)}</h1>
${s.meta.notes ? `<p>${escapeHtml(s.meta.notes)}</p>` : ''}
${metaBlock(s)}
${lines.length ? `<p class="headline">${lines.join('<br>')}</p>` : ''}
<nav>${nav}</nav>
${judgementsTable(s)}
${figs.join('\n')}
<h2 id="numbers">Numbers</h2>
<p style="font-size:12px;color:#555">σ_min in fb: mean ± standard error over the ensemble at the per-mass optimal cut; best net and its cut (on the output after the sigmoid), ε and B at that cut; common cut: ensemble mean at the method's one cut. Held-out masses are shaded.</p>
${numbersTable(s)}
${regionCutsTable(s)}
${gridTable(s)}
</body></html>
`;
}
