import { basename, dirname, extname, join } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { readColumns } from '../../api/data.js';
import { writeTable } from '../../api/data.js';
import { loadModelFile } from '../../api/models.js';
import { scoreColumns } from '../../api/models.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: [
    'fomlab apply MODEL FILE [--out OUT] [--column NAME] [--tree TREE]',
    '  MODEL          a model file written by fomlab train (RUN/models/punzi.json)',
    '  --out OUT      output file (.parquet, .arrow, .csv; default FILE.scored.parquet for ROOT input,',
    '                 else FILE.scored with the input\'s extension); written atomically',
    '  --column NAME  name of the score column (default score)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('apply', args, { out: { type: 'string' }, column: { type: 'string' }, tree: { type: 'string' } }, { min: 2, max: 2, names: 'MODEL and FILE' });
    const [modelPath, file] = positionals;
    const model = loadModelFile(modelPath);
    const data = await readColumns(file, { tree: values.tree });
    const column = values.column ?? 'score';
    if (data.columns.has(column)) throw new FomlabError(`${file} already has a column '${column}'; choose another name with --column`);
    const score = scoreColumns(model, data.columns, data.source);
    const ext = extname(file).toLowerCase();
    const outExt = ext === '.root' ? '.parquet' : ext;
    const out = values.out ?? join(dirname(file), `${basename(file, extname(file))}.scored${outExt}`);
    const columns = new Map(data.columns);
    columns.set(column, score);
    await writeTable(out, columns);
    console.log(`${data.length} events scored with ${modelPath}; wrote ${out} (column '${column}')`);
    return 0;
  },
};
