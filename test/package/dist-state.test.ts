import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// bin/fomlab.mjs runs dist/ only when distState() is 'fresh'; checked here on a copy of the script in
// a scratch package (its root is the folder above scripts/), with file times set by hand.
test("distState: 'absent' before a build, 'fresh' after, 'stale' once any source file (however deep) is newer", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-dist-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src', 'data', 'readers'), { recursive: true });
  copyFileSync(new URL('../../scripts/dist-state.mjs', import.meta.url), join(dir, 'scripts', 'dist-state.mjs'));
  const deep = join(dir, 'src', 'data', 'readers', 'root.ts');
  writeFileSync(join(dir, 'src', 'index.ts'), '');
  writeFileSync(deep, '');
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  utimesSync(join(dir, 'src', 'index.ts'), at(0), at(0));
  utimesSync(deep, at(0), at(0));
  const { distState } = (await import(pathToFileURL(join(dir, 'scripts', 'dist-state.mjs')).href)) as { distState: () => string };
  assert.equal(distState(), 'absent');
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', '.built'), '');
  utimesSync(join(dir, 'dist', '.built'), at(10), at(10));
  assert.equal(distState(), 'fresh');
  utimesSync(deep, at(11), at(11));
  assert.equal(distState(), 'stale');
  utimesSync(join(dir, 'dist', '.built'), at(11), at(11)); // same time: built from that file
  assert.equal(distState(), 'fresh');
});
