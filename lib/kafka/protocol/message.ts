import { ProtocolEncodeError, Reader, Writer } from "./codec";

/**
 * One Kafka API as this module implements it. Bodies only: kafkajs writes the request header v1 fields and
 * strips the response correlation id; the header parts that differ in flexible versions are handled here.
 */
export interface ApiMessage<Request, Response> {
  apiKey: number;
  apiName: string;
  /** Versions this codec implements (inclusive). */
  minVersion: number;
  maxVersion: number;
  firstFlexibleVersion: number;
  /** False only for ApiVersions, whose response header stays v0 (no tagged fields) in every version. */
  responseHeaderHasTags: boolean;
  writeRequest(w: Writer, version: number, request: Request): void;
  /** `request` matters only for responses that do not echo what they answer (OffsetFetch v6-7's group). */
  readResponse(r: Reader, version: number, request?: Request): Response;
}

type VersionInfo = Pick<ApiMessage<never, unknown>, "apiName" | "minVersion" | "maxVersion" | "firstFlexibleVersion">;

function checkVersion(api: VersionInfo, version: number): void {
  if (!Number.isInteger(version) || version < api.minVersion || version > api.maxVersion) {
    throw new ProtocolEncodeError(
      `${api.apiName} v${version} is not implemented (supported v${api.minVersion}-v${api.maxVersion})`,
    );
  }
}

export function isFlexible(api: VersionInfo, version: number): boolean {
  return version >= api.firstFlexibleVersion;
}

/** Request body as kafkajs expects it after its header v1: for flexible versions it starts with the header's tags. */
export function encodeRequestBody<Req, Res>(api: ApiMessage<Req, Res>, version: number, request: Req): Buffer {
  checkVersion(api, version);
  const w = new Writer({ flexible: isFlexible(api, version) });
  w.taggedFields(); // request header v2 tagged fields
  api.writeRequest(w, version, request);
  return w.toBuffer();
}

/** Decodes the payload kafkajs hands over (response bytes after the correlation id). */
export function decodeResponseBody<Req, Res>(
  api: ApiMessage<Req, Res>,
  version: number,
  payload: Buffer,
  request?: Req,
): Res {
  checkVersion(api, version);
  const flexible = isFlexible(api, version);
  const r = new Reader(payload, { flexible });
  if (flexible && api.responseHeaderHasTags) r.taggedFields(); // response header v1 tagged fields
  const response = api.readResponse(r, version, request);
  r.expectEnd(`${api.apiName} v${version} response`);
  return response;
}
