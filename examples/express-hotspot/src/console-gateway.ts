import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';

/** One SMS the console gateway "delivered" (printed). */
export interface ConsoleSms {
  to: string;
  text: string;
  sender: string;
  /** Our message id (the SMS log entry's id). */
  id: string;
  receivedAt: Date;
}

/** The gateway id the console gateway gets in the router. */
export const CONSOLE_GATEWAY_ID = 'dev-console';

/**
 * The development "console" gateway as a plain `custom` gateway config: it posts each SMS
 * to this app's own `/dev/sms-console` endpoint, which prints it. Nothing leaves the
 * machine, but the real router, SMS log, failover and test-send paths all run.
 */
export function consoleGatewayConfig(baseUrl: string): Record<string, unknown> {
  return {
    id: CONSOLE_GATEWAY_ID,
    name: 'Development console (prints SMS to the terminal; NOT a real SMS gateway)',
    type: 'custom',
    enabled: true,
    url: `${baseUrl}/dev/sms-console`,
    method: 'POST',
    contentType: 'json',
    payload: '{"to":"%TO%","text":"%MESSAGE%","sender":"%LOCATION%","id":"%ID%"}',
    useLuaScript: false,
    verifySsl: true,
    successResponse: '"accepted":true',
    timeoutMs: 3000,
  };
}

/** The loopback base URL the console gateway posts to, from the address the server listens on. */
export function loopbackBaseUrl(address: AddressInfo): string {
  const wildcard = address.address === '::' || address.address === '0.0.0.0';
  const host = wildcard ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The endpoint behind the console gateway. It only answers the machine itself: the text
 * holds real OTP codes, which is the point of a development phone, and why this must never
 * be the gateway of a hotspot people use.
 */
export function consoleGatewayRouter(options: { print: (line: string) => void; keep?: ConsoleSms[] }): Router {
  const router = express.Router();
  let count = 0;
  router.post('/dev/sms-console', express.json({ limit: '64kb' }), (req, res) => {
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      res.status(403).json({ accepted: false, error: 'the console gateway only accepts loopback requests' });
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sms: ConsoleSms = {
      to: String(body.to ?? ''),
      text: String(body.text ?? ''),
      sender: String(body.sender ?? ''),
      id: String(body.id ?? ''),
      receivedAt: new Date(),
    };
    count += 1;
    options.keep?.push(sms);
    if (options.keep && options.keep.length > 200) options.keep.shift();
    const from = sms.sender ? ` from ${sms.sender}` : '';
    options.print(
      `[sms-console] ── SMS #${count} to ${sms.to}${from} (dev console: NOT a real SMS gateway, nothing was sent)`,
    );
    for (const line of sms.text.split('\n')) options.print(`[sms-console] │ ${line}`);
    res.json({ accepted: true, id: `console-${count}` });
  });
  return router;
}
