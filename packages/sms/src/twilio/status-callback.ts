import type { DeliveryReceipt, Logger, SmsLogRepository } from '@hotspot-kit/core';
import type { GatewayConfig, TwilioGatewayConfig } from '../config/gateway-config.js';
import { twilioAuthToken } from '../gateways/twilio-gateway.js';
import { signatureUrlVariants, verifyTwilioSignature } from './twilio-signature.js';

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
 * Handles Twilio's status callback POST: checks `X-Twilio-Signature` against the auth token of
 * each Twilio gateway of the posting account (`authToken`, else `apiSecret`) for the URL the
 * request arrived at and the gateway's `statusCallbackUrl` (behind a proxy the two differ), then
 * records the receipt. Answers 204 when recorded or ignored, 403 for a bad signature, 400 for a
 * malformed callback, 405 for other methods.
 */
export function createStatusCallbackHandler(ctx: StatusCallbackContext): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') {
      return new Response('method not allowed', { status: 405, headers: { allow: 'POST' } });
    }
    let params: [string, string][];
    try {
      params = [...new URLSearchParams(await request.text())];
    } catch {
      return text(400, 'unreadable body');
    }
    const field = (name: string) => params.find(([k]) => k === name)?.[1];
    const signature = request.headers.get('x-twilio-signature');
    if (!signature) return text(403, 'missing X-Twilio-Signature');

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
    if (tokens.length === 0 || !verifyTwilioSignature(signature, tokens, urls, params)) {
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
