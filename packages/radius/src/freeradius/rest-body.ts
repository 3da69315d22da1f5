import { z } from 'zod';

/**
 * One attribute of an rlm_rest JSON body (`body = json`): its dictionary type and its
 * values (integers as JSON numbers, enumerations by name, octets as `0x...`, dates as text).
 */
const attributeSchema = z.object({
  type: z.string().max(32),
  value: z.array(z.union([z.string().max(4096), z.number(), z.boolean()])).max(64),
});

/** The JSON rlm_rest posts: the request's attributes by name. */
export const restBodySchema = z
  .record(z.string().min(1).max(128), attributeSchema)
  .refine((body) => Object.keys(body).length <= 512, 'has more than 512 attributes');

/** A validated rlm_rest body. */
export type RestBody = z.output<typeof restBodySchema>;

/** Where a body's field is wrong, for a 400 answer. */
export class BodyProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The first value of `name` as text, or `undefined` when absent. */
export function text(body: RestBody, name: string): string | undefined {
  const value = body[name]?.value[0];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** The first value of `name` as a non-empty string; a {@link BodyProblem} when missing. */
export function requiredText(body: RestBody, name: string): string {
  const value = text(body, name);
  if (value === undefined || value === '') throw new BodyProblem(name, 'is missing');
  return value;
}

/** The first value of `name` as a whole number (numbers may arrive as digit strings); `undefined` when absent. */
export function integer(body: RestBody, name: string): number | undefined {
  const value = body[name]?.value[0];
  if (value === undefined) return undefined;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new BodyProblem(name, 'must be a whole number');
  return n;
}

/** The first value of an `octets` attribute as bytes (`0x...` hex, else the text's bytes). */
export function octets(body: RestBody, name: string): Uint8Array | undefined {
  const value = text(body, name);
  if (value === undefined) return undefined;
  if (/^0x([0-9a-f]{2})*$/i.test(value)) return Uint8Array.from(Buffer.from(value.slice(2), 'hex'));
  return new TextEncoder().encode(value);
}
