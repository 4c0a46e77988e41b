import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { formatIssues, keyPath, section } from '../../src/config/section.js';

// a union like later sections use: a word, or one of two mappings
const pos = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const hypotheses = z.union([z.literal('all'), section({ masses: z.array(pos).min(1) }), section({ from: pos, to: pos, step: pos })], {
  error: 'expected all, {from, to, step} or {masses: [...]}',
});
const schema = section({ search: section({ hypotheses }) });
function message(raw: unknown): string {
  const r = schema.safeParse(raw);
  assert.ok(!r.success);
  return formatIssues(r.error.issues, raw, 'c.yaml');
}

test('key paths read like YAML', () => {
  assert.equal(keyPath(['data', 'files', 2, 'path']), 'data.files[2].path');
  assert.equal(keyPath([]), '');
});

test('a union reports the branch the user meant, or its own message when no branch matched', () => {
  assert.equal(message({ search: { hypotheses: 3 } }), 'c.yaml: search.hypotheses: expected all, {from, to, step} or {masses: [...]}, got 3');
  assert.equal(message({ search: { hypotheses: { from: 1, to: 2, step: 'x' } } }), 'c.yaml: search.hypotheses.step: expected a positive number, got "x"');
  assert.equal(message({ search: { hypotheses: { masses: [1, -2] } } }), 'c.yaml: search.hypotheses.masses[1]: expected a positive number, got -2');
  assert.equal(message({ search: { hypotheses: { from: 1, to: 2, stp: 1 } } }), 'c.yaml: search.hypotheses.stp: unknown key (did you mean: step, to?)');
  assert.equal(message({ serch: {} }), 'c.yaml: serch: unknown key (did you mean: search?)');
});

test('a misspelt word in a union gets the union message', () => {
  assert.equal(message({ search: { hypotheses: 'al' } }), 'c.yaml: search.hypotheses: expected all, {from, to, step} or {masses: [...]}, got "al"');
});
