// Characters that make a Kafka name look different from what it is: line breaks and other control characters
// (a terminal obeys escape sequences), zero-width and bidirectional controls. Shown as `U+202E` wherever a
// name is printed as text rather than carried in a structured field.

export const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

const HIDDEN_GLOBAL = new RegExp(HIDDEN_CHARACTERS.source, "gu");

/** `U+202E` for a character. */
export function codePointLabel(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The text with each hidden character written out as `[U+XXXX]`. */
export function spellHiddenCharacters(text: string): string {
  return text.replace(HIDDEN_GLOBAL, (c) => `[${codePointLabel(c)}]`);
}
