import { PortalError } from '../portal-error.js';
import type { PortalRequest } from './reply.js';

/** Forms and API bodies are tiny; anything bigger is refused before it is read whole. */
export const MAX_BODY_BYTES = 16 * 1024;

async function readText(request: PortalRequest): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new PortalError('PAYLOAD_TOO_LARGE', 'request body too large');
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new PortalError('PAYLOAD_TOO_LARGE', 'request body too large');
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** A form POST's fields (`application/x-www-form-urlencoded`; first value of each name). */
export async function readForm(request: PortalRequest): Promise<Record<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded')) {
    // Multipart or other bodies are not something our forms send; treat as empty so the
    // CSRF check refuses them with a clear 403.
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(await readText(request))) if (!(key in out)) out[key] = value;
  return out;
}

/** A JSON API body: an object, or `INVALID_INPUT`. */
export async function readJson(request: PortalRequest): Promise<Record<string, unknown>> {
  const text = await readText(request);
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PortalError('INVALID_INPUT', 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PortalError('INVALID_INPUT', 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
