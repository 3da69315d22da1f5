import { PORTAL_LINK_TOKEN_PARAM, verifyPortalPrefillToken } from '@hotspot-kit/core';
import { addDevice, logout, removeDevice, renameDevice, resendCode, startLogin, verifyCode } from '../actions.js';
import { readForm } from '../http/body.js';
import { asRequest, makeReply, type PortalReply } from '../http/reply.js';
import type { MessageKey } from '../i18n/messages-en.js';
import { bindLocation } from '../location/location-link.js';
import { codePage, errorPage, loginPage } from '../pages/login-page.js';
import { type DeviceFormEcho, statusPage } from '../pages/status-page.js';
import { isPortalError, PortalError } from '../portal-error.js';
import { nowSeconds, type PortalRuntime, type RequestState } from '../runtime.js';
import { loadStatus } from '../status/status-data.js';
import { htmlResponse, pageContext, redirect, resolveBranding } from './context.js';
import { errorProblem, loginProblem, verifyProblem } from './messages.js';

const NOTICES: Record<string, MessageKey> = {
  'signed-out': 'login.signedOut',
  'device-added': 'devices.added',
  'device-renamed': 'devices.renamed',
  'device-removed': 'devices.removedNote',
};

/** Why a login had to start over, carried across the redirect back to the phone form. */
const RESTART_ERRORS: Record<string, MessageKey> = {
  'too-many-attempts': 'code.tooMany',
  expired: 'code.expired',
  'already-used': 'code.closed',
  'not-found': 'code.closed',
  'phone-locked': 'otp.phone-locked',
  'max-sends': 'otp.max-sends',
  'challenge-closed': 'otp.challenge-closed',
};

function restartError(state: RequestState): string | undefined {
  const key = RESTART_ERRORS[state.url.searchParams.get('error') ?? ''];
  if (!key) return undefined;
  const retry = Number(state.url.searchParams.get('retry') ?? '0');
  return state.tr.t(key, { minutes: Math.max(1, Math.ceil((Number.isFinite(retry) ? retry : 60) / 60)) });
}

function restartRedirect(state: RequestState, reason: string, retryAfterSeconds?: number): PortalReply {
  const retry = retryAfterSeconds ? `&retry=${Math.ceil(retryAfterSeconds)}` : '';
  return redirect(state, `/?error=${encodeURIComponent(reason)}${retry}`);
}

function notice(state: RequestState): string | undefined {
  const key = NOTICES[state.url.searchParams.get('notice') ?? ''];
  return key ? state.tr.t(key) : undefined;
}

/** Checks the form's CSRF token against the session; 403 without a valid one. */
async function form(rt: PortalRuntime, state: RequestState): Promise<Record<string, string>> {
  const fields = await readForm(state.request);
  if (!(await rt.codec.checkCsrf(state.session, fields._csrf))) {
    throw new PortalError('CSRF', 'form token missing or wrong');
  }
  return fields;
}

/** The phone pre-filled from a status-page SMS link (`?t=<token>`); it never signs anyone in. */
async function prefillFromToken(rt: PortalRuntime, token: string | null): Promise<string | undefined> {
  try {
    return (await verifyPortalPrefillToken(rt.kit.tokens, token))?.phone;
  } catch {
    return undefined;
  }
}

async function showLogin(
  rt: PortalRuntime,
  state: RequestState,
  view: { phone?: string; error?: string; notice?: string },
  status = 200,
) {
  const ctx = await pageContext(rt, state);
  return htmlResponse(loginPage(ctx, { otp: rt.kit.options.portal.otp, ...view }), status);
}

async function showCode(
  rt: PortalRuntime,
  state: RequestState,
  view: { error?: string; notice?: string },
  status = 200,
) {
  const ctx = await pageContext(rt, state);
  const { otp } = rt.kit.options;
  return htmlResponse(
    codePage(ctx, {
      phone: state.session.phone ?? '',
      codeLength: otp.codeLength,
      minutes: Math.round(otp.ttlSeconds / 60),
      ...view,
    }),
    status,
  );
}

async function showStatus(
  rt: PortalRuntime,
  state: RequestState,
  view: { notice?: string; error?: string; echo?: DeviceFormEcho },
  status = 200,
): Promise<PortalReply> {
  const phone = state.session.phone as string;
  const data = await loadStatus(rt.kit, {
    phone,
    verified: !!state.session.verified,
    historyDays: rt.config.historyDays,
    timeZone: (await rt.location(state.locationId ?? rt.config.locationId))?.timezone ?? 'UTC',
    timeZoneOf: rt.timeZoneOf,
    cursor: state.url.searchParams.get('cursor'),
    onBadCursor: 'first-page',
  });
  // The link's location brands the page; else the customer's own location; else the default.
  const finalBranding = await resolveBranding(rt, state.locationId ?? data.customer?.locationId);
  const ctx = await pageContext(rt, state, { branding: finalBranding, path: '/status' });
  return htmlResponse(statusPage(ctx, { data, now: state.now, ...view }), status);
}

