// PostgreSQL text and jsonb cannot hold U+0000, but Kafka accepts it in group ids, transactional ids and client
// ids (and brokers echo them in error messages). On PostgreSQL every string goes in through one reversible rule
// and comes back out through its inverse, so pages, the API and lookups by name see the real name:
//   U+0000 -> ESC "0",  ESC -> ESC ESC    (ESC = U+2400 SYMBOL FOR NULL, which also reads as NUL in psql)
// The mapping works character by character, so an escaped name compares equal, sorts and prefix-matches like
// the name itself. SQLite stores U+0000 as it is.

const ESC = "\u2400";
const NEEDS_ESCAPE = /[\u0000\u2400]/;
const ESCAPED = /\u2400[\u24000]/g;

export function escapeStoredText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[\u0000\u2400]/g, (c) => (c === ESC ? ESC + ESC : `${ESC}0`));
}

export function unescapeStoredText(text: string): string {
  if (!text.includes(ESC)) return text;
  return text.replace(ESCAPED, (pair) => (pair === ESC + ESC ? ESC : "\u0000"));
}

const isPlainObject = (value: object) => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * `value` with every string in it (arrays and plain objects walked, keys of JSON objects too) passed through
 * `map`; dates, bytes, big integers and Prisma's own objects are left alone. Unchanged parts keep their identity.
 */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === "string") return map(value) as T;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const m = mapStrings(v, map);
      changed ||= m !== v;
      return m;
    });
    return (changed ? out : value) as T;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = map(k);
    const m = mapStrings(v, map);
    changed ||= key !== k || m !== v;
    out[key] = m;
  }
  return (changed ? out : value) as T;
}
