// The modules that pool workers import (src/exec/pool.ts tasks), each bundled into one file beside its compiled
// module (dist/train/member.js → dist/train/member.bundle.js) with esbuild (tsx's own, already installed): a worker
// then parses one file instead of ~84 modules and zod's, ≈ 0.1 s CPU less per worker start (issue 18: an ensemble's
// serial start-up). Each bundled module keeps its own import.meta.url (the native addon and package.json are found
// from it). Without esbuild nothing is bundled and workers load the modules as before (src/exec/compiled.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

export const workerEntries = ['train/member.js'];

function loadEsbuild(root) {
  const req = createRequire(join(root, 'package.json'));
  for (const from of [null, 'tsx/package.json']) {
    try {
      return from ? createRequire(req.resolve(from))('esbuild') : req('esbuild');
    } catch {
      // next place
    }
  }
  return null;
}

/** a module's import.meta.url inside the bundle `outfile`: its own file's URL, from the bundle's */
const ownUrl = (outfile) => ({
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(dirname(outfile), args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

/** Bundles every worker entry of dist/; returns the files written (none without esbuild). */
export async function bundleWorkers(root) {
  const esbuild = loadEsbuild(root);
  if (!esbuild) return [];
  const written = [];
  for (const entry of workerEntries) {
    const outfile = join(root, 'dist', entry.replace(/\.js$/, '.bundle.js'));
    await esbuild.build({ entryPoints: [join(root, 'dist', entry)], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', plugins: [ownUrl(outfile)], logLevel: 'error' });
    written.push(outfile);
  }
  return written;
}
