/** Inclusive version range of one API, in the shape kafkajs keeps per broker (`broker.versions`). */
export interface VersionRange {
  minVersion: number;
  maxVersion: number;
}

/** Broker-advertised ranges keyed by API key (from ApiVersions). */
export type ApiVersionRanges = Readonly<Record<number, VersionRange | undefined>>;

/**
 * The highest version both sides speak, or null when the broker lacks the API or the ranges do not overlap
 * (e.g. a 2.x broker asked for DescribeProducers): callers report "unsupported" instead of failing.
 */
export function pickVersion(
  apiKey: number,
  ourMin: number,
  ourMax: number,
  brokerRanges: ApiVersionRanges,
): number | null {
  const broker = brokerRanges[apiKey];
  if (!broker) return null;
  const highest = Math.min(ourMax, broker.maxVersion);
  return highest >= Math.max(ourMin, broker.minVersion) ? highest : null;
}
