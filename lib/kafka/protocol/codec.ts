// Kafka wire primitives (https://kafka.apache.org/protocol#protocol_types).
//
// A Writer/Reader is built for one message version: `flexible` selects the compact encodings (unsigned-varint
// lengths, +1 so that 0 means null) and tagged-field sections that "flexible" versions use, so codecs call
// `string()`/`array()` once instead of branching per version.
//
// int64 values are returned as JS numbers: offsets, producer ids and timestamps stay far below 2^53 in practice.
// A value outside the safe range is a ProtocolDecodeError rather than a silently rounded number.

export class ProtocolDecodeError extends Error {
  override name = "ProtocolDecodeError";
}

export class ProtocolEncodeError extends Error {
  override name = "ProtocolEncodeError";
}

export interface CodecOptions {
  flexible: boolean;
}

const UINT32_MAX = 0xffffffff;

export class Writer {
  readonly flexible: boolean;
  private chunks: Buffer[] = [];

  constructor({ flexible }: CodecOptions) {
    this.flexible = flexible;
  }

  private push(buf: Buffer): this {
    this.chunks.push(buf);
    return this;
  }

  private fixed(size: number, write: (buf: Buffer) => void): this {
    const buf = Buffer.alloc(size);
    write(buf);
    return this.push(buf);
  }

  int8(value: number): this {
    return this.fixed(1, (b) => b.writeInt8(value));
  }

  int16(value: number): this {
    return this.fixed(2, (b) => b.writeInt16BE(value));
  }

  int32(value: number): this {
    return this.fixed(4, (b) => b.writeInt32BE(value));
  }

  uint32(value: number): this {
    return this.fixed(4, (b) => b.writeUInt32BE(value));
  }

