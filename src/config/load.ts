import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { FomlabError } from '../core/errors.js';
import { configSchema, type FomlabConfig } from './schema.js';
import { formatIssues } from './section.js';

export interface ParseOptions {
  /** folder that relative file paths resolve against (the config file's folder); unset: left as written */
  baseDir?: string;
}

/** Parses and validates YAML text; every error names `sourceName`, the key path and what was expected. */
export function parseConfig(text: string, sourceName = 'config', opts: ParseOptions = {}): FomlabConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const at = e.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}: ` : '';
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new FomlabError(`${sourceName}: ${where}YAML syntax error: ${msg}`);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) throw new FomlabError(`${sourceName}: the file is empty; expected a mapping of sections (data: …)`);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new FomlabError(formatIssues(parsed.error.issues, raw, sourceName));
  const config = parsed.data;
  if (opts.baseDir !== undefined) {
    const base = opts.baseDir;
    config.data.files = config.data.files.map((f) => ({ ...f, path: isAbsolute(f.path) ? f.path : resolve(base, f.path) }));
    const w = config.search?.window;
    if (w && 'resolution' in w && !isAbsolute(w.resolution)) w.resolution = resolve(base, w.resolution);
  }
  return config;
}

/** The text of a config file; a missing or unreadable file is one line naming it. */
export function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FomlabError(code === 'ENOENT' ? `${path}: no such config file` : `${path}: cannot read the config (${code ?? String(e)})`);
  }
}

/** Reads, parses and validates a config file; relative file paths resolve against its folder. */
export function loadConfig(path: string): FomlabConfig {
  return parseConfig(readConfigText(path), path, { baseDir: dirname(resolve(path)) });
}
