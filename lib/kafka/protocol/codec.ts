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
  /** One growing buffer: a request of thousands of partitions is tens of thousands of fields, not of Buffers. */
  private buf = Buffer.allocUnsafe(256);
  private length = 0;

  constructor({ flexible }: CodecOptions) {
    this.flexible = flexible;
  }

  /** Makes room for `size` more bytes and returns where they go (it may replace `buf`: call it before reading `buf`). */
  private reserve(size: number): number {
    if (this.length + size > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + size));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    const at = this.length;
    this.length += size;
    return at;
  }

  private push(bytes: Uint8Array): this {
    const at = this.reserve(bytes.length);
    this.buf.set(bytes, at);
    return this;
  }

  int8(value: number): this {
    const at = this.reserve(1);
    this.buf.writeInt8(value, at);
    return this;
  }

  int16(value: number): this {
    const at = this.reserve(2);
    this.buf.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.reserve(4);
    this.buf.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    const at = this.reserve(4);
    this.buf.writeUInt32BE(value, at);
    return this;
  }

  int64(value: number): this {
    if (!Number.isSafeInteger(value)) {
      throw new ProtocolEncodeError(`int64 value ${value} is not a safe integer`);
    }
    const at = this.reserve(8);
    // Two 32-bit halves, exact for every safe integer: a BigInt per ListOffsets timestamp showed in the poll's profile.
    const high = Math.floor(value / 0x1_0000_0000);
    this.buf.writeInt32BE(high, at);
    this.buf.writeUInt32BE(value - high * 0x1_0000_0000, at + 4);
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  uuid(bytes: Buffer): this {
    if (bytes.length !== 16) throw new ProtocolEncodeError(`uuid must be 16 bytes, got ${bytes.length}`);
    return this.push(bytes);
  }

  raw(bytes: Buffer): this {
    return this.push(bytes);
  }

  unsignedVarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
      throw new ProtocolEncodeError(`unsigned varint out of range: ${value}`);
    }
    let rest = value;
    while (rest >= 0x80) {
      const at = this.reserve(1);
      this.buf[at] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    const at = this.reserve(1);
    this.buf[at] = rest;
    return this;
  }

  /** Signed zigzag varint (int32 range), as used in record batches. */
  varint(value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new ProtocolEncodeError(`varint out of range: ${value}`);
    }
    return this.unsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  private utf8(value: string, byteLength: number): this {
    const at = this.reserve(byteLength);
    this.buf.write(value, at, byteLength, "utf8");
    return this;
  }

  /** STRING (int16 length). */
  classicString(value: string): this {
    const byteLength = Buffer.byteLength(value, "utf8");
    return this.int16(byteLength).utf8(value, byteLength);
  }

  /** NULLABLE_STRING (int16 length, -1 = null). */
  classicNullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.classicString(value);
  }

  /** COMPACT_STRING (unsigned varint length + 1). */
  compactString(value: string): this {
    const byteLength = Buffer.byteLength(value, "utf8");
    return this.unsignedVarint(byteLength + 1).utf8(value, byteLength);
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

  /** A copy of the bytes written: the writer's buffer is reused as it grows. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
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

  /** Checks that `size` bytes remain and moves past them, returning where they start (no Buffer view per read). */
  private advance(size: number): number {
    if (size < 0 || this.offset + size > this.buf.length) {
      throw new ProtocolDecodeError(
        `need ${size} bytes at offset ${this.offset}, only ${this.remaining} left`,
      );
    }
    const at = this.offset;
    this.offset += size;
    return at;
  }

  private take(size: number): Buffer {
    const at = this.advance(size);
    return this.buf.subarray(at, at + size);
  }

  int8(): number {
    return this.buf.readInt8(this.advance(1));
  }

  int16(): number {
    return this.buf.readInt16BE(this.advance(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.advance(4));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.advance(4));
  }

  int64(): number {
    const at = this.advance(8);
    // Two 32-bit halves: exact for every safe integer, and no BigInt per offset.
    const high = this.buf.readInt32BE(at);
    const low = this.buf.readUInt32BE(at + 4);
    const asNumber = high * 0x1_0000_0000 + low;
    if (!Number.isSafeInteger(asNumber)) {
      throw new ProtocolDecodeError(`int64 value ${this.buf.readBigInt64BE(at)} exceeds the JS safe integer range`);
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
      const byte = this.buf[this.advance(1)];
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
    const at = this.advance(length);
    return this.buf.toString("utf8", at, at + length);
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
