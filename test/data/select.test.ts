import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { FomlabError } from '../../src/core/errors.js';
import { applySelection, columnsUsed, compileExpression, selectionMask, MAX_DEPTH } from '../../src/data/select.js';

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

test('deep nesting is one short error (not a stack overflow); 200 levels still work', () => {
  const cols = new Map([['a', Float32Array.from([1, -2, 0])]]);
  const deep = (n: number, open: string, close: string) => open.repeat(n) + 'a' + close.repeat(n);
  // exactly MAX_DEPTH levels: evaluates, e.g. 200 minus signs = +a, 200 abs() = |a|
  assert.deepEqual([...compileExpression(deep(MAX_DEPTH, '(', ')')).values(cols, 3)], [1, -2, 0]);
  assert.deepEqual([...compileExpression(deep(MAX_DEPTH, '-', '')).values(cols, 3)], [1, -2, 0]);
  assert.deepEqual([...compileExpression(deep(MAX_DEPTH, 'abs(', ')')).values(cols, 3)], [1, 2, 0]);
  for (const [open, close] of [['(', ')'], ['!', ''], ['abs(', ')'], ['-(', ')']] as const) {
    const expr = deep(1000, open, close);
    assert.throws(() => compileExpression(expr), (e: unknown) => {
      assert.ok(e instanceof FomlabError, String(e));
      assert.match(e.message, new RegExp(`nested more than ${MAX_DEPTH} levels deep .* at column \\d+$`));
      assert.ok(e.message.length < 300, `message of ${e.message.length} characters`);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  }
});

test('20,000-term flat expressions evaluate (sum, product, ||, &&) in a loop', () => {
  const cols = new Map([['a', Float32Array.from([1, 0.5, 0])], ['b', Float32Array.from([2, 1, 3])]]);
  const n = 20000;
  // a + a + … (n terms) = n·a; b − b − … (n terms) = b − (n−1)·b, left to right
  assert.deepEqual([...compileExpression(Array(n).fill('a').join(' + ')).values(cols, 3)], [n, n / 2, 0]);
  assert.deepEqual([...compileExpression(Array(n).fill('b').join(' - ')).values(cols, 3)], [2 - 2 * (n - 1), 1 - (n - 1), 3 - 3 * (n - 1)]);
  // b * 1 * 1 … ; (a > 0.7) || … || (b > 2): true for events 0 and 2; (b >= 1) && … && a > 0: events 0, 1
  assert.deepEqual([...compileExpression('b' + ' * 1'.repeat(n)).values(cols, 3)], [2, 1, 3]);
  assert.deepEqual([...compileExpression(Array(n).fill('a > 0.7').join(' || ') + ' || b > 2').mask(cols, 3)], [1, 0, 1]);
  assert.deepEqual([...compileExpression(Array(n).fill('b >= 1').join(' && ') + ' && a > 0').mask(cols, 3)], [1, 1, 0]);
  assert.deepEqual(compileExpression(Array(n).fill('a').join(' + ')).columns, ['a']);
  // a long expression with an error still gives a short line
  assert.throws(() => compileExpression(Array(n).fill('a').join(' + ') + ' +'), (e: unknown) => e instanceof FomlabError && e.message.length < 300 && /expected an operand at column/.test(e.message));
});
