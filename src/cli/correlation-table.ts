import { FomlabError } from '../api/core.js';
import { loadConfig } from '../api/config.js';
import { readColumns } from '../api/data.js';
import { correlationMatrix, type CorrelationMatrix } from '../api/evaluate.js';

/**
 * `fomlab inspect FILE --correlations [--config CFG]`: the weighted Pearson correlation matrix of
 * the file's columns — the config's features (weighted by its weight column, signal and
 * background apart when it maps a label), or else every numeric column, unweighted.
 */
export async function correlationReport(file: string, o: { tree?: string; config?: string }): Promise<string> {
  const roles = o.config ? loadConfig(o.config).data.columns : undefined;
  const extra = roles ? [roles.weight, roles.label].filter((c): c is string => c !== undefined) : [];
  const data = await readColumns(file, { tree: o.tree, columns: roles ? [...new Set([...roles.features, ...extra])] : undefined, progress: false });
  const names = roles ? roles.features : [...data.columns.keys()];
  if (names.length < 2) throw new FomlabError(`${data.source}: correlations need at least 2 numeric columns${roles ? ` (data.columns.features in ${o.config})` : ''}, found ${names.length}`);
  const col = (n: string): Float32Array => {
    const c = data.columns.get(n);
    if (!c) throw new FomlabError(`${data.source}: no column '${n}' (data.columns in ${o.config})`);
    return c;
  };
  const cols = names.map((name) => ({ name, values: col(name) }));
  const weight = roles?.weight ? col(roles.weight) : null;
  const label = roles?.label ? col(roles.label) : null;
  const part = (sig: boolean): number[] => Array.from({ length: data.length }, (_, i) => i).filter((i) => (label![i] >= 0.5) === sig);
  const blocks: Array<[string, CorrelationMatrix]> = label
    ? [['signal', correlationMatrix(cols, weight, part(true))], ['background', correlationMatrix(cols, weight, part(false))]]
    : [['all events', correlationMatrix(cols, weight)]];
  const lines = [`${data.source}: ${weight ? 'weighted ' : ''}Pearson correlations of ${names.length} columns${roles ? ` (features of ${o.config})` : ' (every numeric column)'}`];
  for (const [what, m] of blocks) {
    lines.push('', `${what} (${m.events.toLocaleString('en-US')} events${weight ? ` weighted by '${roles!.weight}'` : ''})`);
    const width = Math.max(...names.map((n) => n.length));
    const cell = Math.max(6, Math.min(12, width));
    lines.push(`  ${''.padEnd(width)}  ${names.map((n) => n.slice(0, cell).padStart(cell)).join(' ')}`);
    m.matrix.forEach((r, j) => lines.push(`  ${names[j].padEnd(width)}  ${r.map((v) => (Math.abs(v) < 0.005 ? 0 : v).toFixed(2).padStart(cell)).join(' ')}`));
  }
  return lines.join('\n');
}
