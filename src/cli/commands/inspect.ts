import { FomlabError } from '../../api/core.js';
import { summarizeFile, type FileSummary } from '../../api/data.js';
import type { Command } from '../main.js';

const FORMAT_NAMES = { root: 'ROOT', parquet: 'Parquet', arrow: 'Arrow IPC', csv: 'CSV' } as const;

/** A number for a table cell: integers with thousands separators, others with 5 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e7 || a < 1e-4)) return v.toExponential(4);
  const r = Number(v.toPrecision(5));
  return a >= 1000 ? r.toLocaleString('en-US', { maximumFractionDigits: 5 }) : String(r);
}

function table(rows: string[][], rightAligned: boolean[]): string[] {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, j) => (rightAligned[j] ? cell.padStart(widths[j]) : cell.padEnd(widths[j])))
      .join('  ')
      .trimEnd(),
  );
}

export function renderSummary(s: FileSummary): string {
  const lines = [`${s.path} (${FORMAT_NAMES[s.format]})`];
  for (const t of s.trees) {
    lines.push('', `${t.name ? `tree '${t.name}': ` : ''}${formatNumber(t.entries)} entries, ${t.columns.length} columns`);
    const rows: string[][] = [['column', 'type', 'count', 'min', 'max', 'mean', 'NaN']];
    const notes = new Map<number, string>();
    const tails = new Map<number, string>();
    for (const c of t.columns) {
      const m = c.summary;
      if (m) rows.push([c.name, c.type, formatNumber(m.count), formatNumber(m.min), formatNumber(m.max), formatNumber(m.mean), formatNumber(m.nanCount)]);
      else {
        rows.push([c.name, c.jagged ? `jagged ${c.type}` : c.type, '', '', '', '', '']);
        tails.set(rows.length - 1, !c.jagged ? '(not numeric)' : c.type.endsWith(']') ? `(fixed array: read one element as '${c.name}[0]')` : `(variable length: read one element as '${c.name}[0]')`);
      }
      if (m?.valueCounts) notes.set(rows.length - 1, [...m.valueCounts].map(([v, n]) => `${v}: ${formatNumber(n)}`).join('   '));
    }
    const out = table(rows, [false, false, true, true, true, true, true]);
    const typeEnd = Math.max(...rows.map((r) => r[0].length)) + 2 + Math.max(...rows.map((r) => r[1].length));
    out.forEach((l, i) => {
      const tail = tails.get(i);
      lines.push(tail ? `  ${l.padEnd(typeEnd)}  ${tail}` : `  ${l}`);
      const note = notes.get(i);
      if (note) lines.push(`      values  ${note}`);
    });
  }
  return lines.join('\n');
}

export const command: Command = {
  usage: 'fomlab inspect FILE [--tree TREE] [--correlations [--config CONFIG]]',
  async run(args) {
    let file: string | undefined;
    let tree: string | undefined;
    let correlations = false, config: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--tree') {
        tree = args[++i];
        if (tree === undefined) throw new FomlabError('inspect: --tree needs a tree name');
      } else if (a.startsWith('--tree=')) tree = a.slice(7);
      else if (a === '--correlations') correlations = true;
      else if (a === '--config' || a.startsWith('--config=')) {
        config = a === '--config' ? args[++i] : a.slice(9);
        if (!config) throw new FomlabError('inspect: --config needs a config file (its data.columns give the features, weight and label)');
      }
      else if (a.startsWith('-')) throw new FomlabError(`inspect: unknown option '${a}'; usage: ${command.usage}`);
      else if (file === undefined) file = a;
      else throw new FomlabError(`inspect: one file at a time (got '${file}' and '${a}')`);
    }
    if (file === undefined) throw new FomlabError(`inspect: which file? usage: ${command.usage}`);
    if (config !== undefined && !correlations) throw new FomlabError('inspect: --config is used with --correlations only');
    // the correlation table's modules load only when asked for (start-up time)
    console.log(correlations ? await (await import('../correlation-table.js')).correlationReport(file, { tree, config }) : renderSummary(await summarizeFile(file, { tree })));
    return 0;
  },
};
