import type { Reader, Writer } from "./codec";
import { decodeResponseBody, encodeRequestBody, type ApiMessage } from "./message";

export interface ListGroupsRequest {
  /** v4+: only groups in these states; empty = all. */
  statesFilter?: string[];
  /** v5+: only groups of these types (classic, consumer, streams, share); empty = all. */
  typesFilter?: string[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  /** v4+; null on older versions. */
  groupState: string | null;
  /** v5+ (classic, consumer, streams, share); null on older versions, where only protocolType hints at it. */
  groupType: string | null;
}

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: ListedGroup[];
}

/** First version that names each group's type (KIP-848). */
export const TYPED_LIST_GROUPS_VERSION = 5;

/** Every version: brokers older than 3.8 stop at v4, and v0-2 keep pre-2.4 brokers readable. */
export const listGroupsApi: ApiMessage<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: 16,
  apiName: "ListGroups",
  minVersion: 0,
  maxVersion: 5,
  firstFlexibleVersion: 3,
  responseHeaderHasTags: true,
  writeRequest(w: Writer, version: number, request: ListGroupsRequest) {
    if (version >= 4) w.array(request.statesFilter ?? [], (w, state) => w.string(state));
    if (version >= 5) w.array(request.typesFilter ?? [], (w, type) => w.string(type));
    w.taggedFields();
  },
  readResponse(r: Reader, version: number) {
    const throttleTimeMs = version >= 1 ? r.int32() : 0;
    const errorCode = r.int16();
    const groups = r.array((r): ListedGroup => {
      const groupId = r.string();
      const protocolType = r.string();
      const groupState = version >= 4 ? r.string() : null;
      const groupType = version >= 5 ? r.string() : null;
      r.taggedFields();
      return { groupId, protocolType, groupState, groupType };
    });
    r.taggedFields();
    return { throttleTimeMs, errorCode, groups };
  },
};

export function encodeListGroupsRequest(version: number, request: ListGroupsRequest = {}): Buffer {
  return encodeRequestBody(listGroupsApi, version, request);
}

export function decodeListGroupsResponse(version: number, payload: Buffer): ListGroupsResponse {
  return decodeResponseBody(listGroupsApi, version, payload);
}
