import { ACTION_HEADER } from "@/lib/auth/action-header";

// Browser-side fetch for the dashboard's own API. Errors carry the HTTP status so pages can tell
// "not found" (a typo in a shared link) from "the server is in trouble".

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(url, { signal, headers: { accept: "application/json" } });
}

/** A state-changing action: a JSON POST with the action header the server's CSRF check requires. */
export async function postAction<T>(url: string, body: unknown): Promise<T> {
  return requestJson<T>(url, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json", [ACTION_HEADER]: "1" },
    body: JSON.stringify(body),
  });
}

async function requestJson<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "Cannot reach the dashboard server.");
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (response.status === 401 && typeof window !== "undefined") {
    // The session expired while the page stayed open: reloading lets the server send us to sign in and back.
    window.location.reload();
  }
  if (!response.ok) {
    const message =
      body && typeof body === "object" && "error" in body && typeof body.error === "string"
        ? body.error
        : `Request failed with HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return body as T;
}
