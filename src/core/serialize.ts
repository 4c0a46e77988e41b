/**
 * Parameter files in the safetensors layout (https://huggingface.co/docs/safetensors):
 * 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}} plus
 * an optional "__metadata__" string→string map, then the raw little-endian data. Bit-exact round
 * trip; extra JSON (scaler, config) goes into the metadata as strings. Written atomically.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { writeFileAtomically } from './atomic.js';
import { FomlabError } from './errors.js';
import { Tensor, type FloatArray } from './tensor.js';

export type StoredArray = FloatArray | Int32Array;
export interface NamedArray {
  data: StoredArray;
  shape: readonly number[];
}

const DTYPES = { F32: Float32Array, F64: Float64Array, I32: Int32Array } as const;
type StDtype = keyof typeof DTYPES;

function stDtype(a: StoredArray): StDtype {
  if (a instanceof Float32Array) return 'F32';
  if (a instanceof Float64Array) return 'F64';
  return 'I32';
}

function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new FomlabError('safetensors files are little-endian; this machine is big-endian (not supported)');
}

/** Encodes named arrays (in the given order) and string metadata into safetensors bytes. */
export function encodeSafetensors(entries: Iterable<[string, Tensor | NamedArray]>, metadata: Record<string, string> = {}): Uint8Array {
  assertLittleEndian();
  const list = [...entries].map(([name, t]): [string, NamedArray] => [name, { data: t.data, shape: t.shape }]);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let off = 0;
  for (const [name, t] of list) {
    if (name === '__metadata__') throw new FomlabError("a tensor cannot be named '__metadata__'");
    if (name in header) throw new FomlabError(`duplicate tensor name '${name}'`);
    header[name] = { dtype: stDtype(t.data), shape: [...t.shape], data_offsets: [off, off + t.data.byteLength] };
    off += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // pad the header with spaces so the data starts 8-byte aligned (as the reference writer does)
  const enc = new TextEncoder();
  let hbytes = enc.encode(json);
  const pad = (8 - (hbytes.length % 8)) % 8;
  if (pad) hbytes = enc.encode((json += ' '.repeat(pad)));
  const out = new Uint8Array(8 + hbytes.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hbytes.length), true);
  out.set(hbytes, 8);
  let pos = 8 + hbytes.length;
  for (const [, t] of list) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

export interface Safetensors {
  /** arrays in file order */
  tensors: Map<string, NamedArray>;
  metadata: Record<string, string>;
}

/** Decodes safetensors bytes (F32, F64, I32). */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): Safetensors {
  assertLittleEndian();
  if (bytes.length < 8) throw new FomlabError(`${source}: too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new FomlabError(`${source}: header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    throw new FomlabError(`${source}: header is not JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const tensors = new Map<string, NamedArray>();
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = v as Record<string, string>;
      continue;
    }
    const e = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const Ctor = DTYPES[e.dtype as StDtype];
    if (!Ctor) throw new FomlabError(`${source}: tensor '${name}' has dtype ${e.dtype}; supported: ${Object.keys(DTYPES).join(', ')}`);
    const [s, t] = e.data_offsets;
    const count = e.shape.reduce((p, q) => p * q, 1);
    if (t - s !== count * Ctor.BYTES_PER_ELEMENT || dataStart + t > bytes.length) {
      throw new FomlabError(`${source}: tensor '${name}' offsets ${s}..${t} do not fit shape [${e.shape.join(', ')}] ${e.dtype}`);
    }
    // copy into a fresh, aligned buffer
    const copy = new Uint8Array(t - s); // (Buffer.slice would be a view into Node's pool)
    copy.set(bytes.subarray(dataStart + s, dataStart + t));
    tensors.set(name, { data: new Ctor(copy.buffer), shape: e.shape });
  }
  return { tensors, metadata };
}

/** Writes tensors (e.g. `module.stateDict()`) and metadata to `path` atomically. */
export function saveSafetensors(path: string, entries: Iterable<[string, Tensor | NamedArray]>, metadata: Record<string, string> = {}): void {
  writeFileAtomically(path, encodeSafetensors(entries, metadata));
}

/** Reads a safetensors file. */
export function loadSafetensors(path: string): Safetensors {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FomlabError(`cannot read parameter file ${path}: ${(e as Error).message}`);
  }
  return decodeSafetensors(bytes, path);
}

/** The floating-point arrays of a file as tensors (for `module.loadStateDict`). */
export function tensorsOf(st: Safetensors): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, a] of st.tensors) {
    if (a.data instanceof Int32Array) continue;
    out.set(name, new Tensor(a.data, a.shape));
  }
  return out;
}
