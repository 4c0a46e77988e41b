import { readFileSync } from 'node:fs';
import { FomlabError, didYouMean } from '../../core/errors.js';
import type { ColumnData, FileDescription, ReadOptions } from './index.js';

/*
 * Own small CSV/TSV parser instead of a library: the files are plain numeric tables, so a
 * single pass over the text with indexOf() and Number() per cell, written straight into growing
 * Float32Arrays, avoids the per-row object/array allocations of general CSV libraries (quoting,
 * type inference) — several times faster and far less memory on large files.
 */

const DELIMITERS = [',', '\t', ';', ' ', '|'];

/** The delimiter that splits the header and the first data lines into the same, largest, number of cells. */
export function sniffDelimiter(lines: string[]): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => splitLine(l, d).length);
    if (counts.every((c) => c === counts[0]) && counts[0] > bestCount) {
      best = d;
      bestCount = counts[0];
    }
  }
  return best;
}

function splitLine(line: string, delim: string): string[] {
  const cells = delim === ' ' ? line.trim().split(/ +/) : line.split(delim);
  return cells.map((c) => unquote(c.trim()));
}

function unquote(s: string): string {
  return s.length >= 2 && ((s[0] === '"' && s[s.length - 1] === '"') || (s[0] === "'" && s[s.length - 1] === "'")) ? s.slice(1, -1) : s;
}

interface Parsed {
  header: string[];
  delim: string;
  text: string;
  bodyStart: number;
  firstLine: number;
}

function parseHeader(path: string): Parsed {
  const text = readFileSync(path, 'latin1');
  // a UTF-8 byte-order mark (EF BB BF, as Excel writes) is not part of the first column's name
  let pos = text.startsWith('\xEF\xBB\xBF') ? 3 : 0;
  let line = 1;
  // skip empty and comment lines before the header
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const l = text.slice(pos, end).trim();
    if (l !== '' && !l.startsWith('#')) break;
    pos = nextLine(text, end);
    line++;
  }
  if (pos >= text.length) throw new FomlabError(`${path}: empty CSV file (no header row)`);
  const sample: string[] = [];
  for (let p = pos; p < text.length && sample.length < 6; ) {
    const e = lineEnd(text, p);
    const l = text.slice(p, e);
    if (l.trim() !== '') sample.push(l);
    p = nextLine(text, e);
  }
  const delim = sniffDelimiter(sample);
  const hEnd = lineEnd(text, pos);
  const header = splitLine(text.slice(pos, hEnd), delim);
  header.forEach((h, i) => {
    if (h === '') header[i] = `column${i + 1}`;
  });
  const first = new Map<string, number>();
  header.forEach((h, i) => {
    const j = first.get(h);
    if (j !== undefined) throw new FomlabError(`${path}: columns ${j + 1} and ${i + 1} of the header are both named '${h}'; rename one (fomlab does not guess which is meant)`);
    first.set(h, i);
  });
  return { header, delim, text, bodyStart: nextLine(text, hEnd), firstLine: line + 1 };
}

function lineEnd(text: string, pos: number): number {
  const e = text.indexOf('\n', pos);
  const end = e < 0 ? text.length : e;
  return end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

function nextLine(text: string, end: number): number {
  if (text.charCodeAt(end) === 13) end++;
  return end + 1;
}

/** a cell as a number: empty, 'nan' → NaN; 'inf', '-inf' accepted; anything else not numeric → null */
function cellValue(cell: string): number | null {
  if (cell === '') return NaN;
  const v = Number(cell);
  if (!Number.isNaN(v)) return radixPrefixed(cell) ? null : v;
  const low = unquote(cell.trim()).toLowerCase();
  if (low === 'nan' || low === '') return NaN;
  if (low === 'inf' || low === '+inf' || low === 'infinity') return Infinity;
  if (low === '-inf' || low === '-infinity') return -Infinity;
  const u = Number(unquote(cell.trim()));
  return Number.isNaN(u) || radixPrefixed(unquote(cell.trim())) ? null : u;
}

/** '0x10', '0b11', '0o7' (which Number() reads as 16, 3, 7): not decimal numbers, so not data. */
function radixPrefixed(cell: string): boolean {
  let i = 0;
  while (cell.charCodeAt(i) === 32 || cell.charCodeAt(i) === 9) i++;
  if (cell.charCodeAt(i) !== 48 /* 0 */) return false;
  const c = cell.charCodeAt(i + 1) | 0x20; // lower case
  return c === 120 /* x */ || c === 98 /* b */ || c === 111 /* o */;
}

export async function readCsv(path: string, opts: ReadOptions = {}): Promise<ColumnData> {
  const { header, delim, text, bodyStart, firstLine } = parseHeader(path);
  const wanted = opts.columns ?? header;
  const index = wanted.map((name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new FomlabError(`${path}: no column '${name}'${didYouMean(name, header)}; columns are: ${header.join(', ')}`);
    return i;
  });
  const ncol = header.length;
  let cap = 1024;
  let data = index.map(() => new Float32Array(cap));
  let n = 0;
  let pos = bodyStart;
  let line = firstLine;
  const slot = new Int32Array(ncol).fill(-1);
  index.forEach((h, k) => (slot[h] = k));
  const space = delim === ' ';
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    if (end === pos || text.slice(pos, end).trim() === '' || text.charCodeAt(pos) === 35 /* # */) {
      pos = nextLine(text, end);
      line++;
      continue;
    }
    if (n === cap) {
      cap *= 2;
      data = data.map((c) => {
        const g = new Float32Array(cap);
        g.set(c);
        return g;
      });
    }
    const cells = space ? text.slice(pos, end).trim().split(/ +/) : text.slice(pos, end).split(delim);
    if (cells.length !== ncol) throw new FomlabError(`${path}: line ${line} has ${cells.length} cells, the header has ${ncol}`);
    for (let c = 0; c < ncol; c++) {
      const k = slot[c];
      if (k < 0) continue;
      const v = cellValue(cells[c]);
      if (v === null) throw new FomlabError(`${path}: line ${line}, column '${header[c]}': '${cells[c].trim()}' is not a number`);
      data[k][n] = v;
    }
    n++;
    pos = nextLine(text, end);
    line++;
  }
  const columns = new Map<string, Float32Array>();
  wanted.forEach((name, k) => columns.set(name, data[k].slice(0, n)));
  return { columns, length: n, source: path };
}

export async function describeCsv(path: string): Promise<FileDescription> {
  const { columns, length } = await readCsv(path);
  return {
    path,
    format: 'csv',
    trees: [{ name: '', entries: length, columns: [...columns.keys()].map((name) => ({ name, type: 'number', jagged: false })) }],
  };
}
