/** Copies a record so callers never alias what the memory store keeps (Dates stay Dates). */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
