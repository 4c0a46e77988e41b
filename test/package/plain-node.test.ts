import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { distState } from '../../scripts/dist-state.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./estimator-run.mjs', import.meta.url));

/** A folder where fomlab is installed (node_modules/fomlab → this checkout, as `npm link` makes it). */
function installedFolder(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-install-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'fomlab'), 'dir');
  copyFileSync(script, join(dir, 'estimator-run.mjs'));
  return dir;
}

interface Measured { tsx: boolean; events: number; sameAfterLoad: boolean; sameAsModelFile: boolean; auc: number; featureAuc: number[]; firstScores: number[]; stages: Array<[string, number]> }

function run(args: string[], cwd: string, env: Record<string, string> = {}): Measured {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured;
}

test('dist/ is built from the current sources (scripts/run-tests.mjs rebuilds it; else: npm run build)', () => {
  assert.equal(distState(), 'fresh');
});

test("import('fomlab') in plain Node (no tsx): a PunziNet fits, predicts, saves and loads; same numbers as the TypeScript sources", { timeout: 300_000 }, (t) => {
  const dir = installedFolder(t);
  const plain = run(['estimator-run.mjs'], dir);
  assert.equal(plain.tsx, false, 'ran without tsx');
  assert.deepEqual(plain.stages, [['bce', 4], ['punzi-1', 4]]);
  // save → load and the model file as `fomlab apply` reads it give bit-identical scores
  assert.ok(plain.sameAfterLoad && plain.sameAsModelFile);
  // trained on seed-1 events, judged on independent seed-2 events: it separates (an untrained or
  // constant net gives 0.5; 4 + 4 epochs reach ≈ 0.77)
  assert.ok(plain.auc > 0.7 && plain.auc < 1, `AUC ${plain.auc}`);
  // the compiled package computes exactly what the sources compute (same seed, same numbers)
  const fromSources = run(['--import', import.meta.resolve('tsx'), 'estimator-run.mjs'], dir, { FOMLAB_MODULE: join(root, 'src', 'index.ts') });
  assert.deepEqual(fromSources.firstScores, plain.firstScores);
  assert.equal(fromSources.auc, plain.auc);
});

test('the shipped .d.ts types: a strict TypeScript consumer of the installed package type-checks', (t) => {
  const dir = installedFolder(t);
  writeFileSync(join(dir, 'consumer.ts'), [
    "import { PunziNet, data, physics, type PunziNetOptions } from 'fomlab';",
    "const options: PunziNetOptions = { seed: 2, stages: [{ loss: 'bce', lr: 1, epochs: 1 }] };",
    'const net: PunziNet = new PunziNet(options);',
    'const s: number = physics.sigmaMin(0.5, 10);',
    "export const scores = (t: data.EventTable): Float32Array => net.predict(t);",
    'export const x = s;',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'bad.ts'), "import { PunziNet } from 'fomlab';\nexport const n = new PunziNet({ seed: 'one' });\n");
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), '--skipLibCheck'];
  const ok = spawnSync(process.execPath, [tsc, ...flags, 'consumer.ts'], { cwd: dir, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  // and the types are real (not any): a wrong option type is an error
  const bad = spawnSync(process.execPath, [tsc, ...flags, 'bad.ts'], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout, /bad\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
});