/** The HTML routes; `null` when the path is not one of them. */
export async function handlePage(rt: PortalRuntime, state: RequestState): Promise<PortalReply | null> {
  const method = state.request.method === 'HEAD' ? 'GET' : state.request.method;
  const { session } = state;
  switch (`${method} ${state.path}`) {
    case 'GET /': {
      await bindLocation(rt, state);
      const prefill = await prefillFromToken(rt, state.url.searchParams.get(PORTAL_LINK_TOKEN_PARAM));
      if (state.session.stage === 'signed-in' && (!prefill || prefill === state.session.phone)) {
        return redirect(state, '/status');
      }
      if (state.session.stage === 'code' && !prefill) {
        if (state.url.searchParams.get('change') !== '1') return redirect(state, '/code');
        const current = state.session;
        state.session = {
          id: current.id,
          stage: 'anonymous',
          phone: current.phone,
          locationId: current.locationId,
          expiresAt: current.expiresAt,
        };
        state.sessionDirty = true;
      }
      return showLogin(rt, state, {
        phone: prefill ?? state.session.phone,
        notice: notice(state),
        error: restartError(state),
      });
    }
    case 'POST /login': {
      const fields = await form(rt, state);
      try {
        const outcome = await startLogin(rt, state, fields.phone);
        if (outcome.ok) return redirect(state, outcome.next === 'code' ? '/code' : '/status');
        const problem = loginProblem(state.tr, outcome.reason, outcome.retryAfterSeconds);
        return showLogin(rt, state, { phone: fields.phone, error: problem.message }, problem.status);
      } catch (error) {
        if (!isPortalError(error) || error.code !== 'RATE_LIMITED') throw error;
        const problem = errorProblem(state.tr, error);
        return showLogin(rt, state, { phone: fields.phone, error: problem.message }, problem.status);
      }
    }
    case 'GET /code':
      if (session.stage !== 'code') return redirect(state, '/');
      return showCode(rt, state, {});
    case 'POST /code': {
      const fields = await form(rt, state);
      if (state.session.stage !== 'code') return redirect(state, '/');
      let outcome: Awaited<ReturnType<typeof verifyCode>>;
      try {
        outcome = await verifyCode(rt, state, fields.code);
      } catch (error) {
        if (!isPortalError(error) || error.code !== 'RATE_LIMITED') throw error;
        return showCode(rt, state, { error: errorProblem(state.tr, error).message }, 429);
      }
      if (outcome.ok) return redirect(state, '/status');
      // A spent challenge sends the visitor back to the phone form (number kept) with the reason.
      if (outcome.restart) return restartRedirect(state, outcome.reason, outcome.retryAfterSeconds);
      const problem = verifyProblem(state.tr, outcome);
      return showCode(rt, state, { error: problem.message }, problem.status);
    }
    case 'POST /code/resend': {
      await form(rt, state);
      let outcome: Awaited<ReturnType<typeof resendCode>>;
      try {
        outcome = await resendCode(rt, state);
      } catch (error) {
        if (!isPortalError(error) || error.code !== 'RATE_LIMITED') throw error;
        return showCode(rt, state, { error: errorProblem(state.tr, error).message }, 429);
      }
      if (outcome.ok) return showCode(rt, state, { notice: state.tr.t('code.resent') });
      const problem = loginProblem(state.tr, outcome.reason, outcome.retryAfterSeconds);
      if (outcome.reason === 'challenge-closed' || outcome.reason === 'max-sends' || state.session.stage !== 'code') {
        state.session = {
          id: state.session.id,
          stage: 'anonymous',
          phone: state.session.phone,
          locationId: state.session.locationId,
          expiresAt: nowSeconds(state.now) + 1800,
        };
        state.sessionDirty = true;
        return restartRedirect(state, outcome.reason, outcome.retryAfterSeconds);
      }
      return showCode(rt, state, { error: problem.message }, problem.status);
    }
    case 'GET /status':
      if (session.stage !== 'signed-in') return redirect(state, '/');
      return showStatus(rt, state, { notice: notice(state) });
    case 'POST /devices/add':
    case 'POST /devices/rename':
    case 'POST /devices/remove': {
      const fields = await form(rt, state);
      if (state.session.stage !== 'signed-in') return redirect(state, '/');
      const op = state.path.slice('/devices/'.length);
      try {
        const input = { voucherId: fields.voucherId, mac: fields.mac, label: fields.label };
        if (op === 'add') await addDevice(rt, state, input);
        else if (op === 'rename') await renameDevice(rt, state, input);
        else await removeDevice(rt, state, input);
      } catch (error) {
        const problem = errorProblem(state.tr, error);
        if (problem.internal) throw error;
        const echo =
          op === 'add' ? { voucherId: fields.voucherId ?? '', mac: fields.mac, label: fields.label } : undefined;
        return showStatus(rt, state, { error: problem.message, echo }, problem.status);
      }
      return redirect(
        state,
        `/status?notice=device-${op === 'add' ? 'added' : op === 'rename' ? 'renamed' : 'removed'}`,
      );
    }
    case 'POST /logout':
      await form(rt, state);
      await logout(rt, state);
      return redirect(state, '/?notice=signed-out');
    default:
      return null;
  }
}

/** The friendly page for an error (typed errors keep their status; anything else is a 500 without details). */
export async function errorPageResponse(rt: PortalRuntime, state: RequestState, error: unknown): Promise<PortalReply> {
  if (isPortalError(error) && error.code === 'UNAUTHENTICATED') return redirect(state, '/');
  const problem = errorProblem(state.tr, error);
  if (problem.internal) rt.config.onError?.(error, asRequest(state.request));
  try {
    const ctx = await pageContext(rt, state, { path: '/' });
    const response = htmlResponse(errorPage(ctx, { message: problem.message }), problem.status);
    if (problem.retryAfterSeconds) response.headers['retry-after'] = String(problem.retryAfterSeconds);
    return response;
  } catch {
    // Even the error page failed (e.g. the store is down): plain text, still no details.
    return makeReply(
      problem.status,
      { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      problem.message,
    );
  }
}
