import { checkMac, type Logger, silentLogger } from '@hotspot-kit/core';
import { z } from 'zod';
import { RADIUS_ATTRIBUTES } from '../attributes.js';
import { RadiusError } from '../radius-error.js';
import { type AttachableKit, attachDisconnector } from './attach.js';
import { type AttributeValue, encodeNamed, readInteger } from './attribute-values.js';
import { type RadiusNas, type RadiusNasInput, radiusNasListSchema } from './nas-config.js';
import { RADIUS_CODES, type RawAttribute } from './packet.js';
import { createUdpExchange } from './udp-exchange.js';

/** Options of {@link createRadiusDisconnector}. */
export interface RadiusDisconnectorOptions {
  /** The NAS that take Disconnect/CoA requests (plain data, e.g. from settings). */
  nas: RadiusNasInput[];
  /** How long to wait for an answer to each attempt (default 3000 ms). */
  timeoutMs?: number;
  /** Retransmissions after the first attempt, with the same identifier (default 2). */
  retries?: number;
  /** Default: silent. Never receives a secret. */
  logger?: Logger;
}

/** Which session to end or change: the NAS, and the session's identification attributes. */
export interface DisconnectTarget {
  /** The `id` of a configured NAS (or its address). */
  nasId: string;
  /** Acct-Session-Id as the NAS knows it. */
  sessionId?: string;
  /** Calling-Station-Id (sent as `AA:BB:CC:DD:EE:FF`). */
  mac?: string;
  userName?: string;
  /** Framed-IP-Address of the session. */
  framedIp?: string;
}

/** A CoA: the session, and the attributes to apply to it (e.g. `{ 'Session-Timeout': 600 }`). */
export interface CoaTarget extends DisconnectTarget {
  attributes: Partial<Record<keyof typeof RADIUS_ATTRIBUTES, AttributeValue>>;
}

/** What the NAS answered: ACK, NAK (with its Error-Cause, RFC 5176 §3.6) or nothing in time. */
export type RadiusDisconnectResult =
  | { ok: true; result: 'ack'; nasId: string; attempts: number }
  | { ok: false; result: 'nak'; errorCause?: number; nasId: string; attempts: number }
  | { ok: false; result: 'timeout'; nasId: string; attempts: number };

/** Sends RFC 5176 Disconnect and CoA requests; made by {@link createRadiusDisconnector}. */
export interface RadiusDisconnector {
  /** Ends a session on its NAS (Disconnect-Request). Throws only for bad input or after `close()`. */
  disconnect(target: DisconnectTarget): Promise<RadiusDisconnectResult>;
  /** Changes a session's authorization on its NAS (CoA-Request). */
  coa(target: CoaTarget): Promise<RadiusDisconnectResult>;
  /**
   * Disconnects on the kit's events: `device.removed` (that device's open sessions) and
   * `voucher.exhausted` / `voucher.expired` (every open session of the voucher). Returns the
   * function that detaches again.
   */
  attach(kit: AttachableKit): () => void;
  /** Ends pending requests as timeouts, detaches from every kit, closes the sockets. */
  close(): Promise<void>;
}

const optionsSchema = z
  .object({
    nas: radiusNasListSchema,
    timeoutMs: z.number().int('must be a whole number').min(10).max(60_000).default(3000),
    retries: z.number().int('must be a whole number').min(0).max(10).default(2),
  })
  .strict();

const targetSchema = z
  .object({
    nasId: z.string().trim().min(1, 'must name a configured NAS'),
    sessionId: z.string().min(1).max(253).optional(),
    mac: z.string().optional(),
    userName: z.string().min(1).max(253).optional(),
    framedIp: z.string().optional(),
  })
  .refine((t) => t.sessionId ?? t.mac ?? t.userName ?? t.framedIp, {
    message: 'needs sessionId, mac, userName or framedIp to identify the session',
    path: ['sessionId'],
  });

function invalid(kind: 'INVALID_CONFIG' | 'INVALID_INPUT', what: string, error: z.ZodError): RadiusError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  return new RadiusError(
    kind,
    `Invalid ${what}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'invalid'}`,
    {
      issues,
    },
  );
}

/**
 * Makes the client that sends Disconnect-Request and CoA-Request (RFC 5176) to the NAS.
 * Every request carries Message-Authenticator (first, as BlastRADIUS guidance asks), a
 * retry resends the same packet with the same identifier, and an answer counts only when
 * its Response Authenticator (and Message-Authenticator, when present) verifies. Options
 * are validated; a bad one throws `INVALID_CONFIG` naming the field.
 *
 * @example
 * ```ts
 * const disconnector = createRadiusDisconnector({
 *   nas: [{ id: 'hq-router', address: '10.0.0.1', port: 3799, secret: process.env.NAS_SECRET! }],
 * })
 * const detach = disconnector.attach(kit) // device removed, voucher used or expired: disconnected
 * await disconnector.disconnect({ nasId: 'hq-router', sessionId: '81a00003' }) // { ok: true, result: 'ack', ... }
 * ```
 */
