import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomically } from '../core/atomic.js';
import { escapeHtml } from '../report/html.js';
import { readRunSummary } from '../report/validate.js';
import type { JobState } from './job.js';
import type { SweepJob } from './sweep.js';

/** One row of the sweep's table: a job and its headline figure per method. */
export interface SweepRow {
  id: string;
  label: string;
  settings: Record<string, unknown>;
  state: JobState;
  /**
   * per method: σ_min in fb averaged over the run's mass hypotheses (ensemble means at the
   * per-mass optimal cut, the seed study's headline), and the search's own figure when it is
   * another one
   */
  sigmaMin: Record<string, number>;
  figure?: { label: string; unit: string; values: Record<string, number | null> };
  /** report of the job, relative to the sweep folder (absent without one) */
  report?: string;
}

export const SWEEP_SUMMARY_SCHEMA = 'fomlab.sweep-summary/1';

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The job's row from its RUN/summary.json (no numbers when it did not finish). */
export function sweepRow(dir: string, job: SweepJob, state: JobState): SweepRow {
  const row: SweepRow = { id: job.id, label: job.label, settings: job.settings, state, sigmaMin: {} };
  const file = join(job.runDir, 'summary.json');
  if (state !== 'done' || !existsSync(file)) return row;
  const s = readRunSummary(file);
  for (const m of s.methods) row.sigmaMin[m.name] = mean(s.masses.map((p) => p.results[m.name].sigmaMinMean));
  const fig = s.meta.figure;
  if (fig && fig.name !== 'sigmaMin') {
    const values: Record<string, number | null> = {};
    for (const m of s.methods) {
      const v = s.masses.map((p) => p.results[m.name].figureMean).filter((x): x is number => typeof x === 'number');
      values[m.name] = v.length ? mean(v) : null;
    }
    row.figure = { label: fig.label, unit: fig.unit, values };
  }
  const html = join(job.runDir, 'report', 'index.html') /* report/index.ts REPORT_HTML (not imported: it loads vega) */;
  if (existsSync(html)) row.report = relative(dir, html);
  return row;
}

function methodsOf(rows: SweepRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.sigmaMin)))];
}

/** The table for the terminal: job, label, σ_min per method. */
export function sweepTable(rows: SweepRow[]): string {
  const methods = methodsOf(rows);
  const head = ['job', 'settings', 'state', ...methods.map((m) => `σ_min ${m} [fb]`)];
  const cells = rows.map((r) => [r.id, r.label, r.state, ...methods.map((m) => (r.sigmaMin[m] === undefined ? '–' : r.sigmaMin[m].toPrecision(4)))]);
  const widths = head.map((h, j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  return [head, ...cells].map((c) => c.map((x, j) => (j < 3 ? x.padEnd(widths[j]) : x.padStart(widths[j]))).join('  ')).join('\n');
}

/** Writes DIR/summary.json (the rows) and DIR/index.html (the table, linking each job's report). */
export function writeSweepSummary(dir: string, title: string, rows: SweepRow[]): { json: string; html: string } {
  const json = join(dir, 'summary.json');
  writeFileAtomically(json, `${JSON.stringify({ schema: SWEEP_SUMMARY_SCHEMA, title, rows }, null, 1)}\n`);
  const methods = methodsOf(rows);
  const best = Object.fromEntries(methods.map((m) => [m, Math.min(...rows.map((r) => r.sigmaMin[m] ?? Infinity))]));
  const body = rows.map((r) => {
    const nums = methods.map((m) => {
      const v = r.sigmaMin[m];
      return `<td class="num${v === best[m] ? ' best' : ''}">${v === undefined ? '–' : v.toPrecision(4)}</td>`;
    });
    const settings = Object.entries(r.settings).map(([k, v]) => `${escapeHtml(k)} = ${escapeHtml(JSON.stringify(v))}`).join('<br>');
    const link = r.report ? `<a href="${escapeHtml(r.report)}">report</a>` : '–';
    return `<tr><td>${r.id}</td><td>${settings || 'base config'}</td><td>${r.state}</td>${nums.join('')}<td>${link}</td></tr>`;
  });
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}td.num{text-align:right;font-variant-numeric:tabular-nums}td.best{font-weight:bold;background:#e8f4e8}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${rows.length} jobs; σ_min in fb averaged over each run's mass hypotheses (ensemble mean at the per-mass optimal cut); lowest per method in bold.</p>
<table><tr><th>job</th><th>settings</th><th>state</th>${methods.map((m) => `<th>σ_min ${escapeHtml(m)} [fb]</th>`).join('')}<th>report</th></tr>
${body.join('\n')}
</table></body></html>
`;
  const htmlPath = join(dir, 'index.html');
  writeFileAtomically(htmlPath, html);
  return { json, html: htmlPath };
}
