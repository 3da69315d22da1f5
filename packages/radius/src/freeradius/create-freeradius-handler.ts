import { type HotspotKit, isHotspotKitError, silentLogger } from '@hotspot-kit/core';
import type { z } from 'zod';
import { RadiusError } from '../radius-error.js';
import { account } from './accounting.js';
import { type FreeradiusHandlerOptions, handlerOptionsSchema, type ResolvedHandlerOptions } from './handler-options.js';
import { createLogin, type HandlerAnswer } from './login.js';
import { BodyProblem, type RestBody, restBodySchema } from './rest-body.js';

/** The handler FreeRADIUS's rest module calls; made by {@link createFreeradiusHandler}. */
export interface FreeradiusHandler {
  /** Answers `POST .../authorize`, `.../post-auth` and `.../accounting` (the last path segment decides). */
  fetch(request: Request): Promise<Response>;
}

/** The kit services the handler uses. */
export type FreeradiusKit = Pick<HotspotKit, 'vouchers' | 'locations' | 'usage' | 'now'>;

const ROUTES = ['authorize', 'post-auth', 'accounting'] as const;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function problem(status: number, code: string, message: string, path?: string): Response {
  return json(status, { error: { code, message, ...(path ? { issues: [{ path, message }] } : {}) } });
}

function answer(result: HandlerAnswer): Response {
  if (result.attributes) return json(result.status, result.attributes);
  return new Response(null, { status: result.status });
}

/** The body as text, refusing more than `limit` bytes without reading further. */
async function readBody(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function firstIssue(error: z.ZodError): { path: string; message: string } {
  const issue = error.issues[0];
  return { path: issue?.path.join('.') || '(body)', message: issue?.message ?? 'is not an rlm_rest JSON body' };
}

/**
 * The handler for FreeRADIUS's `rest` module with `body = json` (see docs/freeradius.md):
 * `POST /authorize` decides a login (a voucher code, case and separators forgiven, or a MAC
 * bound to a usable voucher) without changing anything, answering the credential for PAP
 * and CHAP plus the limits, or 401 with a `Reply-Message` in the location's language;
 * `POST /post-auth` activates the voucher and binds the device once FreeRADIUS accepted the
 * password (`?result=Access-Reject` asks why a login was refused); `POST /accounting` feeds
 * `kit.usage`. Malformed input is a 4xx naming the field, never a 5xx; a store failure is a
 * 500, so FreeRADIUS fails and the NAS retries. Options are validated (`INVALID_CONFIG`).
 *
 * @example
 * ```ts
 * const radius = createFreeradiusHandler(kit, { vendors: ['mikrotik'], interimIntervalSeconds: 60 })
 * app.use('/radius', loopbackOnly, expressPortal(radius)) // rest module: connect_uri = "http://127.0.0.1:3000/radius"
 * ```
 */
export function createFreeradiusHandler(kit: FreeradiusKit, options: FreeradiusHandlerOptions = {}): FreeradiusHandler {
  const { logger = silentLogger, ...plain } = options ?? {};
  const parsed = handlerOptionsSchema.safeParse(plain);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new RadiusError('INVALID_CONFIG', `Invalid FreeRADIUS handler options: ${path}: ${message}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const resolved: ResolvedHandlerOptions = { ...parsed.data, logger };
  const login = createLogin(kit, resolved);

  async function route(name: (typeof ROUTES)[number], body: RestBody, url: URL): Promise<HandlerAnswer> {
    if (name === 'authorize') return login.authorize(body);
    if (name === 'accounting') return account(kit, body, resolved);
    return url.searchParams.get('result') === 'Access-Reject' ? login.rejected(body) : login.accepted(body);
  }

  return {
    async fetch(request) {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return problem(400, 'INVALID_INPUT', 'The request URL is not valid');
      }
      const name = ROUTES.find((r) => url.pathname.replace(/\/+$/, '').endsWith(`/${r}`));
      if (!name) return problem(404, 'NOT_FOUND', 'Use POST .../authorize, .../post-auth or .../accounting');
      if (request.method !== 'POST') {
        const response = problem(405, 'METHOD_NOT_ALLOWED', 'Use POST');
        response.headers.set('allow', 'POST');
        return response;
      }
      const raw = await readBody(request, resolved.maxBodyBytes).catch(() => null);
      if (raw === null) return problem(413, 'TOO_LARGE', `The body exceeds ${resolved.maxBodyBytes} bytes`);
      let data: unknown;
      try {
        data = JSON.parse(raw);
      } catch {
        return problem(400, 'INVALID_INPUT', 'The body is not JSON; set body = json in the rest module');
      }
      const body = restBodySchema.safeParse(data);
      if (!body.success) {
        const { path, message } = firstIssue(body.error);
        return problem(400, 'INVALID_INPUT', `Invalid rlm_rest body: ${path}: ${message}`, path);
      }
      try {
        return answer(await route(name, body.data, url));
      } catch (error) {
        if (error instanceof BodyProblem) {
          return problem(400, 'INVALID_INPUT', `Invalid ${error.path}: ${error.message}`, error.path);
        }
        if (isHotspotKitError(error) && error.httpStatus < 500) {
          return problem(error.httpStatus, error.code, error.message, error.issues[0]?.path);
        }
        logger.error(`RADIUS ${name} failed`, { error: error instanceof Error ? error.message : String(error) });
        return problem(500, 'INTERNAL', 'The request could not be stored; FreeRADIUS will fail it and the NAS retry');
      }
    },
  };
}
