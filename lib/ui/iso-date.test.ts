import { describe, expect, it } from "vitest";
import { parseIsoInstant } from "./iso-date";

describe("parseIsoInstant", () => {
  it("reads dates and date-times, a missing zone as UTC", () => {
    expect(parseIsoInstant("2026-11-30")?.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(parseIsoInstant("2026-11-30T10:15")?.toISOString()).toBe("2026-11-30T10:15:00.000Z");
    expect(parseIsoInstant("2026-11-30T10:15:07.123456Z")?.toISOString()).toBe("2026-11-30T10:15:07.123Z");
    expect(parseIsoInstant("2026-11-30T10:15:07+02:00")?.toISOString()).toBe("2026-11-30T08:15:07.000Z");
    expect(parseIsoInstant("2026-11-30T10:15:07-0530")?.toISOString()).toBe("2026-11-30T15:45:07.000Z");
    expect(parseIsoInstant("2028-02-29")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("refuses what Date.parse would bend into some date", () => {
    for (const text of ["1", "-1", "0", "yesterday", "2026-02-31", "2026-02-29", "2026-13-01", "2026-00-10", "2026-11-30T24:00Z",
      "2026-11-30T10:60Z", "2026-11-30T10:15:61Z", "2026-11-30T10:15+25:00", "1969-12-31", "+275760-09-13T00:00:00Z",
      "2026-11-30T10:15:07Z trailing", "", "2026-11-30\u0000"]) {
      expect(parseIsoInstant(text), JSON.stringify(text)).toBeNull();
    }
  });
});
