import { FomlabError, didYouMean } from '../core/errors.js';
import type { EventTable } from './table.js';

/**
 * Selection expressions such as `M2 > 0 && labels >= 0 && abs(Muon_Eta[0]) < 2.4`, parsed by
 * hand (no eval) and evaluated column-wise.
 *
 * Grammar (lowest precedence first):
 *   or      := and ('||' and)*
 *   and     := compare ('&&' compare)*
 *   compare := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '!') unary | primary
 *   primary := number | column | function '(' or (',' or)* ')' | '(' or ')'
 * A column is a name, optionally with an index (`Muon_Px[0]`) that is part of the name.
 * True is 1, false 0; a value is true when it is neither 0 nor NaN.
 *
 * Nesting (parentheses, function calls, unary operators) is bounded by MAX_DEPTH, so a deep
 * expression is a one-line error rather than a stack overflow; a long flat run of one level's
 * operators (`a + b + … `, `c1 || c2 || …`, 20,000 terms) is one n-ary node evaluated in a loop.
 */

/** Deepest nesting of parentheses, calls and unary operators accepted. */
export const MAX_DEPTH = 200;

type TokenKind = 'number' | 'name' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset in the expression */
  pos: number;
}

const OPERATORS = ['&&', '||', '<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '!', '(', ')', ','];

/** The expression as quoted in messages: shortened when long, so an error stays one readable line. */
function quoted(expr: string): string {
  return expr.length <= 120 ? `"${expr}"` : `"${expr.slice(0, 80)} … ${expr.slice(-30)}" (${expr.length} characters)`;
}

function fail(expr: string, what: string, pos: number): never {
  throw new FomlabError(`selection ${quoted(expr)}: ${what} at column ${pos + 1}`);
}

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(expr.slice(i));
    if (num) {
      if (/^[A-Za-z_]/.test(expr.slice(i + num[0].length))) fail(expr, `bad number '${num[0]}${expr[i + num[0].length]}'`, i);
      out.push({ kind: 'number', text: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*(?:\s*\[\s*\d+\s*\])?/.exec(expr.slice(i));
    if (name) {
      out.push({ kind: 'name', text: name[0].replace(/\s+/g, ''), pos: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => expr.startsWith(o, i));
    if (!op) {
      const hint = c === '&' || c === '|' ? ` (use '${c}${c}')` : c === '=' ? " (use '==')" : '';
      fail(expr, `unexpected character '${c}'${hint}`, i);
    }
    out.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', pos: expr.length });
  return out;
}

/** Parsed expression tree. */
type Node =
  | { kind: 'number'; value: number }
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'unary'; op: string; arg: Node }
  | { kind: 'chain'; first: Node; ops: string[]; rest: Node[] }
  | { kind: 'call'; fn: string; args: Node[] };

const FUNCTIONS: Record<string, { arity: [number, number]; f: (...x: number[]) => number }> = {
  abs: { arity: [1, 1], f: Math.abs },
  sqrt: { arity: [1, 1], f: Math.sqrt },
  log: { arity: [1, 1], f: Math.log },
  exp: { arity: [1, 1], f: Math.exp },
  min: { arity: [2, Infinity], f: Math.min },
  max: { arity: [2, Infinity], f: Math.max },
};

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly expr: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Node {
    if (this.peek().kind === 'end') fail(this.expr, 'expected an operand', 0);
    const n = this.or();
    const t = this.peek();
    if (t.kind !== 'end') fail(this.expr, `unexpected '${t.text}'`, t.pos);
    return n;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }
  private accept(...ops: string[]): string | null {
    const t = this.peek();
    if (t.kind === 'op' && ops.includes(t.text)) {
      this.i++;
      return t.text;
    }
    return null;
  }
  /** `next (op next)*` as one n-ary node, evaluated left to right (no recursion per term). */
  private binaryLevel(ops: string[], next: () => Node, once = false): Node {
    const first = next();
    const node = { kind: 'chain' as const, first, ops: [] as string[], rest: [] as Node[] };
    for (let op = this.accept(...ops); op; op = once ? null : this.accept(...ops)) {
      node.ops.push(op);
      node.rest.push(next());
    }
    return node.ops.length ? node : first;
  }
  /** One more level of nesting at token `pos`; an error beyond MAX_DEPTH. */
  private nest<T>(pos: number, inner: () => T): T {
    if (++this.depth > MAX_DEPTH) fail(this.expr, `nested more than ${MAX_DEPTH} levels deep (parentheses, function calls, unary operators); simplify it`, pos);
    const n = inner();
    this.depth--;
    return n;
  }
  private or = (): Node => this.binaryLevel(['||'], this.and);
  private and = (): Node => this.binaryLevel(['&&'], this.compare);
  private compare = (): Node => {
    const n = this.binaryLevel(['<=', '>=', '==', '!=', '<', '>'], this.sum, true);
    const t = this.peek();
    if (t.kind === 'op' && ['<=', '>=', '==', '!=', '<', '>'].includes(t.text)) fail(this.expr, `chained comparison '${t.text}' (use && between comparisons)`, t.pos);
    return n;
  };
  private sum = (): Node => this.binaryLevel(['+', '-'], this.product);
  private product = (): Node => this.binaryLevel(['*', '/'], this.unary);
  private unary = (): Node => {
    const pos = this.peek().pos;
    const op = this.accept('-', '!');
    return op ? this.nest(pos, () => ({ kind: 'unary', op, arg: this.unary() })) : this.primary();
  };
  private primary(): Node {
    const t = this.peek();
    if (t.kind === 'number') {
      this.i++;
      return { kind: 'number', value: Number(t.text) };
    }
    if (t.kind === 'name') {
      this.i++;
      const next = this.peek();
      if (next.kind === 'op' && next.text === '(') {
        const fn = FUNCTIONS[t.text];
        if (!fn) fail(this.expr, `unknown function '${t.text}'${didYouMean(t.text, Object.keys(FUNCTIONS))}`, t.pos);
        this.i++;
        const args = this.nest(t.pos, () => {
          const list = [this.or()];
          while (this.accept(',')) list.push(this.or());
          this.expect(')', `')' to close ${t.text}(`);
          return list;
        });
        if (args.length < fn.arity[0] || args.length > fn.arity[1]) {
          const want = fn.arity[0] === fn.arity[1] ? `${fn.arity[0]} argument` : `at least ${fn.arity[0]} arguments`;
          fail(this.expr, `${t.text}() takes ${want}, got ${args.length}`, t.pos);
        }
        return { kind: 'call', fn: t.text, args };
      }
      return { kind: 'column', name: t.text, pos: t.pos };
    }
    if (this.accept('(')) {
      return this.nest(t.pos, () => {
        const n = this.or();
        this.expect(')', "')'");
        return n;
      });
    }
    fail(this.expr, t.kind === 'end' ? 'expected an operand' : `expected an operand, got '${t.text}'`, t.pos);
  }
  private expect(op: string, what: string): void {
    if (!this.accept(op)) {
      const t = this.peek();
      fail(this.expr, `expected ${what}${t.kind === 'end' ? '' : `, got '${t.text}'`}`, t.pos);
    }
  }
}

/** Values are a constant or one value per event (float64 to keep arithmetic exact-ish). */
type Values = number | Float64Array;

function truth(x: number): number {
  return x !== 0 && x === x ? 1 : 0;
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '<': (a, b) => (a < b ? 1 : 0),
  '<=': (a, b) => (a <= b ? 1 : 0),
  '>': (a, b) => (a > b ? 1 : 0),
  '>=': (a, b) => (a >= b ? 1 : 0),
  '==': (a, b) => (a === b ? 1 : 0),
  '!=': (a, b) => (a !== b ? 1 : 0),
  '&&': (a, b) => truth(a) & truth(b),
  '||': (a, b) => truth(a) | truth(b),
};

function mapValues(args: Values[], n: number, f: (...x: number[]) => number): Values {
  if (args.every((a) => typeof a === 'number')) return f(...(args as number[]));
  const out = new Float64Array(n);
  if (args.length === 1) {
    const a = args[0] as Float64Array;
    for (let i = 0; i < n; i++) out[i] = f(a[i]);
  } else if (args.length === 2) {
    const [a, b] = args;
    if (typeof a === 'number') for (let i = 0, bb = b as Float64Array; i < n; i++) out[i] = f(a, bb[i]);
    else if (typeof b === 'number') for (let i = 0; i < n; i++) out[i] = f(a[i], b);
    else for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  } else {
    const row = new Array<number>(args.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < args.length; k++) {
        const a = args[k];
        row[k] = typeof a === 'number' ? a : a[i];
      }
      out[i] = f(...row);
    }
  }
  return out;
}

type Evaluator = (columns: ReadonlyMap<string, ArrayLike<number>>, n: number) => Values;

function compileNode(node: Node, expr: string): Evaluator {
  switch (node.kind) {
    case 'number':
      return () => node.value;
    case 'column':
      return (cols, n) => {
        const c = cols.get(node.name);
        if (!c) throw new FomlabError(`selection ${quoted(expr)}: no column '${node.name}'${didYouMean(node.name, cols.keys())}`);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = c[i];
        return out;
      };
    case 'unary': {
      const arg = compileNode(node.arg, expr);
      const f = node.op === '-' ? (x: number) => -x : (x: number) => 1 - truth(x);
      return (cols, n) => mapValues([arg(cols, n)], n, f);
    }
    case 'chain': {
      const first = compileNode(node.first, expr);
      const rest = node.rest.map((r) => compileNode(r, expr));
      const fs = node.ops.map((op) => BINARY[op]);
      return (cols, n) => {
        let acc = first(cols, n);
        for (let k = 0; k < rest.length; k++) {
          const b = rest[k](cols, n);
          const f = fs[k];
          if (typeof acc === 'number') acc = mapValues([acc, b], n, f);
          // every per-event array is a fresh temporary: fold into it in place
          else if (typeof b === 'number') for (let i = 0; i < n; i++) acc[i] = f(acc[i], b);
          else for (let i = 0; i < n; i++) acc[i] = f(acc[i], b[i]);
        }
        return acc;
      };
    }
    case 'call': {
      const args = node.args.map((a) => compileNode(a, expr));
      const f = FUNCTIONS[node.fn].f;
      return (cols, n) => mapValues(args.map((a) => a(cols, n)), n, f);
    }
  }
}

function collectColumns(node: Node, out: Set<string>): void {
  if (node.kind === 'column') out.add(node.name);
  else if (node.kind === 'unary') collectColumns(node.arg, out);
  else if (node.kind === 'chain') {
    collectColumns(node.first, out);
    node.rest.forEach((r) => collectColumns(r, out));
  } else if (node.kind === 'call') node.args.forEach((a) => collectColumns(a, out));
}

/** A parsed expression, ready to evaluate on any set of columns. */
export interface CompiledExpression {
  readonly text: string;
  /** the column names it reads, in order of first use (index expressions like `Muon_Px[0]` included) */
  readonly columns: string[];
  /** one value per event */
  values(columns: ReadonlyMap<string, ArrayLike<number>>, length: number): Float64Array;
  /** 1 where the expression is true, else 0 */
  mask(columns: ReadonlyMap<string, ArrayLike<number>>, length: number): Float32Array;
}

/** Parses `expr`; a syntax error is a FomlabError naming the column (1-based) where it is. */
export function compileExpression(expr: string): CompiledExpression {
  const root = new Parser(expr, tokenize(expr)).parse();
  const evaluate = compileNode(root, expr);
  const used = new Set<string>();
  collectColumns(root, used);
  const values = (cols: ReadonlyMap<string, ArrayLike<number>>, n: number): Float64Array => {
    const v = evaluate(cols, n);
    return typeof v === 'number' ? new Float64Array(n).fill(v) : v;
  };
  return {
    text: expr,
    columns: [...used],
    values,
    mask(cols, n) {
      const v = evaluate(cols, n);
      if (typeof v === 'number') return new Float32Array(n).fill(truth(v));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = truth(v[i]);
      return out;
    },
  };
}

/** The columns an expression reads, so a loader reads only those. */
export function columnsUsed(expr: string): string[] {
  return compileExpression(expr).columns;
}

/** Per-event 0/1 mask of `expr` on `table`; an unknown column names the near matches. */
export function selectionMask(table: EventTable, expr: string | CompiledExpression): Float32Array {
  const c = typeof expr === 'string' ? compileExpression(expr) : expr;
  return c.mask(table.columns, table.length);
}

/** The events of `table` for which `expr` is true. */
export function applySelection(table: EventTable, expr: string | CompiledExpression): EventTable {
  return table.filter(selectionMask(table, expr));
}
