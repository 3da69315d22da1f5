import type { DeliveryReceipt, Logger, SmsLogRepository } from '@hotspot-kit/core';
import type { GatewayConfig, TwilioGatewayConfig } from '../config/gateway-config.js';
import { twilioAuthToken } from '../gateways/twilio-gateway.js';
import {
  canonicalTwilioParams,
  isTwilioSignatureShape,
  signatureUrlVariants,
  verifyTwilioSignature,
} from './twilio-signature.js';

/** A receipt is under 4 KB; a body over this is refused (413) without being read further. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

/** Twilio sends about 15 fields; more than this is refused (413) before any of them is hashed. */
export const MAX_CALLBACK_PARAMS = 100;

/** What the handler needs from its router. */
export interface StatusCallbackContext {
  gateways(): Promise<readonly GatewayConfig[]>;
  log: SmsLogRepository | undefined;
  clock(): Date;
  logger: Logger;
}

/** Twilio `MessageStatus` → receipt status; statuses not listed are ignored (answered 204). */
const STATUS: Record<string, DeliveryReceipt['status']> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * The body as bytes, read chunk by chunk; `null` as soon as it is over `max` (the rest is never
 * read: a forged 8 MiB body costs what 64 KB does).
 */
async function readCapped(request: Request, max: number): Promise<Buffer | null> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Handles Twilio's status callback POST: checks `X-Twilio-Signature` against the auth token of
 * each Twilio gateway of the posting account (`authToken`, else `apiSecret`) for the URL the
 * request arrived at and the gateway's `statusCallbackUrl` (behind a proxy the two differ), then
 * records the receipt. Answers 204 when recorded or ignored, 403 for a bad signature, 400 for a
 * malformed callback, 405 for other methods, 413 for a body over {@link MAX_CALLBACK_BYTES} or
 * more than {@link MAX_CALLBACK_PARAMS} parameters. The parameters are canonicalized once, so a
 * forged request costs one HMAC per candidate token and URL over at most 64 KB.
 */
export function createStatusCallbackHandler(ctx: StatusCallbackContext): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') {
      return new Response('method not allowed', { status: 405, headers: { allow: 'POST' } });
    }
    // Refused before the body is read: nothing else is cheaper than these.
    const signature = request.headers.get('x-twilio-signature');
    if (!signature) return text(403, 'missing X-Twilio-Signature');
    if (!isTwilioSignatureShape(signature)) return text(403, 'invalid signature');

    let body: Buffer | null;
    try {
      body = await readCapped(request, MAX_CALLBACK_BYTES);
    } catch {
      return text(400, 'unreadable body');
    }
    if (body === null) return text(413, `body over ${MAX_CALLBACK_BYTES} bytes`);
    const raw = body.toString('utf8');
    // Counted on the raw text, so a body of 16 000 empty fields is not parsed first.
    let separators = 0;
    for (let i = raw.indexOf('&'); i !== -1 && separators < MAX_CALLBACK_PARAMS; i = raw.indexOf('&', i + 1)) {
      separators++;
    }
    if (separators >= MAX_CALLBACK_PARAMS) return text(413, `more than ${MAX_CALLBACK_PARAMS} parameters`);
    const params = [...new URLSearchParams(raw)];
    const field = (name: string) => params.find(([k]) => k === name)?.[1];

    const accountSid = field('AccountSid');
    const twilio = (await ctx.gateways()).filter(
      (g): g is TwilioGatewayConfig => g.type === 'twilio' && (accountSid === undefined || g.accountSid === accountSid),
    );
    const tokens = [...new Set(twilio.map(twilioAuthToken))];
    const urls = [
      ...new Set([
        ...signatureUrlVariants(request.url),
        ...twilio.flatMap((g) => (g.statusCallbackUrl ? signatureUrlVariants(g.statusCallbackUrl) : [])),
      ]),
    ];
    if (tokens.length === 0 || !verifyTwilioSignature(signature, tokens, urls, canonicalTwilioParams(params))) {
      ctx.logger.warn('Twilio status callback refused: bad signature', { accountSid });
      return text(403, 'invalid signature');
    }

    const sid = field('MessageSid') ?? field('SmsSid');
    const rawStatus = (field('MessageStatus') ?? field('SmsStatus'))?.toLowerCase();
    if (!sid || !rawStatus) return text(400, 'MessageSid and MessageStatus are required');
    const status = STATUS[rawStatus];
    if (!status || !ctx.log) return new Response(null, { status: 204 });
    const receipt: DeliveryReceipt = { providerMessageId: sid, status, receivedAt: ctx.clock() };
    const errorCode = field('ErrorCode');
    if (errorCode) receipt.errorCode = errorCode;
    try {
      await ctx.log.recordReceipt(receipt);
    } catch (error) {
      // A 500 shows up in the Twilio console (and retries, when the callback URL asks for them).
      ctx.logger.error('could not record a Twilio delivery receipt', {
        messageSid: sid,
        error: error instanceof Error ? error.message : String(error),
      });
      return text(500, 'could not record the receipt');
    }
    return new Response(null, { status: 204 });
  };
}