  int64(value: number): this {
    if (!Number.isSafeInteger(value)) {
      throw new ProtocolEncodeError(`int64 value ${value} is not a safe integer`);
    }
    return this.fixed(8, (b) => b.writeBigInt64BE(BigInt(value)));
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  uuid(bytes: Buffer): this {
    if (bytes.length !== 16) throw new ProtocolEncodeError(`uuid must be 16 bytes, got ${bytes.length}`);
    return this.push(Buffer.from(bytes));
  }

  raw(bytes: Buffer): this {
    return this.push(Buffer.from(bytes));
  }

  unsignedVarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
      throw new ProtocolEncodeError(`unsigned varint out of range: ${value}`);
    }
    const bytes: number[] = [];
    let rest = value;
    while (rest >= 0x80) {
      bytes.push((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    bytes.push(rest);
    return this.push(Buffer.from(bytes));
  }

  /** Signed zigzag varint (int32 range), as used in record batches. */
  varint(value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new ProtocolEncodeError(`varint out of range: ${value}`);
    }
    return this.unsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  private utf8(value: string): Buffer {
    return Buffer.from(value, "utf8");
  }

  /** STRING (int16 length). */
  classicString(value: string): this {
    const bytes = this.utf8(value);
    return this.int16(bytes.length).push(bytes);
  }

  /** NULLABLE_STRING (int16 length, -1 = null). */
  classicNullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.classicString(value);
  }

  /** COMPACT_STRING (unsigned varint length + 1). */
  compactString(value: string): this {
    const bytes = this.utf8(value);
    return this.unsignedVarint(bytes.length + 1).push(bytes);
  }

  /** COMPACT_NULLABLE_STRING (0 = null). */
  compactNullableString(value: string | null): this {
    return value === null ? this.unsignedVarint(0) : this.compactString(value);
  }

  string(value: string): this {
    return this.flexible ? this.compactString(value) : this.classicString(value);
  }

  nullableString(value: string | null): this {
    return this.flexible ? this.compactNullableString(value) : this.classicNullableString(value);
  }

  private arrayLength(length: number | null): this {
    if (this.flexible) return this.unsignedVarint(length === null ? 0 : length + 1);
    return this.int32(length === null ? -1 : length);
  }

  array<T>(items: readonly T[], writeItem: (w: this, item: T) => void): this {
    this.arrayLength(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, writeItem: (w: this, item: T) => void): this {
    return items === null ? this.arrayLength(null) : this.array(items, writeItem);
  }

  /** The (empty) tagged-field section of a flexible struct; nothing in non-flexible versions. */
  taggedFields(): this {
    return this.flexible ? this.unsignedVarint(0) : this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Handler for one tagged field; it must consume exactly the field's bytes from the given sub-reader. */
export type TaggedFieldHandlers = Record<number, (field: Reader) => void>;

export class Reader {
  readonly flexible: boolean;
  private offset = 0;

  constructor(
    private readonly buf: Buffer,
    { flexible }: CodecOptions,
  ) {
    this.flexible = flexible;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private take(size: number): Buffer {
    if (size < 0 || this.offset + size > this.buf.length) {
      throw new ProtocolDecodeError(
        `need ${size} bytes at offset ${this.offset}, only ${this.remaining} left`,
      );
    }
    const slice = this.buf.subarray(this.offset, this.offset + size);
    this.offset += size;
    return slice;
  }

  int8(): number {
    return this.take(1).readInt8(0);
  }

  int16(): number {
    return this.take(2).readInt16BE(0);
  }

  int32(): number {
    return this.take(4).readInt32BE(0);
  }

  uint32(): number {
    return this.take(4).readUInt32BE(0);
  }

  int64(): number {
    const value = this.take(8).readBigInt64BE(0);
    const asNumber = Number(value);
    if (!Number.isSafeInteger(asNumber)) {
      throw new ProtocolDecodeError(`int64 value ${value} exceeds the JS safe integer range`);
    }
    return asNumber;
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  uuid(): Buffer {
    return Buffer.from(this.take(16));
  }

  unsignedVarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.take(1)[0];
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (value > UINT32_MAX) throw new ProtocolDecodeError(`unsigned varint overflows 32 bits`);
        return value;
      }
    }
    throw new ProtocolDecodeError("unsigned varint longer than 5 bytes");
  }

  varint(): number {
    const raw = this.unsignedVarint();
    return (raw >>> 1) ^ -(raw & 1);
  }

  private utf8(length: number): string {
    return this.take(length).toString("utf8");
  }

  classicNullableString(): string | null {
    const length = this.int16();
    if (length < -1) throw new ProtocolDecodeError(`invalid string length ${length}`);
    return length === -1 ? null : this.utf8(length);
  }

  compactNullableString(): string | null {
    const lengthPlusOne = this.unsignedVarint();
    return lengthPlusOne === 0 ? null : this.utf8(lengthPlusOne - 1);
  }

  nullableString(): string | null {
    return this.flexible ? this.compactNullableString() : this.classicNullableString();
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ProtocolDecodeError("null in a non-nullable string field");
    return value;
  }

  private arrayLength(): number | null {
    if (this.flexible) {
      const lengthPlusOne = this.unsignedVarint();
      return lengthPlusOne === 0 ? null : lengthPlusOne - 1;
    }
    const length = this.int32();
    if (length < -1) throw new ProtocolDecodeError(`invalid array length ${length}`);
    return length === -1 ? null : length;
  }

  nullableArray<T>(readItem: (r: this) => T): T[] | null {
    const length = this.arrayLength();
    if (length === null) return null;
    // Every element takes at least one byte: a larger count can only come from corrupt input.
    if (length > this.remaining) throw new ProtocolDecodeError(`array of ${length} exceeds the buffer`);
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(readItem(this));
    return items;
  }

  array<T>(readItem: (r: this) => T): T[] {
    const items = this.nullableArray(readItem);
    if (items === null) throw new ProtocolDecodeError("null in a non-nullable array field");
    return items;
  }

  /**
   * Reads a tagged-field section (flexible versions only). Known tags go to their handler, which reads from a
   * reader bounded to the field; unknown tags are skipped, as the protocol requires for forward compatibility.
   */
  taggedFields(handlers: TaggedFieldHandlers = {}): void {
    if (!this.flexible) return;
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      const tag = this.unsignedVarint();
      const size = this.unsignedVarint();
      const data = this.take(size);
      const handler = handlers[tag];
      if (!handler) continue;
      const field = new Reader(data, { flexible: true });
      handler(field);
      field.expectEnd(`tagged field ${tag}`);
    }
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0) {
      throw new ProtocolDecodeError(`${this.remaining} unexpected trailing bytes after ${what}`);
    }
  }
}
