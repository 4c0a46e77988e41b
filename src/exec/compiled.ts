import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// From the sources (tsx), a worker thread that imports TypeScript compiles every module it loads again: 0.4–0.9 s
// per worker on the shared 2-core machine, a tenth of an ensemble of 25 small nets (issue 18). When dist/ holds a
// build at least as new as every file of src/ (the test as scripts/dist-state.mjs's), workers load that instead.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = join(root, 'src'), distDir = join(root, 'dist');

function newestIn(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestIn(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let fresh: boolean | undefined;
/** dist/ built (its .built stamp) after the last change under src/; false when running from dist itself or without a build */
function distFresh(): boolean {
  if (fresh === undefined) {
    try {
      fresh = newestIn(srcDir) <= statSync(join(distDir, '.built')).mtimeMs;
    } catch {
      fresh = false;
    }
  }
  return fresh;
}

/** The compiled twin (dist/…/x.js) of a module src/…/x.ts when dist/ is fresh, else null. FOMLAB_WORKERS_FROM_SOURCES=1 turns it off. */
export function compiledTwin(module: string): string | null {
  if (!module.endsWith('.ts') || process.env.FOMLAB_WORKERS_FROM_SOURCES === '1') return null;
  const rel = relative(srcDir, module);
  if (rel.startsWith('..') || rel.startsWith(sep) || !distFresh()) return null;
  return join(distDir, rel.slice(0, -'.ts'.length) + '.js');
}

/**
 * The one-file bundle (scripts/bundle-workers.mjs) of a compiled module x.js, x.bundle.js beside it, when it was
 * written by the last build (not older than dist/.built); else the module itself. A worker parses one file instead of
 * the module graph (≈ 0.1 s CPU less per worker start). FOMLAB_WORKERS_UNBUNDLED=1 turns it off.
 */
export function bundledTwin(module: string): string {
  const rel = relative(distDir, module);
  if (!module.endsWith('.js') || rel.startsWith('..') || rel.startsWith(sep) || process.env.FOMLAB_WORKERS_UNBUNDLED === '1') return module;
  const bundle = module.slice(0, -'.js'.length) + '.bundle.js';
  try {
    return statSync(bundle).mtimeMs >= statSync(join(distDir, '.built')).mtimeMs ? bundle : module;
  } catch {
    return module;
  }
}
