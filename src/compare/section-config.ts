import { dirname, resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { parseConfig, readConfigText } from '../config/load.js';
import type { FomlabConfig } from '../config/schema.js';
import { formatIssues } from '../config/section.js';

export interface SectionedConfig<T> {
  /** the file's other sections as plain data */
  base: Record<string, unknown>;
  /** those sections validated as a fomlab config */
  baseConfig: FomlabConfig;
  /** the extra section (e.g. compare:, massCompare:) validated by its schema */
  section: T;
  baseDir: string;
}

/**
 * A config file with one extra section `key` (compare:, massCompare:) beside the usual ones: the
 * section is validated by `schema` (errors name the file and the path under `key`), the rest as a
 * fomlab config. `expected` shows the section's form in the missing-section error; `adjust` may change the
 * other sections from the section's settings before they are validated (e.g. compare's scenarios).
 */
export function readSectionedConfig<S extends z.ZodType>(configPath: string, key: string, schema: S, expected: string,
  adjust?: (base: Record<string, unknown>, section: z.infer<S>) => Record<string, unknown>): SectionedConfig<z.infer<S>> {
  const text = readConfigText(configPath);
  const doc = parseDocument(text, { uniqueKeys: true });
  const raw: unknown = doc.errors.length ? null : doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    parseConfig(text, configPath);
    throw new FomlabError(`${configPath}: expected a mapping of sections (data: …, ${key}: …)`);
  }
  const { [key]: rawSection, ...given } = raw as Record<string, unknown>;
  if (rawSection === undefined) throw new FomlabError(`${configPath}: ${key}: missing; expected ${key}: ${expected}`);
  const parsed = schema.safeParse(rawSection);
  if (!parsed.success) throw new FomlabError(formatIssues(parsed.error.issues.map((i) => ({ ...i, path: [key, ...i.path] })), raw, configPath));
  const baseDir = dirname(resolve(configPath));
  const base = adjust ? adjust(given, parsed.data as z.infer<S>) : given;
  return { base, baseConfig: parseConfig(stringify(base), configPath, { baseDir }), section: parsed.data as z.infer<S>, baseDir };
}
