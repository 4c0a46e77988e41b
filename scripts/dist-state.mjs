// Is dist/ (the compiled library and CLI) at least as new as every file under src/? Shared by
// bin/fomlab.mjs (which falls back to the sources when not) and scripts/build-dist.mjs.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
/** written after each build, with the mtime of the build's start (a file saved during a build counts as newer) */
export const stampPath = join(root, 'dist', '.built');

function newestIn(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestIn(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** 'fresh' | 'stale' (src/ changed since the build) | 'absent' (never built); 'fresh' without src/ (an installed copy). */
export function distState() {
  let built;
  try {
    built = statSync(stampPath).mtimeMs;
  } catch {
    return 'absent';
  }
  try {
    return newestIn(join(root, 'src')) <= built ? 'fresh' : 'stale';
  } catch {
    return 'fresh';
  }
}
