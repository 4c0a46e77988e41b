/// <reference types="jsroot" />
// (the reference declares jsroot/io, whose types.d.ts is reached only through the main entry)
import { closeSync, openSync } from 'node:fs';
import { openFile } from 'jsroot/io'; // the I/O part only: the whole of jsroot takes 3× as long to load
import { FomlabError, didYouMean } from '../../core/errors.js';
import { progressBar } from '../../core/progress.js';
import { checkReadable } from './format.js';
import { checkRootHeader, decodeInto, readBasketData, type BasketPlace, type ElementType } from './root-baskets.js';
import type { ColumnData, ColumnInfo, FileDescription, ReadOptions } from './index.js';

/* Minimal shapes of the jsroot objects used here (jsroot ships no types). */
interface JsKey { fName: string; fClassName: string; fCycle: number }
interface JsLeaf { _typename: string; fName: string; fLen: number; fIsUnsigned?: boolean; fLeafCount?: JsLeaf | null; fType?: number }
interface JsBranch {
  _typename: string; fName: string; fTitle: string; fClassName?: string;
  fLeaves: { arr: JsLeaf[] }; fBranches: { arr: JsBranch[] };
  fWriteBasket: number; fBasketSeek: ArrayLike<number>; fBasketBytes: ArrayLike<number>; fBasketEntry: ArrayLike<number>; fEntries: number;
  fBaskets?: { arr: Array<unknown | null> };
}
interface JsTree { fName: string; fEntries: number; fBranches: { arr: JsBranch[] } }
interface JsFile { fKeys: JsKey[]; fd?: number; fs?: { closeSync(fd: number): void }; readObject(name: string, cycle?: number): Promise<unknown> }

/** A branch this reader understands: one numeric leaf, fixed length per entry or counted by another branch. */
interface Leaf {
  name: string;
  branch: JsBranch;
  type: ElementType | null; // null: not numeric (strings, objects)
  typeName: string;
  /** elements per entry (fixed arrays like x[10]); 1 for scalars */
  len: number;
  /** branch holding the per-entry count for jagged leaves */
  countBranch?: string;
}

const LEAF_TYPES: Record<string, [ElementType, ElementType]> = {
  TLeafB: ['int8', 'uint8'], TLeafS: ['int16', 'uint16'], TLeafI: ['int32', 'uint32'], TLeafL: ['int64', 'uint64'],
  TLeafG: ['int64', 'uint64'], TLeafF: ['float32', 'float32'], TLeafD: ['float64', 'float64'], TLeafO: ['bool', 'bool'],
};
/** TStreamerElement type codes of basic types, for TLeafElement */
const ELEMENT_CODES: Record<number, ElementType> = {
  1: 'int8', 2: 'int16', 3: 'int32', 4: 'int64', 5: 'float32', 6: 'int32', 8: 'float64', 11: 'uint8', 12: 'uint16', 13: 'uint32',
  14: 'uint64', 16: 'int64', 17: 'uint64', 18: 'bool',
};

function leafOf(b: JsBranch): Leaf {
  const leaf = b.fLeaves.arr[0];
  let type: ElementType | null = null;
  if (b.fLeaves.arr.length === 1 && b.fBranches.arr.length === 0) {
    if (LEAF_TYPES[leaf._typename]) type = LEAF_TYPES[leaf._typename][leaf.fIsUnsigned ? 1 : 0];
    else if (leaf._typename === 'TLeafElement' && leaf.fType !== undefined) type = ELEMENT_CODES[leaf.fType] ?? null;
  }
  const typeName = type ?? (leaf?._typename === 'TLeafC' ? 'string' : b.fClassName || leaf?._typename || b._typename);
  return { name: b.fName, branch: b, type, typeName, len: leaf?.fLen ?? 1, countBranch: leaf?.fLeafCount?.fName };
}

function allBranches(list: JsBranch[], out: JsBranch[] = []): JsBranch[] {
  for (const b of list) {
    out.push(b);
    allBranches(b.fBranches.arr, out);
  }
  return out;
}

async function openRoot(path: string): Promise<JsFile> {
  const size = checkReadable(path);
  checkRootHeader(path, size);
  try {
    return (await openFile(path)) as JsFile;
  } catch (e) {
    throw new FomlabError(`${path}: cannot open as a ROOT file (${(e as Error).message})`);
  }
}

function closeRoot(f: JsFile): void {
  if (f.fd !== undefined && f.fs) f.fs.closeSync(f.fd);
}

function treeKeys(f: JsFile): JsKey[] {
  const best = new Map<string, JsKey>();
  for (const k of f.fKeys) {
    if (!/^(TTree|TNtuple|TNtupleD)$/.test(k.fClassName)) continue;
    const prev = best.get(k.fName);
    if (!prev || prev.fCycle < k.fCycle) best.set(k.fName, k);
  }
  return [...best.values()];
}

