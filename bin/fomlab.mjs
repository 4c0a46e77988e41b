#!/usr/bin/env node
// The fomlab command. Runs the compiled CLI of dist/ (built at install; plain Node, no TypeScript
// to load: `fomlab --help` starts in well under 0.3 s) when dist/ is at least as new as every file
// under src/. Otherwise (src/ edited since the last build, or never built) it runs the sources
// through tsx: ~3 s to start, but never a stale build. Why not rebuild here: a build takes seconds
// and writes into the package folder, which may be read-only; checking costs one stat per source
// file (~2 ms). scripts/run-tests.mjs rebuilds before the tests, `npm run build` by hand.
// FOMLAB_FROM_SOURCES=1 forces the sources (bench/cli.bench.ts times both).
import { distState } from '../scripts/dist-state.mjs';

let main;
if (!process.env.FOMLAB_FROM_SOURCES && distState() === 'fresh') {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
