import { createMemoryStore, silentLogger } from '@hotspot-kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseGatewayConfigs } from '../config/gateway-config.js';
import { createStatusCallbackHandler, MAX_CALLBACK_BYTES, MAX_CALLBACK_PARAMS } from './status-callback.js';
import { canonicalTwilioParams, twilioSignature } from './twilio-signature.js';

// Counts how often the handler canonicalizes the parameters (the work a forged body buys).
vi.mock('./twilio-signature.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./twilio-signature.js')>();
  return { ...actual, canonicalTwilioParams: vi.fn(actual.canonicalTwilioParams) };
});
const canonicalized = vi.mocked(canonicalTwilioParams);

const ACCOUNT = `AC${'a1'.repeat(16)}`;
const URL_A = 'https://hotspot.example/sms/twilio/status';
const twilio = (id: string, authToken: string, statusCallbackUrl: string) => ({
  id,
  type: 'twilio',
  enabled: true,
  accountSid: ACCOUNT,
  apiKey: `SK${'b2'.repeat(16)}`,
  apiSecret: `secret-of-${id}`,
  authToken,
  from: '+15005550006',
  statusCallbackUrl,
});
// Three tokens × several candidate URLs: the old handler canonicalized once per pair.
const GATEWAYS = parseGatewayConfigs([
  twilio('t1', 'token-one-0123456789', URL_A),
  twilio('t2', 'token-two-0123456789', 'https://edge-1.hotspot.example/status'),
  twilio('t3', 'token-three-012345678', 'https://edge-2.hotspot.example/status'),
]);

const handler = () => {
  const store = createMemoryStore();
  const handle = createStatusCallbackHandler({
    gateways: async () => GATEWAYS,
    log: store.smsLog,
    clock: () => new Date(),
    logger: silentLogger,
  });
  return { store, handle };
};

const post = (body: BodyInit, signature: string, headers: Record<string, string> = {}) =>
  new Request(URL_A, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);

/** A body stream of `total` bytes in `chunk`-byte pieces that counts what was pulled from it. */
function countingStream(total: number, chunk: number) {
  let pulled = 0;
  const piece = new TextEncoder().encode('a'.repeat(chunk));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += piece.byteLength;
      controller.enqueue(piece);
    },
  });
  return { stream, pulled: () => pulled };
}

const FORGED = 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=';

afterEach(() => {
  canonicalized.mockClear();
});

describe('Twilio status callback limits', () => {
  it('canonicalizes the parameters once per callback, whatever the number of tokens and URLs', async () => {
    const { handle } = handler();
    const params = { AccountSid: ACCOUNT, MessageSid: 'SM1', MessageStatus: 'delivered', Padding: 'x'.repeat(60_000) };
    const forged = await handle(post(new URLSearchParams(params), FORGED));
    expect(forged.status).toBe(403);
    expect(canonicalized).toHaveBeenCalledTimes(1);

    canonicalized.mockClear();
    const signed = twilioSignature('token-three-012345678', URL_A, Object.entries(params));
    canonicalized.mockClear();
    const ok = await handle(post(new URLSearchParams(params), signed));
    expect(ok.status).toBe(204);
    expect(canonicalized).toHaveBeenCalledTimes(1);
  });

  it('answers 413 to a body over 64 KB, reading only about 64 KB of it', async () => {
    const { handle } = handler();
    const chunk = 16 * 1024;
    const body = countingStream(8 * 1024 * 1024, chunk);
    const res = await handle(post(body.stream, FORGED));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_CALLBACK_BYTES + 2 * chunk);
    expect(canonicalized).not.toHaveBeenCalled();
  });

  it('answers 413 from a Content-Length over 64 KB without reading the body', async () => {
    const { handle } = handler();
    const body = countingStream(MAX_CALLBACK_BYTES * 4, 1024);
    const res = await handle(post(body.stream, FORGED, { 'content-length': String(MAX_CALLBACK_BYTES * 4) }));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(1024);
  });

  it('answers 413 to more parameters than a receipt has, before canonicalizing them', async () => {
    const { handle } = handler();
    const body = Array.from({ length: MAX_CALLBACK_PARAMS + 1 }, (_, i) => `p${i}=1`).join('&');
    expect(body.length).toBeLessThan(4096);
    const res = await handle(post(body, FORGED));
    expect(res.status).toBe(413);
    expect(canonicalized).not.toHaveBeenCalled();
    const within = Array.from({ length: MAX_CALLBACK_PARAMS }, (_, i) => `p${i}=1`).join('&');
    expect((await handle(post(within, FORGED))).status).toBe(403);
  });

  it('refuses a signature that is not a base64 HMAC-SHA1 before reading the body', async () => {
    const { handle } = handler();
    const body = countingStream(32 * 1024, 1024);
    const res = await handle(post(body.stream, 'not-a-signature'));
    expect(res.status).toBe(403);
    expect(body.pulled()).toBeLessThanOrEqual(1024);
    expect(canonicalized).not.toHaveBeenCalled();
  });
});
