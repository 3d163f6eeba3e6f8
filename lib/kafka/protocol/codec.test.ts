import { describe, expect, it } from "vitest";
import { ProtocolDecodeError, ProtocolEncodeError, Reader, Writer } from "./codec";
import { hex, utf8Hex } from "./testBytes";

const flexible = { flexible: true };
const classic = { flexible: false };

describe("unsigned varint", () => {
  const cases: [number, string][] = [
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8001"],
    [300, "ac02"],
    [16383, "ff7f"],
    [16384, "808001"],
    [2 ** 31 - 1, "ffffffff07"],
    [2 ** 32 - 1, "ffffffff0f"],
  ];
  it.each(cases)("%i <-> %s", (value, bytes) => {
    expect(new Writer(flexible).unsignedVarint(value).toBuffer().toString("hex")).toBe(bytes);
    const r = new Reader(hex(bytes), flexible);
    expect(r.unsignedVarint()).toBe(value);
    expect(r.remaining).toBe(0);
  });

  it("rejects negative, fractional and > 32-bit values when writing", () => {
    const w = new Writer(flexible);
    expect(() => w.unsignedVarint(-1)).toThrow(ProtocolEncodeError);
    expect(() => w.unsignedVarint(1.5)).toThrow(ProtocolEncodeError);
    expect(() => w.unsignedVarint(2 ** 32)).toThrow(ProtocolEncodeError);
  });

  it("rejects more than 5 bytes, 32-bit overflow and truncation when reading", () => {
    expect(() => new Reader(hex("8080808080 01"), flexible).unsignedVarint()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(hex("ffffffff1f"), flexible).unsignedVarint()).toThrow(/overflows/);
    expect(() => new Reader(hex("80"), flexible).unsignedVarint()).toThrow(ProtocolDecodeError);
  });
});

describe("signed zigzag varint", () => {
  const cases: [number, string][] = [
    [0, "00"],
    [-1, "01"],
    [1, "02"],
    [-64, "7f"],
    [64, "8001"],
    [2147483647, "feffffff0f"],
    [-2147483648, "ffffffff0f"],
  ];
  it.each(cases)("%i <-> %s", (value, bytes) => {
    expect(new Writer(flexible).varint(value).toBuffer().toString("hex")).toBe(bytes);
    expect(new Reader(hex(bytes), flexible).varint()).toBe(value);
  });
});

