// Human-readable numbers for tables, axes and tooltips. Pure: the same input always renders the same text,
// so server and client markup agree.

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return "—";
  const sign = bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${sign}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Integer counts with thousands separators (offsets, lag). */
export function formatCount(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return "—";
  return Math.round(n).toLocaleString("en-US");
}

/** Short form for chart axes: 1.2k, 3.4M. */
export function formatCompact(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return "—";
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) >= 10 ? 0 : 1).replace(/\.0$/, "");
}

export function formatRate(perSecond: number | null | undefined, unit = "rec/s"): string {
  if (perSecond == null || !Number.isFinite(perSecond)) return "—";
  if (perSecond === 0) return `0 ${unit}`;
  if (Math.abs(perSecond) < 0.1) return `<0.1 ${unit}`;
  return `${formatCompact(perSecond)} ${unit}`;
}

/** Durations such as "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  const sign = ms < 0 ? "-" : "";
  if (Math.abs(ms) < 1000) return `${sign}${Math.round(Math.abs(ms))} ms`;
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${sign}${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${sign}${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${sign}${h} h${min % 60 ? ` ${min % 60} min` : ""}`;
  const d = Math.floor(h / 24);
  return `${sign}${d} d${h % 24 ? ` ${h % 24} h` : ""}`;
}

/** "3 min ago" relative to `now`. */
export function formatAge(at: number | null | undefined, now: number): string {
  if (at == null) return "never";
  const ms = now - at;
  if (ms < 1000) return "just now";
  return `${formatDuration(ms)} ago`;
}

/** UTC, second precision: on-call engineers compare times across time zones and with broker logs. */
export function formatTimestamp(at: number | null | undefined): string {
  if (at == null || !Number.isFinite(at) || at < 0) return "—";
  return new Date(at).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** Axis ticks: HH:MM:SS within a quarter of an hour, HH:MM within a day and a half, MM-DD HH:MM beyond. */
export function formatTimeTick(at: number, spanMs: number): string {
  const iso = new Date(at).toISOString();
  if (spanMs > 36 * 3600_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return spanMs > 15 * 60_000 ? iso.slice(11, 16) : iso.slice(11, 19);
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return "—";
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
}

/** A partition's (or topic's) rate as a multiple of its topic's mean partition rate. */
export function formatSkew(skew: number | null | undefined): string {
  return skew == null ? "—" : `${skew.toFixed(1)}×`;
}
