import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { ClusterSnapshot } from "@/lib/snapshot/types";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

// Compression runs on libuv's thread pool, so a 5,000-partition snapshot does not stall the event loop.

export async function encodeJson(value: unknown): Promise<{ gzip: Uint8Array<ArrayBuffer>; rawBytes: number }> {
  const raw = Buffer.from(JSON.stringify(value));
  const compressed = await gzipAsync(raw, { level: 6 });
  return { gzip: new Uint8Array(compressed), rawBytes: raw.length };
}

export async function decodeJson(data: Uint8Array): Promise<unknown> {
  return JSON.parse((await gunzipAsync(data)).toString("utf8"));
}

export const encodeSnapshot = (snapshot: ClusterSnapshot) => encodeJson(snapshot);

export const decodeSnapshot = async (data: Uint8Array) => (await decodeJson(data)) as ClusterSnapshot;
