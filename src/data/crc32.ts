import * as zlib from 'node:zlib';
import { nativeBinding } from '../core/kernels/native.js';

/*
 * CRC-32 (IEEE 802.3, the one of gzip and zlib; polynomial 0xEDB88320 reflected), as the Parquet
 * spec wants for PageHeader.crc: over the page's bytes after its header, as stored (compressed).
 * The addon's PCLMULQDQ folding (native/src/crc32.cc, ≈ 2.5× zlib's on this machine: the Parquet
 * writer checksums every page it writes) where the CPU has it; else node ≥ 20.15's zlib.crc32; the
 * table version is for older node 20.
 */

let table: Uint32Array | null = null;

function crc32Table(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const zlibCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;
const folded = nativeBinding?.crc32;

/** CRC-32 of `bytes` as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array): number {
  return folded ? folded(bytes) : crc32Zlib(bytes);
}

/** zlib's (or the table's), exported so a test can check the addon's against it. */
export function crc32Zlib(bytes: Uint8Array): number {
  return zlibCrc32 ? zlibCrc32(bytes) >>> 0 : crc32Table(bytes);
}

/** The table version, exported so a test can check it against zlib's. */
export const crc32Portable = crc32Table;
