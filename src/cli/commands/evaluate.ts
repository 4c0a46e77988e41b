import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { parseConfig } from '../../api/config.js';
import { evaluateRun } from '../../api/train.js';
import { printSummary } from '../summary-table.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

/** The folder RUN/config.yaml's relative paths resolve against: the original config's (recorded by train), else RUN itself (the demo). */
function configBase(runDir: string): string {
  const source = join(runDir, 'config-source.json');
  if (!existsSync(source)) return runDir;
  const recorded = (JSON.parse(readFileSync(source, 'utf8')) as { config?: unknown }).config;
  if (typeof recorded !== 'string') throw new FomlabError(`${source}: expected {"config": "<path of the trained config>"}`);
  return dirname(recorded);
}

export const command: Command = {
  usage: 'fomlab evaluate RUN_DIR',
  async run(args) {
    const { positionals } = parseOptions('evaluate', args, {}, { min: 1, max: 1, names: 'one RUN_DIR' });
    const runDir = resolve(positionals[0]);
    const configPath = join(runDir, 'config.yaml');
    if (!existsSync(configPath)) throw new FomlabError(`${runDir}: not a fomlab run (no config.yaml)`);
    const cfg = parseConfig(readFileSync(configPath, 'utf8'), configPath, { baseDir: configBase(runDir) });
    const n = cfg.training?.ensemble ?? 1;
    const missing = Array.from({ length: n }, (_, k) => k).filter((k) => !existsSync(join(runDir, 'checkpoints', `net-${k}.safetensors`)));
    if (missing.length) throw new FomlabError(`${runDir}: net${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not trained yet; finish with 'fomlab train ${configPath} --out ${runDir} --resume'`);
    printSummary(await evaluateRun(cfg, { runDir, configName: basename(runDir) }));
    console.log(`\nwrote ${join(runDir, 'summary.json')}`);
    return 0;
  },
};
