import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FomlabError, didYouMean } from '../core/errors.js';

/** A CLI command: one file in src/cli/commands exporting `command`. Thin: parse, call the library, print. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const here = dirname(fileURLToPath(import.meta.url));

function commandNames(): string[] {
  return readdirSync(join(here, 'commands'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function load(name: string): Promise<Command> {
  const mod = (await import(`./commands/${name}.ts`)) as { command: Command };
  return mod.command;
}

async function help(): Promise<string> {
  const lines = ['fomlab — classifiers trained for the figure of merit of a mass-scan search', '', 'commands:'];
  for (const n of commandNames()) lines.push(`  ${n.padEnd(10)} ${(await load(n)).summary}`);
  lines.push('', 'fomlab COMMAND --help for the options of one command');
  return lines.join('\n');
}

/** Runs one CLI invocation; returns the exit code. User errors print one line, no stack. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      console.log(await help());
      return name ? 0 : 1;
    }
    const names = commandNames();
    if (!names.includes(name)) throw new FomlabError(`unknown command '${name}'${didYouMean(name, names)}; run 'fomlab --help'`);
    const cmd = await load(name);
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`${cmd.summary}\n\nusage: ${cmd.usage}`);
      return 0;
    }
    return await cmd.run(rest);
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
