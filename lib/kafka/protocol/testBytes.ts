/** Test helper: hex fragments (whitespace ignored) to one Buffer, so fixtures can be annotated field by field. */
export function hex(...fragments: string[]): Buffer {
  return Buffer.from(fragments.join("").replace(/\s+/g, ""), "hex");
}

/** Hex of a UTF-8 string, for readable fixtures. */
export function utf8Hex(text: string): string {
  return Buffer.from(text, "utf8").toString("hex");
}
