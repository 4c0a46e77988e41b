import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { COMMANDS } from '../../src/cli/main.js';
import { runCli } from '../cli-run.js';

test('every file of src/cli/commands is registered in COMMANDS (lazily loaded) and each loads with its usage', async () => {
  const files = readdirSync(new URL('../../src/cli/commands', import.meta.url)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(Object.keys(COMMANDS).sort(), files);
  for (const [name, c] of Object.entries(COMMANDS)) {
    const { command } = await c.load();
    assert.match(command.usage, new RegExp(`^fomlab ${name}\\b`), name);
    assert.equal(typeof command.run, 'function');
  }
});

test('fomlab --help lists every command with its summary; COMMAND --help adds the usage; a typo is one line', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const [name, c] of Object.entries(COMMANDS)) assert.ok(r.out.includes(`  ${name.padEnd(10)} ${c.summary}`), name);
  const one = await runCli(['inspect', '--help']);
  assert.equal(one.code, 0);
  assert.ok(one.out.startsWith(`${COMMANDS.inspect.summary}\n\nusage: fomlab inspect`), one.out);
  const typo = await runCli(['inspekt']);
  assert.equal(typo.code, 2);
  assert.equal(typo.err, "fomlab: unknown command 'inspekt' (did you mean: inspect?); run 'fomlab --help'");
  const proto = await runCli(['constructor']);
  assert.notEqual(proto.code, 0, 'names of Object.prototype are not commands');
});
