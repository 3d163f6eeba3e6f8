/** Dynamic segments as the page receives them. */
export function segment(value: string): string {
  return decodeURIComponent(value);
}
