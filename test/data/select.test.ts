import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { FomlabError } from '../../src/core/errors.js';
import { applySelection, columnsUsed, compileExpression, selectionMask } from '../../src/data/select.js';

const t = new EventTable(
  {
    M2: new Float32Array([-1, 0, 0.5, 2, NaN]),
    labels: new Float32Array([1, 0, -1, 1, 0]),
    'Muon_Px[0]': new Float32Array([3, -4, 5, -6, 7]),
  },
  {},
  'toy.root',
);
const mask = (e: string) => [...selectionMask(t, e)];

test('the issue example: M2 > 0 && labels >= 0', () => {
  assert.deepEqual(mask('M2 > 0 && labels >= 0'), [0, 0, 0, 1, 0]);
  const s = applySelection(t, 'M2 > 0 && labels >= 0');
  assert.equal(s.length, 1);
  assert.equal(s.column('M2')[0], 2);
});

test('functions, unary operators, index names and precedence (hand-checked)', () => {
  assert.deepEqual(mask('abs(Muon_Px[0]) > 4.5 || !(labels == 0)'), [1, 0, 1, 1, 1]);
  assert.deepEqual(mask('abs(Muon_Px [ 0 ]) > 4.5'), [0, 0, 1, 1, 1]);
  assert.deepEqual(mask('-M2 * 2 + 1 >= 0'), [1, 1, 1, 0, 0]);
  assert.deepEqual(mask('sqrt(max(M2, 0, 0.25)) == 0.5'), [1, 1, 0, 0, 0]);
  assert.deepEqual(mask('min(labels, M2) != labels'), [1, 0, 0, 0, 1]);
  assert.deepEqual(mask('10 / 4 * 2 == 5 && 2 - 3 - 4 == -5 && exp(log(2)) - 2 < 1e-12'), [1, 1, 1, 1, 1]);
  assert.deepEqual(mask('1 < 0 || M2 != M2'), [0, 0, 0, 0, 1]);
  const v = compileExpression('M2 * 2 - .5').values(t.columns, t.length);
  assert.deepEqual([...v].slice(0, 4), [-2.5, -0.5, 0.5, 3.5]);
});

test('columnsUsed lists each column once, in order of use', () => {
  assert.deepEqual(columnsUsed('abs(Muon_Px[0]) > 1 && M2 > labels && M2 < 3'), ['Muon_Px[0]', 'M2', 'labels']);
  assert.deepEqual(columnsUsed('1 > 0'), []);
});

function syntaxError(expr: string, re: RegExp): void {
  assert.throws(() => compileExpression(expr), (e: unknown) => e instanceof FomlabError && re.test(e.message));
}

test('selection syntax errors say where', () => {
  syntaxError('M2 > 0 &&', /^selection "M2 > 0 &&": expected an operand at column 10$/);
  syntaxError('', /expected an operand at column 1/);
  syntaxError('M2 > 0 & labels', /unexpected character '&' \(use '&&'\) at column 8/);
  syntaxError('M2 = 0', /unexpected character '=' \(use '=='\) at column 4/);
  syntaxError('(M2 > 0', /expected '\)' at column 8/);
  syntaxError('M2 > 0)', /unexpected '\)' at column 7/);
  syntaxError('1 < M2 < 3', /chained comparison '<'.* at column 8/);
  syntaxError('ab(M2) > 1', /unknown function 'ab' \(did you mean: abs.*\) at column 1/);
  syntaxError('min(M2) > 1', /min\(\) takes at least 2 arguments, got 1 at column 1/);
  syntaxError('M2 > 0.8x', /bad number '0\.8x' at column 6/);
});

test('unknown column names the near matches', () => {
  assert.throws(() => selectionMask(t, 'M3 > 0'), (e: unknown) => e instanceof FomlabError && /selection "M3 > 0": no column 'M3' \(did you mean: M2\?\)/.test(e.message));
});
