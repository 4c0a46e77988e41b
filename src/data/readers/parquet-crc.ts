import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { FomlabError } from '../../core/errors.js';
import { crc32 } from '../crc32.js';

/*
 * Page checksums. A Parquet PageHeader may carry `crc` (field 4): the CRC-32 of the page's bytes
 * after the header, as stored (compressed) — parquet-format, PageHeader.crc. hyparquet ignores
 * it, so 5 kB of garbage in a float page read as values of ±3e38 without a word. Here the file
 * buffer checks every page of a column chunk when hyparquet fetches that chunk (the same bytes,
 * no second read), and a mismatch is an error naming the file, column, row group and page.
 */

interface ChunkPlace { column: string; rowGroup: number; start: number; end: number }

/** `file` whose slices starting at a column chunk have that chunk's page CRCs checked. */
export function crcCheckedBuffer(path: string, file: AsyncBuffer, meta: FileMetaData): AsyncBuffer {
  const chunks = new Map<number, ChunkPlace>();
  meta.row_groups.forEach((rg, r) => {
    for (const c of rg.columns) {
      const m = c.meta_data;
      if (!m) continue;
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
      chunks.set(start, { column: m.path_in_schema.join('.'), rowGroup: r, start, end: start + Number(m.total_compressed_size) });
    }
  });
  const starts = [...chunks.keys()].sort((x, y) => x - y);
  const verified = new Set<number>();
  return {
    byteLength: file.byteLength,
    slice(start: number, end?: number) {
      const bytes = file.slice(start, end);
      // hyparquet may fetch one chunk or several adjacent ones in one slice: check each chunk inside
      const check = (b: ArrayBuffer): ArrayBuffer => {
        for (const s of starts) {
          if (s < start || verified.has(s)) continue;
          const place = chunks.get(s)!;
          if (place.end > start + b.byteLength) break;
          checkPages(path, new DataView(b, s - start, place.end - s), place);
          verified.add(s);
        }
        return b;
      };
      return bytes instanceof ArrayBuffer ? check(bytes) : bytes.then(check);
    },
  };
}

/** Walks the pages of one column chunk (`view` is the chunk: first page header to end) and checks each CRC present. */
function checkPages(path: string, view: DataView, place: ChunkPlace): void {
  const where = (page: number) => `${path}: column '${place.column}', row group ${place.rowGroup + 1}, page ${page}`;
  const length = view.byteLength;
  const reader = { view, offset: 0 };
  for (let page = 1; reader.offset < length; page++) {
    let header: ReturnType<typeof parquetHeader>;
    try {
      header = parquetHeader(reader);
    } catch {
      throw new FomlabError(`${where(page)}: unreadable page header; the file is corrupt`);
    }
    const size = header.compressed_page_size;
    if (!Number.isInteger(size) || size < 0 || reader.offset + size > length)
      throw new FomlabError(`${where(page)}: the page header gives ${size} bytes, beyond the column chunk; the file is corrupt or truncated`);
    if (header.crc !== undefined) {
      const stored = header.crc >>> 0;
      const actual = crc32(new Uint8Array(view.buffer, view.byteOffset + reader.offset, size));
      if (stored !== actual)
        throw new FomlabError(`${where(page)}: checksum mismatch (CRC-32 ${hex(stored)} in the page header, ${hex(actual)} of the page's ${size} bytes): the page is corrupt`);
    }
    reader.offset += size;
  }
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
