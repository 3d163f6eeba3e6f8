/** Test helper: hex fragments (whitespace ignored) to one Buffer, so fixtures can be annotated field by field. */
export function hex(...fragments: string[]): Buffer {
  return Buffer.from(fragments.join("").replace(/\s+/g, ""), "hex");
}

/** Hex of a UTF-8 string, for readable fixtures. */
export function utf8Hex(text: string): string {
  return Buffer.from(text, "utf8").toString("hex");
}

/** Hex of a COMPACT_STRING (unsigned varint length + 1, then UTF-8), for strings under 127 bytes. */
export function compactStringHex(text: string): string {
  return compactLengthHex(Buffer.byteLength(text, "utf8")) + utf8Hex(text);
}

/** Hex of a compact array or string length (n + 1 as one varint byte), for n under 127. */
export function compactLengthHex(n: number): string {
  return (n + 1).toString(16).padStart(2, "0");
}
