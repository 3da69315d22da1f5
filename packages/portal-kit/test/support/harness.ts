import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExpressPortalOptions, expressPortal } from '@hotspot-kit/adapter-express';
import {
  createHotspotKit,
  createMemoryStore,
  type HotspotKit,
  type HotspotKitOptions,
  type HotspotStore,
  type SmsLogEntry,
  type SmsMessage,
  type SmsSender,
} from '@hotspot-kit/core';
import { createPortal, type Portal, type PortalConfig } from '@hotspot-kit/portal-kit';
import express from 'express';

/** An SmsSender that keeps every message (with the real text: the OTP code is in it). */
export interface CapturingSms extends SmsSender {
  readonly sent: SmsMessage[];
  /** The last OTP code sent to `to`. */
  lastCode(to: string): string;
}

export function capturingSms(): CapturingSms {
  const sent: SmsMessage[] = [];
  let n = 0;
  return {
    sent,
    async send(message) {
      sent.push(message);
      n += 1;
      const now = new Date();
      const entry: SmsLogEntry = {
        id: `sms-${n}`,
        to: message.to,
        text: message.logText ?? message.text,
        purpose: message.purpose,
        status: 'sent',
        createdAt: now,
        updatedAt: now,
        attempts: [],
      };
      return entry;
    },
    lastCode(to) {
      for (let i = sent.length - 1; i >= 0; i--) {
        const m = sent[i] as SmsMessage;
        if (m.to === to) {
          const code = /\b(\d{4,10})\b/.exec(m.text)?.[1];
          if (code) return code;
        }
      }
      throw new Error(`no code was sent to ${to}`);
    },
  };
}

export interface Harness {
  kit: HotspotKit;
  sms: CapturingSms;
  portal: Portal;
  /** e.g. `http://127.0.0.1:40123/portal` */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * A real Express app on a loopback port with the portal mounted at `mount` through
 * `expressPortal`, over a kit with the memory store and a capturing SMS sender.
 */
export async function startPortal(
  options: {
    kit?: Partial<Omit<HotspotKitOptions, 'store' | 'sms'>>;
    portal?: PortalConfig;
    mount?: string;
    withSms?: boolean;
    /** Express middleware mounted before the portal (e.g. body parsers). */
    before?: express.RequestHandler[];
    /** The kit's store (default: a fresh memory store). The harness never closes it. */
    store?: HotspotStore;
    /** Options of `expressPortal` (e.g. the per-request location). */
    adapter?: ExpressPortalOptions;
  } = {},
): Promise<Harness> {
  const sms = capturingSms();
  const kit = createHotspotKit({
    store: options.store ?? createMemoryStore(),
    secret: 'portal-test-secret-0123456789abcdef',
    ...(options.withSms === false ? {} : { sms }),
    ...options.kit,
  });
  const portal = createPortal(kit, options.portal);
  const app = express();
  app.set('trust proxy', 'loopback');
  for (const mw of options.before ?? []) app.use(mw);
  const mount = options.mount ?? '/portal';
  app.use(mount, expressPortal(portal, options.adapter));
  app.get('/', (_req, res) => {
    res.send('host app');
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    kit,
    sms,
    portal,
    origin,
    url: `${origin}${mount === '/' ? '' : mount}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kit.close();
    },
  };
}
