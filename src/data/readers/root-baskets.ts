import { closeSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { R__unzip } from 'jsroot/io';
import { FomlabError } from '../../core/errors.js';

/*
 * Low-level ROOT I/O done here rather than through jsroot's per-entry TSelector: a flat numeric
 * branch is a list of baskets, each a (compressed) run of big-endian values, so reading it
 * basket by basket and decoding with one DataView loop is ~10× faster than the entry loop.
 * jsroot still parses the file's directory, streamer infos and the TTree object.
 */

/** Checks the file header: magic, and that the file is as long as the header says (truncation). */
export function checkRootHeader(path: string, size: number): void {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(64);
  try {
    readSync(fd, head, 0, 64, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 0, 4) !== 'root') throw new FomlabError(`${path}: not a ROOT file`);
  const version = head.readInt32BE(4);
  const end = version >= 1000000 ? Number(head.readBigInt64BE(12)) : head.readInt32BE(12);
  if (size < end) throw new FomlabError(`${path}: ROOT file is truncated (its header says ${end} bytes, the file has ${size}); was the copy or download interrupted?`);
}

/** Numeric element types a leaf can hold, with their size in bytes. */
export type ElementType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64' | 'bool';

export const ELEMENT_SIZE: Record<ElementType, number> = {
  int8: 1, uint8: 1, bool: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, int64: 8, uint64: 8, float64: 8,
};

/** Where one basket of a branch lies in the file. */
export interface BasketPlace {
  seek: number;
  bytes: number;
}

/** Reads a basket and returns its data part (without key header and entry offsets), uncompressed. */
export async function readBasketData(path: string, fd: number, place: BasketPlace, fileSize: number): Promise<Uint8Array> {
  if (place.seek + place.bytes > fileSize) throw new FomlabError(`${path}: ROOT file is truncated (a basket lies beyond its end)`);
  const buf = Buffer.allocUnsafe(place.bytes);
  readSync(fd, buf, 0, place.bytes, place.seek);
  const objlen = buf.readInt32BE(6);
  const keylen = buf.readInt16BE(14);
  const keyVersion = buf.readInt16BE(4);
  // key header: skip seekKey/seekPdir, then class name, name and title strings
  let p = 18 + (keyVersion > 1000 ? 16 : 8);
  for (let s = 0; s < 3; s++) {
    const n = buf[p];
    p += n === 255 ? 5 + buf.readInt32BE(p + 1) : 1 + n;
  }
  // TBasket: fVersion(2) fBufferSize(4) fNevBufSize(4) fNevBuf(4) fLast(4)
  const last = buf.readInt32BE(p + 14);
  // a corrupt key must not ask for gigabytes: ROOT's codecs expand ≤ ~1000× (zlib's limit is 1032×)
  if (keylen < 0 || keylen > place.bytes || objlen < 0 || objlen > 1100 * place.bytes + (1 << 20))
    throw new FomlabError(`${path}: corrupt basket header at byte ${place.seek} (key length ${keylen}, object length ${objlen} for ${place.bytes} bytes on disk)`);
  const compressed = buf.subarray(keylen, place.bytes);
  const payload = compressed.length === objlen ? compressed : await unzip(path, compressed, objlen);
  return payload.subarray(0, Math.max(0, Math.min(last - keylen, payload.length)));
}

/** ROOT compression blocks: zlib through node's native zlib, the rest (LZ4, ZSTD, LZMA) through jsroot. */
async function unzip(path: string, src: Uint8Array, objlen: number): Promise<Uint8Array> {
  const out = new Uint8Array(objlen);
  let cur = 0;
  let filled = 0;
  while (filled < objlen) {
    if (cur + 9 > src.length) throw new FomlabError(`${path}: corrupt compressed basket (ends early)`);
    const csize = src[cur + 3] | (src[cur + 4] << 8) | (src[cur + 5] << 16);
    const usize = src[cur + 6] | (src[cur + 7] << 8) | (src[cur + 8] << 16);
    const block = src.subarray(cur, cur + 9 + csize);
    const codec = String.fromCharCode(src[cur], src[cur + 1]);
    const corrupt = (why: string) => new FomlabError(`${path}: cannot decompress a basket (${why}; compression '${codec}'); the file is corrupt`);
    if (usize > objlen - filled) throw corrupt(`a block says ${usize} bytes where ${objlen - filled} remain`);
    let res: Uint8Array;
    try {
      if (src[cur] === 0x5a && src[cur + 1] === 0x4c /* ZL */) res = inflateSync(block.subarray(9), { maxOutputLength: objlen - filled + 1 });
      else {
        // noalert: jsroot's own "R__unzip: …" line would come before fomlab's
        const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
        const dv = (await R__unzip(view, usize, true)) as DataView | null;
        if (!dv) throw new Error('unknown or corrupt compressed block');
        res = new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength);
      }
    } catch (e) {
      throw corrupt((e as Error).message.split('\n')[0]);
    }
    out.set(res.subarray(0, objlen - filled), filled);
    filled += res.length;
    cur += 9 + csize;
  }
  return out;
}

/** Decodes `count` big-endian values of `type` from `bytes`, every `stride`-th starting at `first`, into out[at…]. */
export function decodeInto(bytes: Uint8Array, type: ElementType, out: Float32Array, at: number, count: number, stride = 1, first = 0): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = ELEMENT_SIZE[type];
  const step = size * stride;
  let o = first * size;
  switch (type) {
    case 'float64':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getFloat64(o);
      break;
    case 'float32':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getFloat32(o);
      break;
    case 'int32':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getInt32(o);
      break;
    case 'uint32':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getUint32(o);
      break;
    case 'int16':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getInt16(o);
      break;
    case 'uint16':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getUint16(o);
      break;
    case 'int8':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getInt8(o);
      break;
    case 'uint8':
    case 'bool':
      for (let i = 0; i < count; i++, o += step) out[at + i] = bytes[o];
      break;
    case 'int64':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getInt32(o) * 4294967296 + dv.getUint32(o + 4);
      break;
    case 'uint64':
      for (let i = 0; i < count; i++, o += step) out[at + i] = dv.getUint32(o) * 4294967296 + dv.getUint32(o + 4);
      break;
  }
}
