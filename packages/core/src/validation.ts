import type { z } from 'zod';
import { type ErrorIssue, HotspotKitError, type HotspotKitErrorCode } from './errors.js';

/** Turns zod issues into `{ path, message }` pairs, path written `a.b[0].c`. */
export function toIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Parses `value` with `schema`, or throws a {@link HotspotKitError} that names every bad
 * field and why. `what` says what was being parsed, e.g. `'kit options'`.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  code: HotspotKitErrorCode = 'INVALID_INPUT',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toIssues(result.error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new HotspotKitError(code, `Invalid ${what}: ${summary}`, { issues, cause: result.error });
}
