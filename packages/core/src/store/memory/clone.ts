/**
 * Copies a record so callers never alias what the memory store keeps (Dates stay Dates).
 *
 * Records are plain data: objects, arrays, `Date`s and primitives. Those are copied by hand,
 * which is several times faster than `structuredClone` (every status-page view reads a
 * customer, their vouchers and sessions through here). Anything else (a `Map`, a typed array,
 * a class instance) falls back to `structuredClone`, so the copy is never shallower than
 * before, and a function still throws as it did.
 */
export function clone<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') return structuredClone(value); // throws, as before
    return value;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  // Own enumerable keys only, like structuredClone (inherited ones never leak in).
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = copy((value as Record<string, unknown>)[key]);
    // A `__proto__` key (e.g. in provider-supplied metadata) stays data, never a prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}