describe("fixed-width numbers", () => {
  it("writes big-endian int8/16/32/64 and bool", () => {
    const buf = new Writer(classic).int8(-1).int16(-2).int32(0x01020304).int64(-1).int64(2 ** 40).bool(true).toBuffer();
    expect(buf).toEqual(hex("ff", "fffe", "01020304", "ffffffffffffffff", "0000010000000000", "01"));
  });

  it("reads int64 as a number within the safe range", () => {
    const r = new Reader(hex("001fffffffffffff", "ffffffffffffffff"), classic);
    expect(r.int64()).toBe(Number.MAX_SAFE_INTEGER);
    expect(r.int64()).toBe(-1);
  });

  it("writes int64 as two's complement over the whole safe range, as BigInt would", () => {
    const values = [0, 1, -1, -2, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -(2 ** 32), -(2 ** 32) - 1, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (const value of values) {
      const expected = Buffer.alloc(8);
      expected.writeBigInt64BE(BigInt(value));
      expect(new Writer(classic).int64(value).toBuffer(), String(value)).toEqual(expected);
      expect(new Reader(expected, classic).int64()).toBe(value);
    }
  });

  it("refuses int64 values beyond 2^53 instead of rounding them", () => {
    expect(() => new Reader(hex("0020000000000000"), classic).int64()).toThrow(/safe integer/);
    expect(() => new Writer(classic).int64(2 ** 53)).toThrow(ProtocolEncodeError);
  });

  it("fails on truncated input", () => {
    expect(() => new Reader(hex("0001"), classic).int32()).toThrow(ProtocolDecodeError);
  });
});

describe("strings", () => {
  it("classic: int16 length, -1 for null", () => {
    const buf = new Writer(classic).string("ab").nullableString(null).nullableString("").toBuffer();
    expect(buf).toEqual(hex("0002 6162", "ffff", "0000"));
    const r = new Reader(buf, classic);
    expect([r.string(), r.nullableString(), r.nullableString()]).toEqual(["ab", null, ""]);
  });

  it("compact: varint length + 1, 0 for null", () => {
    const buf = new Writer(flexible).string("ab").nullableString(null).nullableString("").toBuffer();
    expect(buf).toEqual(hex("03 6162", "00", "01"));
    const r = new Reader(buf, flexible);
    expect([r.string(), r.nullableString(), r.nullableString()]).toEqual(["ab", null, ""]);
  });

  it("counts UTF-8 bytes, not characters", () => {
    expect(new Writer(flexible).string("é").toBuffer()).toEqual(hex("03", utf8Hex("é")));
  });

  it("rejects null where the field is not nullable", () => {
    expect(() => new Reader(hex("00"), flexible).string()).toThrow(/null in a non-nullable string/);
    expect(() => new Reader(hex("ffff"), classic).string()).toThrow(ProtocolDecodeError);
  });
});

describe("arrays", () => {
  const int32 = (w: Writer, v: number) => w.int32(v);

  it("classic: int32 count, -1 for null", () => {
    const buf = new Writer(classic).array([7], int32).nullableArray(null, int32).array([], int32).toBuffer();
    expect(buf).toEqual(hex("00000001 00000007", "ffffffff", "00000000"));
    const r = new Reader(buf, classic);
    expect(r.array((r) => r.int32())).toEqual([7]);
    expect(r.nullableArray((r) => r.int32())).toBeNull();
    expect(r.array((r) => r.int32())).toEqual([]);
  });

  it("compact: varint count + 1, 0 for null", () => {
    const buf = new Writer(flexible).array([7, 8], int32).nullableArray(null, int32).toBuffer();
    expect(buf).toEqual(hex("03 00000007 00000008", "00"));
    const r = new Reader(buf, flexible);
    expect(r.array((r) => r.int32())).toEqual([7, 8]);
    expect(r.nullableArray((r) => r.int32())).toBeNull();
  });

  it("rejects a count larger than the remaining bytes (corrupt input)", () => {
    expect(() => new Reader(hex("7f"), flexible).array((r) => r.int8())).toThrow(/exceeds the buffer/);
  });
});

describe("tagged fields", () => {
  it("writes an empty section only in flexible mode", () => {
    expect(new Writer(flexible).taggedFields().toBuffer()).toEqual(hex("00"));
    expect(new Writer(classic).taggedFields().toBuffer()).toEqual(hex(""));
  });

  it("hands known tags to their handler and skips unknown ones", () => {
    // 3 fields: tag 5 (unknown, 2 bytes), tag 1 (int32 42), tag 300 (unknown, 1 byte); then one trailing byte.
    const r = new Reader(hex("03", "05 02 abcd", "01 04 0000002a", "ac02 01 ff", "99"), flexible);
    const seen: number[] = [];
    r.taggedFields({ 1: (field) => seen.push(field.int32()) });
    expect(seen).toEqual([42]);
    expect(r.int8()).toBe(-103);
  });

  it("fails when a handler leaves bytes of its field unread", () => {
    const r = new Reader(hex("01", "01 04 0000002a"), flexible);
    expect(() => r.taggedFields({ 1: (field) => field.int16() })).toThrow(/trailing bytes after tagged field 1/);
  });

  it("reads nothing in classic mode", () => {
    const r = new Reader(hex("00"), classic);
    r.taggedFields();
    expect(r.remaining).toBe(1);
  });
});

describe("uuid", () => {
  it("round-trips 16 bytes and rejects other lengths", () => {
    const id = hex("000102030405060708090a0b0c0d0e0f");
    expect(new Reader(new Writer(flexible).uuid(id).toBuffer(), flexible).uuid()).toEqual(id);
    expect(() => new Writer(flexible).uuid(hex("00"))).toThrow(ProtocolEncodeError);
  });
});

describe("a message larger than the writer's first buffer", () => {
  it("keeps every field across the buffer's growth", () => {
    const names = Array.from({ length: 2000 }, (_, i) => `topic-${i}`);
    const w = new Writer({ flexible: true });
    for (const [i, name] of names.entries()) w.compactString(name).int32(i).int64(i * 2 ** 33).unsignedVarint(i).int8(-1);
    const r = new Reader(w.toBuffer(), { flexible: true });
    for (const [i, name] of names.entries()) {
      expect([r.string(), r.int32(), r.int64(), r.unsignedVarint(), r.int8()]).toEqual([name, i, i * 2 ** 33, i, -1]);
    }
    r.expectEnd("the message");
  });
});
