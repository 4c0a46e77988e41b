import { loadConfig } from '../../api/config.js';
import { FomlabError } from '../../api/core.js';
import { loadEvents, summarizeEvents } from '../../api/data.js';
import { splitIndices } from '../../api/data.js';
import { prepareTraining } from '../../api/train.js';
import type { Command } from '../main.js';

const num = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 4 });

export const command: Command = {
  usage: 'fomlab validate CONFIG.yaml',
  async run(args: string[]): Promise<number> {
    if (args.length !== 1 || args[0].startsWith('-')) throw new FomlabError(`usage: ${command.usage}`);
    const path = args[0];
    const config = loadConfig(path);
    const data = config.data;
    // every check train runs before its first epoch (the same function, with the events as train weights them)
    const prepared = config.search ? await prepareTraining(config) : null;
    const { table, notices, files } = prepared?.loaded ?? (await loadEvents(data, { progress: true }));
    const s = summarizeEvents(table);
    const lines = [`${path}: valid`, '', `events: ${num(s.events)} in ${files.length} file${files.length === 1 ? '' : 's'}`];
    for (const f of files) {
      const cut = data.selection ? `, ${num(f.selected)} selected` : '';
      const dropped = f.kept !== f.selected ? `, ${num(f.kept)} kept` : '';
      lines.push(`  ${f.path}: ${num(f.read)} read${cut}${dropped}`);
    }
    if (data.selection) lines.push(`selection: ${data.selection}`);
    for (const r of notices) lines.push(`  ${r}`);
    if (s.perLabel.length) {
      lines.push(`per label (${table.roles.label}):`);
      for (const [v, n, w] of s.perLabel) lines.push(`  ${v === 1 ? 'signal' : v === 0 ? 'background' : v} (${v}): ${num(n)} events, sum of weights ${num(w)}`);
    }
    if (s.perCategory.length) {
      lines.push(`per category (${table.roles.category}):`);
      for (const [v, n, w] of s.perCategory) lines.push(`  ${v}: ${num(n)} events, sum of weights ${num(w)}`);
    }
    lines.push(`sum of weights: ${num(s.sumOfWeights)}${table.roles.weight ? ` (${table.roles.weight})` : ' (no weight column: 1 per event)'}`);
    lines.push(`features (${s.features.length}): ${s.features.join(', ')}`);
    for (const r of ['mass', 'genMass'] as const) if (table.roles[r]) lines.push(`${r}: ${table.roles[r]}`);
    const parts = splitIndices(table, data.split);
    const how = 'column' in data.split ? `by column '${data.split.column}'` : `seed ${data.split.seed}${data.split.group !== undefined ? `, grouped by '${data.split.group}'` : ''}`;
    lines.push(`split (${how}): train ${num(parts.train.length)}, validation ${num(parts.validation.length)}, test ${num(parts.test.length)}`);
    lines.push(`scaling: ${data.scaling}`);
    if (prepared) {
      const { prep, search } = prepared;
      lines.push(`search: ${search.hypotheses.length} hypotheses, ${prep.trainHypotheses.length} for training; in their windows: train ${num(prep.counts.train)}, validation ${num(prep.counts.validation)} events`);
    }
    if (!config.training) lines.push(`no training: section: ${config.search ? 'checked the data and the search' : 'checked the data only'} (train needs search: and training:)`);
    else if (!config.search) lines.push('no search: section: checked the data only (train needs search: and training:)');
    console.log(lines.join('\n'));
    return 0;
  },
};
