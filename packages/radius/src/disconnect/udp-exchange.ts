import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { decodePacket, encodeRequest, type RadiusPacket, type RawAttribute, verifyResponse } from './packet.js';

/** What came back for one request: a verified response, or nothing in time. */
export type ExchangeOutcome = { response: RadiusPacket; attempts: number } | { response: null; attempts: number };

interface Pending {
  requestAuthenticator: Buffer;
  secret: string;
  codes: readonly number[];
  settle(outcome: ExchangeOutcome): void;
  attempts: number;
}

/** Why a datagram was dropped, for the log; never the secret or the packet. */
export type DropReason = 'malformed' | 'unexpected' | 'bad-authenticator';

/**
 * Request/response over UDP for one client: a socket per address family, identifiers
 * allocated per destination (at most 256 in flight to one NAS; more wait), retransmissions
 * of the same bytes (same identifier, same authenticator), and responses accepted only when
 * they come from the destination, answer a pending identifier with an expected code, and
 * their authenticators verify. Everything else is dropped (reported to `onDrop`).
 */
export function createUdpExchange(options: {
  timeoutMs: number;
  retries: number;
  onDrop?: (reason: DropReason, from: string) => void;
}) {
  const sockets = new Map<'udp4' | 'udp6', Socket>();
  const pending = new Map<string, Pending>();
  const inUse = new Map<string, Set<number>>();
  const nextId = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  function socketFor(family: 'udp4' | 'udp6'): Socket {
    let socket = sockets.get(family);
    if (socket) return socket;
    socket = createSocket(family);
    socket.on('message', (data, rinfo) => receive(data, `${rinfo.address}|${rinfo.port}`));
    // A send error (host unreachable) is not fatal: the request times out like a lost datagram.
    socket.on('error', () => {});
    sockets.set(family, socket);
    return socket;
  }

  function receive(data: Buffer, from: string): void {
    const packet = decodePacket(data);
    const entry = packet ? pending.get(`${from}|${packet.identifier}`) : undefined;
    if (!packet || !entry?.codes.includes(packet.code)) {
      options.onDrop?.(packet ? 'unexpected' : 'malformed', from);
      return;
    }
    const check = verifyResponse(data, entry.requestAuthenticator, entry.secret);
    if (!check.authenticator || check.messageAuthenticator === 'invalid') {
      options.onDrop?.('bad-authenticator', from);
      return;
    }
    entry.settle({ response: packet, attempts: entry.attempts });
  }

  async function acquire(destination: string): Promise<number | null> {
    for (;;) {
      if (closed) return null;
      const used = inUse.get(destination) ?? new Set<number>();
      inUse.set(destination, used);
      if (used.size < 256) {
        let id = nextId.get(destination) ?? Math.floor(Math.random() * 256);
        while (used.has(id)) id = (id + 1) % 256;
        used.add(id);
        nextId.set(destination, (id + 1) % 256);
        return id;
      }
      await new Promise<void>((wake) => {
        const queue = waiting.get(destination) ?? [];
        queue.push(wake);
        waiting.set(destination, queue);
      });
    }
  }

  function release(destination: string, id: number): void {
    inUse.get(destination)?.delete(id);
    waiting.get(destination)?.shift()?.();
  }

  async function resolve(address: string): Promise<{ ip: string; family: 'udp4' | 'udp6' }> {
    const literal = isIP(address);
    if (literal) return { ip: address, family: literal === 6 ? 'udp6' : 'udp4' };
    const found = await lookup(address);
    return { ip: found.address, family: found.family === 6 ? 'udp6' : 'udp4' };
  }

  return {
    /** Sends one request and waits for its verified response, retrying; never longer than (retries + 1) × timeoutMs. */
    async exchange(input: {
      address: string;
      port: number;
      secret: string;
      code: number;
      responseCodes: readonly number[];
      attributes: readonly RawAttribute[];
    }): Promise<ExchangeOutcome> {
      let target: { ip: string; family: 'udp4' | 'udp6' };
      try {
        target = await resolve(input.address);
      } catch {
        // An address that does not resolve answers like a NAS that is down.
        return { response: null, attempts: 0 };
      }
      const { ip, family } = target;
      const destination = `${ip}|${input.port}`;
      const identifier = await acquire(destination);
      if (identifier === null) return { response: null, attempts: 0 };
      const key = `${destination}|${identifier}`;
      try {
        if (closed) return { response: null, attempts: 0 };
        const packet = encodeRequest({
          code: input.code,
          identifier,
          secret: input.secret,
          attributes: input.attributes,
          messageAuthenticator: true,
        });
        const socket = socketFor(family);
        return await new Promise<ExchangeOutcome>((settleOnce) => {
          let timer: NodeJS.Timeout | undefined;
          const entry: Pending = {
            requestAuthenticator: Buffer.from(packet.subarray(4, 20)),
            secret: input.secret,
            codes: input.responseCodes,
            attempts: 0,
            settle(outcome) {
              if (timer) {
                clearTimeout(timer);
                timers.delete(timer);
              }
              pending.delete(key);
              settleOnce(outcome);
            },
          };
          const attempt = () => {
            entry.attempts += 1;
            socket.send(packet, input.port, ip, () => {});
            timer = setTimeout(() => {
              if (timer) timers.delete(timer);
              if (entry.attempts <= options.retries && !closed) attempt();
              else entry.settle({ response: null, attempts: entry.attempts });
            }, options.timeoutMs);
            timers.add(timer);
          };
          pending.set(key, entry);
          attempt();
        });
      } finally {
        release(destination, identifier);
      }
    },

    /** Ends every pending exchange as unanswered and closes the sockets. */
    async close(): Promise<void> {
      closed = true;
      for (const entry of [...pending.values()]) entry.settle({ response: null, attempts: entry.attempts });
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const queue of waiting.values()) for (const wake of queue.splice(0)) wake();
      await Promise.all([...sockets.values()].map((socket) => new Promise<void>((done) => socket.close(() => done()))));
      sockets.clear();
    },
  };
}

/** A {@link createUdpExchange} instance. */
export type UdpExchange = ReturnType<typeof createUdpExchange>;