async function loadTree(path: string, f: JsFile, name?: string): Promise<JsTree> {
  const keys = treeKeys(f);
  const names = keys.map((k) => k.fName);
  let key: JsKey | undefined;
  if (name === undefined) {
    if (keys.length === 0) throw new FomlabError(`${path}: contains no TTree (keys: ${f.fKeys.map((k) => `${k.fName} (${k.fClassName})`).join(', ') || 'none'})`);
    if (keys.length > 1) throw new FomlabError(`${path}: has several trees (${names.join(', ')}); choose one with the tree option (--tree)`);
    key = keys[0];
  } else {
    key = keys.find((k) => k.fName === name);
    if (!key) throw new FomlabError(`${path}: no tree '${name}'${didYouMean(name, names)}; trees are: ${names.join(', ') || 'none'}`);
  }
  try {
    return (await f.readObject(key.fName, key.fCycle)) as JsTree;
  } catch (e) {
    throw new FomlabError(`${path}: cannot read tree '${key.fName}' (${(e as Error).message}); the file may be truncated or corrupt`);
  }
}

/** A requested column: a branch name, or 'Branch[k]' for element k of a jagged or fixed-array branch. */
interface Request { column: string; leaf: Leaf; element: number | null }

function resolve(source: string, leaves: Map<string, Leaf>, column: string): Request {
  const m = /^\s*([^[\]\s]+)\s*\[\s*(\d+)\s*\]\s*$/.exec(column);
  const name = m ? m[1] : column.trim();
  const leaf = leaves.get(name);
  if (!leaf) throw new FomlabError(`${source}: no branch '${name}'${didYouMean(name, leaves.keys())}`);
  if (leaf.type === null) throw new FomlabError(`${source}: branch '${name}' has type ${leaf.typeName}, which is not a numeric leaf fomlab can read`);
  const element = m ? Number(m[2]) : null;
  if (element === null && (leaf.countBranch || leaf.len > 1)) {
    const what = leaf.countBranch ? `jagged (variable length per event, counted by '${leaf.countBranch}')` : `a fixed array of ${leaf.len} per event`;
    throw new FomlabError(`${source}: branch '${name}' is ${what}; use '${name}[0]' for the first element of each event (NaN where it has none), or another index`);
  }
  if (element !== null && !leaf.countBranch && element >= leaf.len) throw new FomlabError(`${source}: '${column}' is out of range: branch '${name}' has ${leaf.len} element(s) per event`);
  return { column, leaf, element };
}

type Basket = (BasketPlace & { n: number }) | { inline: Uint8Array; n: number };

/** The baskets of a branch in entry order: those on disk, then one kept inside the TTree object (unclosed writes, NanoAOD). */
function basketsOf(source: string, b: JsBranch, entries: number): Basket[] {
  const out: Basket[] = [];
  let covered = 0;
  for (let i = 0; i < b.fWriteBasket; i++) {
    const first = Number(b.fBasketEntry[i]);
    const next = i + 1 < b.fBasketEntry.length && (i + 1 < b.fWriteBasket || Number(b.fBasketEntry[i + 1]) > first) ? Number(b.fBasketEntry[i + 1]) : entries;
    out.push({ seek: Number(b.fBasketSeek[i]), bytes: Number(b.fBasketBytes[i]), n: next - first });
    covered += next - first;
  }
  if (covered < entries) {
    const kept = (b.fBaskets?.arr ?? []).find((x): x is InlineBasket => isInline(x));
    if (!kept) throw new FomlabError(`${source}: branch '${b.fName}' has ${entries - covered} entries in no basket (corrupt file?)`);
    const dv = kept.fBufferRef.arr;
    const len = Math.min(dv.byteLength, kept.fLast - kept.fKeylen);
    out.push({ inline: new Uint8Array(dv.buffer, dv.byteOffset, Math.max(0, len)), n: entries - covered });
  }
  return out;
}

interface InlineBasket { fNevBuf: number; fLast: number; fKeylen: number; fBufferRef: { arr: DataView } }
function isInline(x: unknown): x is InlineBasket {
  const r = (x as { fBufferRef?: { arr?: unknown } } | null)?.fBufferRef;
  return r !== undefined && r.arr instanceof DataView;
}

/**
 * All values of a branch, flat (entries × len, or the concatenated elements of a jagged branch).
 * Fixed-length branches are decoded basket by basket into the preallocated column, so the raw
 * bytes of only one basket are alive at a time.
 */
