import { notFound } from "next/navigation";

/** Dynamic segments as the page receives them; a malformed escape (e.g. `%ff`) names nothing, so it is not found. */
export function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    notFound();
  }
}
