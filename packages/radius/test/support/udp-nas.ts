import { createHash, createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';

// A NAS's RFC 5176 side, written here from the RFCs and independently of src/ (no shared
// code), so that it checks the disconnector rather than agreeing with it.

/** How the NAS answers the next request. */
export type NasBehaviour =
  | { kind: 'ack' }
  | { kind: 'nak'; errorCause?: number }
  | { kind: 'silence' }
  | { kind: 'forged-then-ack' };

/** One datagram as the NAS saw it. */
export interface SeenRequest {
  code: number;
  identifier: number;
  bytes: Buffer;
  requestAuthenticatorValid: boolean;
  messageAuthenticator: 'valid' | 'invalid' | 'absent';
  messageAuthenticatorFirst: boolean;
  /** Standard attributes by type (vendor-specific ones as `26:<vendor>:<type>`), values as buffers. */
  attributes: Map<string, Buffer[]>;
}

const md5 = (...parts: (Buffer | string)[]) => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

function parseAttributes(packet: Buffer): { attributes: Map<string, Buffer[]>; maAt: number; first: boolean } {
  const attributes = new Map<string, Buffer[]>();
  let maAt = -1;
  let first = false;
  for (let at = 20; at + 2 <= packet.length; ) {
    const type = packet[at] as number;
    const length = packet[at + 1] as number;
    const value = packet.subarray(at + 2, at + length);
    let key = String(type);
    if (type === 80) {
      maAt = at + 2;
      first = at === 20;
    }
    if (type === 26) key = `26:${value.readUInt32BE(0)}:${value[4]}`;
    const list = attributes.get(key) ?? [];
    list.push(type === 26 ? value.subarray(6) : value);
    attributes.set(key, list);
    at += length;
  }
  return { attributes, maAt, first };
}

/** Checks a Disconnect/CoA-Request the way RFC 5176 §2.3 and §3.4 say a NAS must. */
export function checkRequest(bytes: Buffer, secret: string): SeenRequest {
  const { attributes, maAt, first } = parseAttributes(bytes);
  const zeroed = Buffer.from(bytes);
  zeroed.fill(0, 4, 20);
  const requestAuthenticatorValid = md5(zeroed, secret).equals(bytes.subarray(4, 20));
  let messageAuthenticator: SeenRequest['messageAuthenticator'] = 'absent';
  if (maAt >= 0) {
    zeroed.fill(0, maAt, maAt + 16);
    const expected = createHmac('md5', secret).update(zeroed).digest();
    messageAuthenticator = expected.equals(bytes.subarray(maAt, maAt + 16)) ? 'valid' : 'invalid';
  }
  return {
    code: bytes[0] as number,
    identifier: bytes[1] as number,
    bytes,
    requestAuthenticatorValid,
    messageAuthenticator,
    messageAuthenticatorFirst: first,
    attributes,
  };
}

/** A response to `request`: Message-Authenticator first, then the Response Authenticator. */
export function respond(request: Buffer, code: number, secret: string, extra: Buffer[] = []): Buffer {
  const body = Buffer.concat([Buffer.from([80, 18]), Buffer.alloc(16), ...extra]);
  const packet = Buffer.concat([Buffer.from([code, request[1] as number, 0, 0]), request.subarray(4, 20), body]);
  packet.writeUInt16BE(packet.length, 2);
  createHmac('md5', secret).update(packet).digest().copy(packet, 22);
  md5(packet, secret).copy(packet, 4);
  return packet;
}

/** A loopback NAS on a free port: records every request and answers as `next` says. */
export async function startTestNas(secret: string) {
  const socket = createSocket('udp4');
  const seen: SeenRequest[] = [];
  const plan: NasBehaviour[] = [];
  let fallback: NasBehaviour = { kind: 'ack' };
  socket.on('message', (bytes, from) => {
    const request = checkRequest(Buffer.from(bytes), secret);
    seen.push(request);
    const behaviour = plan.shift() ?? fallback;
    const ackCode = request.code === 40 ? 41 : 44;
    const send = (packet: Buffer) => socket.send(packet, from.port, from.address);
    if (behaviour.kind === 'silence') return;
    if (behaviour.kind === 'nak') {
      const cause = behaviour.errorCause === undefined ? [] : [Buffer.from([101, 6, 0, 0, 0, 0])];
      cause[0]?.writeUInt32BE(behaviour.errorCause as number, 2);
      return send(respond(request.bytes, ackCode + 1, secret, cause));
    }
    if (behaviour.kind === 'forged-then-ack') send(respond(request.bytes, ackCode, `${secret}-wrong`));
    send(respond(request.bytes, ackCode, secret));
  });
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', () => done()));
  return {
    port: socket.address().port,
    seen,
    /** Answers the next requests in this order, then as `always`. */
    script(...behaviours: NasBehaviour[]) {
      plan.push(...behaviours);
    },
    always(behaviour: NasBehaviour) {
      fallback = behaviour;
    },
    close: () => new Promise<void>((done) => socket.close(() => done())),
  };
}
