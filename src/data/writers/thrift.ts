/**
 * The Thrift compact protocol, write side only — just what a Parquet footer and page header need
 * (i32, i64, binary, bool, struct, list). Spec: Apache Thrift, doc/specs/thrift-compact-protocol.md.
 * Hand-written because the Parquet writer (parquet.ts) encodes its own metadata: a few hundred
 * bytes per row group, not worth a general library.
 */

/** Compact-protocol type ids. */
export const T = { TRUE: 1, FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

const utf8 = new TextEncoder();

export class CompactWriter {
  private buf = new Uint8Array(256);
  private pos = 0;
  private lastId = 0;
  private readonly stack: number[] = [];

  /** The bytes written so far (a view; valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
    this.lastId = 0;
    this.stack.length = 0;
  }

  private byte(b: number): void {
    if (this.pos === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.pos++] = b;
  }

  /** Unsigned LEB128 of a non-negative integer below 2⁵³ (no bit operators: they stop at 32 bits). */
  private varint(v: number): void {
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  /** zigzag: 0, −1, 1, −2 … → 0, 1, 2, 3 … */
  private zigzag(v: number): void {
    this.varint(v >= 0 ? 2 * v : -2 * v - 1);
  }

  private field(id: number, type: number): void {
    const delta = id - this.lastId;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastId = id;
  }

  i32(id: number, v: number): this {
    this.field(id, T.I32);
    this.zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.field(id, T.I64);
    this.zigzag(v);
    return this;
  }

  bool(id: number, v: boolean): this {
    this.field(id, v ? T.TRUE : T.FALSE);
    return this;
  }

  binary(id: number, v: Uint8Array | string): this {
    this.field(id, T.BINARY);
    this.rawBinary(v);
    return this;
  }

  private rawBinary(v: Uint8Array | string): void {
    const b = typeof v === 'string' ? utf8.encode(v) : v;
    this.varint(b.length);
    for (let i = 0; i < b.length; i++) this.byte(b[i]);
  }

  /** Opens a struct-valued field; close with end(). */
  struct(id: number): this {
    this.field(id, T.STRUCT);
    return this.begin();
  }

  /** Opens a struct (a list element or the top level): field ids restart. */
  begin(): this {
    this.stack.push(this.lastId);
    this.lastId = 0;
    return this;
  }

  /** Closes the innermost struct (STOP byte). */
  end(): this {
    this.byte(0);
    this.lastId = this.stack.pop() ?? 0;
    return this;
  }

  /** A list field header; the caller then writes `size` elements of `elemType`. */
  list(id: number, elemType: number, size: number): this {
    this.field(id, T.LIST);
    if (size < 15) this.byte((size << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(size);
    }
    return this;
  }

  /** A list element of type I32. */
  elemI32(v: number): this {
    this.zigzag(v);
    return this;
  }

  /** A list element of type BINARY (string). */
  elemBinary(v: Uint8Array | string): this {
    this.rawBinary(v);
    return this;
  }
}
