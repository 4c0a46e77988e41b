import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { hasPngFont, readRunSummary, writeReport } from '../../api/report.js';
import type { Command } from '../main.js';

export const command: Command = {
  usage: 'fomlab report RUN_DIR [--out DIR]   (default DIR: RUN_DIR/report)',
  async run(args) {
    let runDir: string | undefined;
    let out: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--out') {
        out = args[++i];
        if (out === undefined) throw new FomlabError('report: --out needs a folder');
      } else if (a.startsWith('--out=')) out = a.slice(6);
      else if (a.startsWith('-')) throw new FomlabError(`report: unknown option '${a}'; usage: ${command.usage}`);
      else if (runDir === undefined) runDir = a;
      else throw new FomlabError(`report: one run folder at a time (got '${runDir}' and '${a}')`);
    }
    if (runDir === undefined) throw new FomlabError(`report: which run? usage: ${command.usage}`);
    if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new FomlabError(`report: ${runDir}: no such run folder`);
    const summary = readRunSummary(join(runDir, 'summary.json'));
    const { html, pngs } = await writeReport(summary, out ?? join(runDir, 'report'));
    const rel = relative(process.cwd(), html);
    const shown = rel && !rel.startsWith('..') ? rel : html;
    console.log(`report: ${shown} (${pngs.length} plots, also as PNG beside it)`);
    if (!hasPngFont()) console.error('report: no DejaVu Sans font found; PNG text may be missing (Debian/Ubuntu: apt-get install fonts-dejavu-core)');
    return 0;
  },
};
