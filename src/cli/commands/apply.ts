import { basename, dirname, extname, join } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { readColumns } from '../../api/data.js';
import { writeTable } from '../../api/data.js';
import { loadModelFile, type SavedModel } from '../../api/models.js';
import { scoreColumns } from '../../api/models.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: [
    'fomlab apply MODEL FILE [--out OUT] [--column NAME] [--tree TREE] [--mass M,…]',
    '  MODEL          a model file written by fomlab train (RUN/models/punzi.json)',
    '  --out OUT      output file (.parquet, .arrow, .csv; default FILE.scored.parquet for ROOT input,',
    '                 else FILE.scored with the input\'s extension); written atomically',
    '  --column NAME  name of the score column (default score)',
    '  --mass M,…     a parameterised net (pNN): score every event at these mass hypotheses (its last input,',
    '                 e.g. mass_hypothesis, set to M); one column NAME, or NAME_M per mass when several',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('apply', args, { out: { type: 'string' }, column: { type: 'string' }, tree: { type: 'string' }, mass: { type: 'string' } }, { min: 2, max: 2, names: 'MODEL and FILE' });
    const [modelPath, file] = positionals;
    const model = loadModelFile(modelPath);
    const data = await readColumns(file, { tree: values.tree });
    const column = values.column ?? 'score';
    if (data.columns.has(column)) throw new FomlabError(`${file} already has a column '${column}'; choose another name with --column`);
    const scores = values.mass === undefined ? new Map([[column, scoreColumns(model, data.columns, data.source)]]) : scoresAtMasses(model, data.columns, data.source, values.mass, column);
    const ext = extname(file).toLowerCase();
    const outExt = ext === '.root' ? '.parquet' : ext;
    const out = values.out ?? join(dirname(file), `${basename(file, extname(file))}.scored${outExt}`);
    const columns = new Map(data.columns);
    for (const [name, score] of scores) {
      if (data.columns.has(name)) throw new FomlabError(`${file} already has a column '${name}'; choose another name with --column`);
      columns.set(name, score);
    }
    await writeTable(out, columns);
    console.log(`${data.length} events scored with ${modelPath}; wrote ${out} (column${scores.size > 1 ? 's' : ''} ${[...scores.keys()].map((c) => `'${c}'`).join(', ')})`);
    return 0;
  },
};

/** A pNN's scores at each mass of `list` (its last input set to the mass): one column, or `column_M` per mass. */
function scoresAtMasses(model: SavedModel, columns: ReadonlyMap<string, Float32Array>, source: string, list: string, column: string): Map<string, Float32Array> {
  const masses = list.split(',').map((t) => Number(t.trim()));
  if (masses.length === 0 || masses.some((m) => !Number.isFinite(m))) throw new FomlabError(`--mass: expected a mass or a comma-separated list of masses, got '${list}'`);
  const input = model.inputNames[model.inputNames.length - 1];
  const n = columns.size ? columns.values().next().value!.length : 0;
  return new Map(masses.map((m) => [masses.length === 1 ? column : `${column}_${m}`, scoreColumns(model, new Map([...columns, [input, new Float32Array(n).fill(m)]]), source)]));
}
