import { describe, expect, it } from "vitest";
import { formatAge, formatBytes, formatCompact, formatCount, formatDuration, formatSkew, formatTimeTick, formatTimestamp } from "./format";
import { paths, withQuery } from "./urls";

describe("format", () => {
  it("formats bytes in binary units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5.0 GiB");
    expect(formatBytes(null)).toBe("—");
  });

  it("formats skew as a multiple, unknown as a dash", () => {
    expect(formatSkew(3.04)).toBe("3.0×");
    expect(formatSkew(null)).toBe("—");
  });

  it("formats durations", () => {
    expect(formatDuration(380)).toBe("380 ms");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(12 * 60_000)).toBe("12 min");
    expect(formatDuration(3 * 3600_000 + 5 * 60_000)).toBe("3 h 5 min");
    expect(formatDuration(50 * 3600_000)).toBe("2 d 2 h");
  });

  it("formats counts and compact axis labels", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCompact(1500)).toBe("1.5k");
    expect(formatCompact(2_000_000)).toBe("2M");
  });

  it("formats ages and UTC timestamps", () => {
    expect(formatAge(1000, 61_000)).toBe("1 min ago");
    expect(formatAge(null, 0)).toBe("never");
    expect(formatTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5))).toBe("2024-01-02 03:04:05 UTC");
  });
});

describe("formatTimeTick", () => {
  const at = Date.UTC(2024, 0, 2, 3, 4, 5);
  it("adds seconds for short spans and the date for long ones", () => {
    expect(formatTimeTick(at, 60_000)).toBe("03:04:05");
    expect(formatTimeTick(at, 3_600_000)).toBe("03:04");
    expect(formatTimeTick(at, 7 * 86_400_000)).toBe("01-02 03:04");
  });
});

describe("urls", () => {
  it("encodes hostile names as one path segment", () => {
    expect(paths.transaction("prod", 'a/b#c?d e<img src=x onerror=alert(1)>')).toBe(
      "/clusters/prod/transactions/a%2Fb%23c%3Fd%20e%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    );
  });

  it("drops empty query values", () => {
    expect(withQuery("/x", { at: "2024-01-01T00:00:00.000Z", state: "", q: undefined })).toBe(
      "/x?at=2024-01-01T00%3A00%3A00.000Z",
    );
  });
});