async function readFlat(path: string, source: string, fd: number, size: number, leaf: Leaf, entries: number, tick: (n: number) => void): Promise<Float32Array> {
  const type = leaf.type as ElementType;
  const fixed = !leaf.countBranch;
  const out = fixed ? new Float32Array(entries * leaf.len) : null;
  const parts: Array<[Uint8Array, number]> = [];
  let at = 0;
  for (const p of basketsOf(source, leaf.branch, entries)) {
    const data = 'inline' in p ? p.inline : await readBasketData(path, fd, p, size);
    const count = Math.floor(data.length / sizeOf(type));
    if (out) {
      if (at + count > out.length) throw new FomlabError(`${source}: branch '${leaf.name}' holds more values than its ${entries} entries (corrupt file?)`);
      decodeInto(data, type, out, at, count);
    } else parts.push([data, count]);
    at += count;
    tick(p.n);
  }
  if (out) return at === out.length ? out : out.subarray(0, at);
  const flat = new Float32Array(at);
  let k = 0;
  for (const [data, count] of parts) {
    decodeInto(data, type, flat, k, count);
    k += count;
  }
  return flat;
}

function sizeOf(t: ElementType): number {
  return t === 'float64' || t === 'int64' || t === 'uint64' ? 8 : t === 'float32' || t === 'int32' || t === 'uint32' ? 4 : t === 'int16' || t === 'uint16' ? 2 : 1;
}

export async function readRoot(path: string, opts: ReadOptions = {}): Promise<ColumnData> {
  const f = await openRoot(path);
  try {
    const tree = await loadTree(path, f, opts.tree);
    const source = `${path}:${tree.fName}`;
    const leaves = new Map(allBranches(tree.fBranches.arr).map((b) => [b.fName, leafOf(b)] as [string, Leaf]));
    const wanted = opts.columns ?? [...leaves.values()].filter((l) => l.type !== null && !l.countBranch && l.len === 1).map((l) => l.name);
    const requests = wanted.map((c) => resolve(source, leaves, c));
    const entries = Number(tree.fEntries);
    const size = checkReadable(path);
    const fd = openSync(path, 'r');
    const bar = opts.progress === false ? { update() {}, stop() {} } : progressBar(`reading ${source}`, entries * requests.length);
    let done = 0;
    const tick = (n: number) => bar.update((done += n));
    const counts = new Map<string, Float32Array>();
    const columns = new Map<string, Float32Array>();
    try {
      for (const r of requests) {
        const flat = await readFlat(path, source, fd, size, r.leaf, entries, tick);
        if (r.element === null) columns.set(r.column, flat);
        else if (!r.leaf.countBranch) columns.set(r.column, pick(flat, r.leaf.len, r.element, entries));
        else {
          const cb = r.leaf.countBranch;
          let c = counts.get(cb);
          if (!c) {
            const cl = leaves.get(cb);
            if (!cl || cl.type === null) throw new FomlabError(`${source}: count branch '${cb}' of '${r.leaf.name}' is missing`);
            c = await readFlat(path, source, fd, size, cl, entries, () => {});
            counts.set(cb, c);
          }
          columns.set(r.column, pickJagged(source, r.leaf, flat, c, r.element));
        }
      }
    } finally {
      closeSync(fd);
      bar.stop();
    }
    for (const [name, col] of columns) if (col.length !== entries) throw new FomlabError(`${source}: branch '${name}' has ${col.length} values for ${entries} entries (corrupt file?)`);
    return { columns, length: entries, source };
  } finally {
    closeRoot(f);
  }
}

function pick(flat: Float32Array, len: number, k: number, entries: number): Float32Array {
  const out = new Float32Array(entries);
  for (let i = 0; i < entries; i++) out[i] = flat[i * len + k];
  return out;
}

function pickJagged(source: string, leaf: Leaf, flat: Float32Array, counts: Float32Array, k: number): Float32Array {
  const out = new Float32Array(counts.length);
  let off = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] * leaf.len;
    out[i] = k < n ? flat[off + k] : NaN;
    off += n;
  }
  if (off !== flat.length) throw new FomlabError(`${source}: branch '${leaf.name}' has ${flat.length} elements but its counts '${leaf.countBranch}' add up to ${off}`);
  return out;
}

export async function describeRoot(path: string): Promise<FileDescription> {
  const f = await openRoot(path);
  try {
    const trees: FileDescription['trees'] = [];
    for (const k of treeKeys(f)) {
      const tree = await loadTree(path, f, k.fName);
      const columns: ColumnInfo[] = allBranches(tree.fBranches.arr).map((b) => {
        const l = leafOf(b);
        const numeric = l.type !== null;
        const type = numeric && l.len > 1 ? `${l.typeName}[${l.len}]` : l.typeName;
        return { name: l.name, type, jagged: numeric ? Boolean(l.countBranch) || l.len > 1 : /vector|\[/.test(l.typeName) };
      });
      trees.push({ name: tree.fName, entries: Number(tree.fEntries), columns });
    }
    return { path, format: 'root', trees };
  } finally {
    closeRoot(f);
  }
}