export function createRadiusDisconnector(options: RadiusDisconnectorOptions): RadiusDisconnector {
  if (options === null || typeof options !== 'object') {
    throw new RadiusError('INVALID_CONFIG', 'createRadiusDisconnector needs an options object');
  }
  const { logger = silentLogger, ...plain } = options;
  const parsed = optionsSchema.safeParse(plain);
  if (!parsed.success) throw invalid('INVALID_CONFIG', 'RADIUS disconnector options', parsed.error);
  const { nas, timeoutMs, retries } = parsed.data;
  const exchange = createUdpExchange({
    timeoutMs,
    retries,
    onDrop: (reason, from) => logger.warn('RADIUS: dropped a datagram', { reason, from }),
  });
  const detachers = new Set<() => void>();
  let closed = false;

  function findNas(nasId: string): RadiusNas | undefined {
    return nas.find((n) => n.id === nasId) ?? nas.find((n) => n.address === nasId);
  }

  function identification(target: z.output<typeof targetSchema>): RawAttribute[] {
    const out: RawAttribute[] = [];
    if (target.userName !== undefined) out.push(encodeNamed('User-Name', target.userName, 'userName'));
    if (target.sessionId !== undefined) out.push(encodeNamed('Acct-Session-Id', target.sessionId, 'sessionId'));
    if (target.mac !== undefined) {
      const mac = checkMac(target.mac);
      if (!mac.ok) {
        throw new RadiusError('INVALID_INPUT', `Invalid mac: ${mac.message}`, {
          issues: [{ path: 'mac', message: mac.message }],
        });
      }
      out.push(encodeNamed('Calling-Station-Id', mac.mac.toUpperCase(), 'mac'));
    }
    if (target.framedIp !== undefined) out.push(encodeNamed('Framed-IP-Address', target.framedIp, 'framedIp'));
    return out;
  }

  async function send(kind: 'disconnect' | 'coa', input: DisconnectTarget, extra: RawAttribute[]) {
    if (closed) throw new RadiusError('CLOSED', 'The RADIUS disconnector is closed');
    const checked = targetSchema.safeParse(input);
    if (!checked.success) throw invalid('INVALID_INPUT', `${kind} target`, checked.error);
    const target = findNas(checked.data.nasId);
    if (!target) {
      throw new RadiusError('UNKNOWN_NAS', `No NAS '${checked.data.nasId}' is configured`, {
        issues: [{ path: 'nasId', message: 'is not the id or address of a configured NAS' }],
      });
    }
    const codes =
      kind === 'disconnect'
        ? ([
            RADIUS_CODES['Disconnect-Request'],
            RADIUS_CODES['Disconnect-ACK'],
            RADIUS_CODES['Disconnect-NAK'],
          ] as const)
        : ([RADIUS_CODES['CoA-Request'], RADIUS_CODES['CoA-ACK'], RADIUS_CODES['CoA-NAK']] as const);
    const outcome = await exchange.exchange({
      address: target.address,
      port: target.port,
      secret: target.secret,
      code: codes[0],
      responseCodes: [codes[1], codes[2]],
      attributes: [...identification(checked.data), ...extra],
    });
    const base = { nasId: target.id, attempts: outcome.attempts };
    let result: RadiusDisconnectResult;
    if (!outcome.response) result = { ok: false, result: 'timeout', ...base };
    else if (outcome.response.code === codes[1]) result = { ok: true, result: 'ack', ...base };
    else {
      const cause = outcome.response.attributes.find(
        (a) => a.type === RADIUS_ATTRIBUTES['Error-Cause'].type && a.vendorId === undefined,
      );
      const errorCause = cause ? readInteger(cause.value) : undefined;
      result =
        errorCause === undefined
          ? { ok: false, result: 'nak', ...base }
          : { ok: false, result: 'nak', errorCause, ...base };
    }
    logger.info(`RADIUS ${kind}: ${result.result}`, {
      ...base,
      ...('errorCause' in result ? { errorCause: result.errorCause } : {}),
    });
    return result;
  }

  const disconnector: RadiusDisconnector = {
    disconnect: (target) => send('disconnect', target, []),
    coa(target) {
      const attributes = target?.attributes;
      if (attributes === null || typeof attributes !== 'object' || Object.keys(attributes).length === 0) {
        return Promise.reject(
          new RadiusError(
            'INVALID_INPUT',
            'Invalid coa target: attributes: must name at least one attribute to change',
            {
              issues: [{ path: 'attributes', message: 'must name at least one attribute to change' }],
            },
          ),
        );
      }
      try {
        const extra = Object.entries(attributes).map(([name, value]) => encodeNamed(name, value as AttributeValue));
        const { attributes: _, ...session } = target;
        return send('coa', session, extra);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    attach(kit) {
      if (closed) throw new RadiusError('CLOSED', 'The RADIUS disconnector is closed');
      const detach = attachDisconnector(kit, { disconnect: (t) => disconnector.disconnect(t), findNas, logger });
      const once = () => {
        if (detachers.delete(once)) detach();
      };
      detachers.add(once);
      return once;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const detach of [...detachers]) detach();
      await exchange.close();
    },
  };
  return disconnector;
}
