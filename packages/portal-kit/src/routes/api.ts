import {
  addDevice,
  devicesAllowed,
  logout,
  removeDevice,
  renameDevice,
  requirePhone,
  resendCode,
  startLogin,
  verifyCode,
} from '../actions.js';
import { openApiDocument } from '../api/openapi.js';
import { statusJson, voucherJson } from '../api/serialize.js';
import { readJson } from '../http/body.js';
import { asRequest, makeReply, type PortalReply } from '../http/reply.js';
import { bindLocation } from '../location/location-link.js';
import { PortalError } from '../portal-error.js';
import type { PortalRuntime, RequestState } from '../runtime.js';
import { loadStatus } from '../status/status-data.js';
import { resolveBranding } from './context.js';
import { errorProblem, loginProblem, type Problem, verifyProblem } from './messages.js';

export function json(body: unknown, status = 200, extra: Record<string, string> = {}): PortalReply {
  return makeReply(
    status,
    { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
    JSON.stringify(body),
  );
}

export function problemResponse(problem: Problem, extra: Record<string, unknown> = {}): PortalReply {
  const { status, internal: _internal, ...rest } = problem;
  const error = Object.fromEntries(Object.entries({ ...rest, ...extra }).filter(([, v]) => v !== undefined));
  return json(
    { error },
    status,
    problem.retryAfterSeconds ? { 'retry-after': String(Math.ceil(problem.retryAfterSeconds)) } : {},
  );
}

/**
 * Cross-site request forgery guard for the JSON API: a browser can only send a cross-site
 * JSON body after a CORS preflight (which the portal never grants), and modern browsers
 * label cross-site requests; an `Origin` of another host is refused as well.
 */
function guard(state: RequestState, needsJson: boolean): void {
  const { request } = state;
  if (request.headers.get('sec-fetch-site') === 'cross-site') throw new PortalError('CSRF', 'cross-site request');
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== (request.headers.get('host') ?? state.url.host)) throw new PortalError('CSRF', 'cross-origin request');
  } else if (origin === 'null') {
    throw new PortalError('CSRF', 'opaque origin');
  }
  if (needsJson && !(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new PortalError('UNSUPPORTED_MEDIA_TYPE', 'send Content-Type: application/json');
  }
}

const DEVICE_ROUTE = /^\/api\/vouchers\/([^/]+)\/devices(?:\/([^/]+))?$/;

function decode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The JSON API under `/api/*`; `null` when the path is not under `/api`. */
export async function handleApi(rt: PortalRuntime, state: RequestState): Promise<PortalReply | null> {
  if (state.path !== '/api' && !state.path.startsWith('/api/')) return null;
  const method = state.request.method === 'HEAD' ? 'GET' : state.request.method;
  const { kit } = rt;
  const route = `${method} ${state.path}`;
  switch (route) {
    case 'GET /api/openapi.json':
      return json(openApiDocument(`${state.url.origin}${state.base}`), 200, { 'cache-control': 'public, max-age=300' });
    case 'GET /api/session':
      await bindLocation(rt, state);
      return json({
        stage: state.session.stage,
        phone: state.session.phone ?? null,
        verified: !!state.session.verified,
        otp: kit.options.portal.otp,
        devices: kit.options.portal.otp && kit.options.portal.associatedDevices,
        locale: state.locale,
        locales: rt.i18n.locales,
      });
    case 'POST /api/login': {
      guard(state, true);
      const body = await readJson(state.request);
      const outcome = await startLogin(rt, state, body.phone);
      if (!outcome.ok) return problemResponse(loginProblem(state.tr, outcome.reason, outcome.retryAfterSeconds));
      return outcome.next === 'code'
        ? json({
            next: 'code',
            phone: outcome.phone,
            codeLength: kit.options.otp.codeLength,
            expiresAt: outcome.expiresAt.toISOString(),
            resendAfter: outcome.resendAfter.toISOString(),
          })
        : json({ next: 'status', phone: outcome.phone });
    }
    case 'POST /api/login/resend': {
      guard(state, true);
      await readJson(state.request);
      const outcome = await resendCode(rt, state);
      if (!outcome.ok) return problemResponse(loginProblem(state.tr, outcome.reason, outcome.retryAfterSeconds));
      return json({
        next: 'code',
        phone: outcome.phone,
        codeLength: kit.options.otp.codeLength,
        ...(outcome.next === 'code'
          ? { expiresAt: outcome.expiresAt.toISOString(), resendAfter: outcome.resendAfter.toISOString() }
          : {}),
      });
    }
    case 'POST /api/login/verify': {
      guard(state, true);
      const body = await readJson(state.request);
      const outcome = await verifyCode(rt, state, typeof body.code === 'number' ? String(body.code) : body.code);
      if (outcome.ok) return json({ next: 'status', phone: outcome.phone });
      return problemResponse(verifyProblem(state.tr, outcome), { restart: outcome.restart });
    }
    case 'POST /api/logout':
      guard(state, true);
      await logout(rt, state);
      return json({ ok: true });
    case 'GET /api/status': {
      const phone = requirePhone(state);
      const branding = await resolveBranding(rt, state.locationId);
      const data = await loadStatus(kit, {
        phone,
        verified: !!state.session.verified,
        historyDays: rt.config.historyDays,
        timeZone: branding.timeZone,
        timeZoneOf: async (id) => (await rt.location(id))?.timezone,
        cursor: state.url.searchParams.get('cursor'),
      });
      return json(statusJson(data, state.now));
    }
  }
  const match = DEVICE_ROUTE.exec(state.path);
  if (match) {
    const voucherId = decode(match[1]);
    const mac = decode(match[2]);
    let result: Awaited<ReturnType<typeof addDevice>> | undefined;
    let status = 200;
    if (method === 'POST' && mac === undefined) {
      guard(state, true);
      const body = await readJson(state.request);
      result = await addDevice(rt, state, { voucherId, mac: body.mac, label: body.label });
      status = 201;
    } else if (method === 'PATCH' && mac !== undefined) {
      guard(state, true);
      const body = await readJson(state.request);
      result = await renameDevice(rt, state, { voucherId, mac, label: body.label });
    } else if (method === 'DELETE' && mac !== undefined) {
      guard(state, false);
      result = await removeDevice(rt, state, { voucherId, mac });
    } else {
      throw new PortalError('METHOD_NOT_ALLOWED', `${method} is not allowed here`);
    }
    return json({ voucher: voucherJson(result.voucher, state.now, devicesAllowed(rt, state)) }, status);
  }
  throw new PortalError('PAGE_NOT_FOUND', 'no such API route');
}

export function apiErrorResponse(rt: PortalRuntime, state: RequestState, error: unknown): PortalReply {
  const problem = errorProblem(state.tr, error);
  if (problem.internal) rt.config.onError?.(error, asRequest(state.request));
  return problemResponse(problem);
}
