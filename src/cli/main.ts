// (FomlabError and didYouMean are exported by api/core.ts; imported from their own module so that
// `fomlab --help` does not load the tensor library)
import { FomlabError, didYouMean } from '../core/errors.js';

/** A CLI command: one file in src/cli/commands exporting `command`. Thin: parse, call the library, print. */
export interface Command {
  usage: string;
  run(args: string[]): Promise<number>;
}

type CommandModule = { command: Command };

/**
 * Every command, with its one-line summary and its module, which is imported only when the command
 * runs: `fomlab --help` loads none of them, and each command loads only the library parts (and
 * heavy packages: vega, onnxruntime, apache-arrow, jsroot …) it uses. A new command is one file in
 * commands/ plus one line here (test/cli/main.test.ts checks that both lists agree).
 */
export const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<CommandModule> }>> = {
  ablation: { summary: "from the Punzi-loss paper's protocol to the demo's settings one difference at a time: σ_min ratio, masses improved, common-cut penalty per row", load: () => import('./commands/ablation.js') },
  apply: { summary: 'add the score of a trained model as a column to a ROOT, Parquet, Arrow or CSV file', load: () => import('./commands/apply.js') },
  compare: { summary: 'compare methods (models, losses, features) on one data set over repeated random splits: Table 1 as CSV and HTML', load: () => import('./commands/compare.js') },
  demo: { summary: 'simulate the built-in data set, train BCE and Punzi-net ensembles, judge them, write the report', load: () => import('./commands/demo.js') },
  evaluate: { summary: 'judge the trained nets of a run again on its test split, reloading them without training (rewrites RUN/summary.json)', load: () => import('./commands/evaluate.js') },
  explain: { summary: 'integrated-gradient attributions per feature of a trained net (table; RUN/explain.json, explain.png, and the report)', load: () => import('./commands/explain.js') },
  export: { summary: 'export a trained model to ONNX (scored by onnxruntime as fomlab scores it)', load: () => import('./commands/export.js') },
  inspect: { summary: 'list the trees and columns of a ROOT, Parquet, Arrow/Feather or CSV file with their statistics', load: () => import('./commands/inspect.js') },
  'mass-compare': { summary: "the dark-photon slides' comparison: several methods trained on one split, the figure per mass at a cut of 0.5 and per mass region (table, plot)", load: () => import('./commands/mass-compare.js') },
  report: { summary: 'write the HTML report (and PNG plots) of a run from RUN/summary.json', load: () => import('./commands/report.js') },
  simulate: { summary: "simulate a built-in data set: Belle II-like e+e- -> mu+mu- Z' (invisible, default), --channel zprime-mumu: Z' -> mu+mu- against four-lepton QED and gamma conversions, or --channel hzg: LHC H -> Z gamma -> l l gamma", load: () => import('./commands/simulate.js') },
  sweep: { summary: 'run many trainings of one config (grid of settings, seeds, mass regions) on this machine, Slurm or HTCondor', load: () => import('./commands/sweep.js') },
  train: { summary: 'train the classifiers of a config (ensemble, BCE then Punzi stages) and judge them', load: () => import('./commands/train.js') },
  validate: { summary: 'check a config and its events: counts per file, label and category, sum of weights', load: () => import('./commands/validate.js') },
};

function help(): string {
  const lines = ['fomlab — classifiers trained for the figure of merit of a mass-scan search', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'fomlab COMMAND --help for the options of one command');
  return lines.join('\n');
}

/** Runs one CLI invocation; returns the exit code. User errors print one line, no stack. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      console.log(help());
      return name ? 0 : 1;
    }
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) throw new FomlabError(`unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))}; run 'fomlab --help'`);
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`${entry.summary}\n\nusage: ${(await entry.load()).command.usage}`);
      return 0;
    }
    return await (await entry.load()).command.run(rest);
  } catch (e) {
    const user = e instanceof FomlabError ? e : systemError(e);
    if (user) {
      console.error(`fomlab: ${user.message}`);
      return user.exitCode;
    }
    throw e;
  }
}

const WHY: Record<string, string> = {
  ENOENT: 'no such file or folder', EACCES: 'permission denied', EPERM: 'not permitted', EEXIST: 'a file of that name exists',
  ENOTDIR: 'a part of the path is a file, not a folder', EISDIR: 'is a folder, not a file', ENOSPC: 'no space left on the device',
  EFBIG: 'file too large (a file-size limit?)', EROFS: 'read-only file system', EDQUOT: 'disk quota exceeded', EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long', ELOOP: 'too many symbolic links',
};

/**
 * A file-system error that reached the top (a path the user named that cannot be read or written,
 * a full disk): one line naming the path and the reason, exit 2 — not a stack trace. Other errors
 * are bugs and keep their stack.
 */
function systemError(e: unknown): FomlabError | null {
  const err = e as NodeJS.ErrnoException & { dest?: string };
  if (!(e instanceof Error) || typeof err.code !== 'string' || !(err.code in WHY)) return null;
  const where = err.path ? `${err.path}${err.dest ? ` → ${err.dest}` : ''}` : '';
  return new FomlabError(`${where ? `${where}: ` : ''}cannot ${err.syscall ?? 'access'}: ${WHY[err.code]} (${err.code})`);
}
