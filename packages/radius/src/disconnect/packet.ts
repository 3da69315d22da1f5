import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** RADIUS packet codes the kit sends or reads (RFC 2865, 2866, 5176). */
export const RADIUS_CODES = {
  'Access-Request': 1,
  'Access-Accept': 2,
  'Access-Reject': 3,
  'Accounting-Request': 4,
  'Accounting-Response': 5,
  'Disconnect-Request': 40,
  'Disconnect-ACK': 41,
  'Disconnect-NAK': 42,
  'CoA-Request': 43,
  'CoA-ACK': 44,
  'CoA-NAK': 45,
} as const;

/** One attribute on the wire: a standard one, or (`vendorId` set) a vendor-specific one. */
export interface RawAttribute {
  type: number;
  vendorId?: number;
  value: Uint8Array;
}

/** A decoded packet; `attributes` in wire order, vendor-specific ones unpacked. */
export interface RadiusPacket {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: RawAttribute[];
}

const HEADER = 20;
const MAX_PACKET = 4096;
const MESSAGE_AUTHENTICATOR = 80;
const VENDOR_SPECIFIC = 26;

// Requests whose authenticator is an MD5 over the packet (RFC 2866 §3, RFC 5176 §2.3), not random.
const ACCOUNTING_STYLE = new Set<number>([4, 40, 43]);

function encodeAttribute(attribute: RawAttribute): Buffer {
  const value = Buffer.from(attribute.value);
  if (attribute.vendorId === undefined) {
    if (value.length > 253) throw new RangeError(`attribute ${attribute.type} is longer than 253 octets`);
    return Buffer.concat([Buffer.from([attribute.type, value.length + 2]), value]);
  }
  if (value.length > 247) throw new RangeError(`vendor attribute ${attribute.type} is longer than 247 octets`);
  const out = Buffer.alloc(8 + value.length);
  out[0] = VENDOR_SPECIFIC;
  out[1] = out.length;
  out.writeUInt32BE(attribute.vendorId, 2);
  out[6] = attribute.type;
  out[7] = value.length + 2;
  value.copy(out, 8);
  return out;
}

function header(code: number, identifier: number, authenticator: Buffer, body: Buffer): Buffer {
  const packet = Buffer.concat([Buffer.alloc(4), authenticator, body]);
  if (packet.length > MAX_PACKET) throw new RangeError(`packet of ${packet.length} octets exceeds ${MAX_PACKET}`);
  packet[0] = code;
  packet[1] = identifier;
  packet.writeUInt16BE(packet.length, 2);
  return packet;
}

const md5 = (...parts: (Buffer | string)[]): Buffer => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const hmacMd5 = (secret: string, data: Buffer): Buffer => createHmac('md5', secret).update(data).digest();

// With Message-Authenticator first (BlastRADIUS guidance), its value sits at octets 22..37.
const MA_AT = HEADER + 2;

/**
 * Encodes an Accounting-Request, Disconnect-Request or CoA-Request. With
 * `messageAuthenticator`, the attribute goes first and is computed (HMAC-MD5 over the
 * packet with a zero authenticator) before the Request Authenticator (MD5 over the whole
 * packet and the secret), as RFC 5176 §3.4 orders them.
 */
export function encodeRequest(input: {
  code: number;
  identifier: number;
  secret: string;
  attributes: readonly RawAttribute[];
  messageAuthenticator: boolean;
}): Buffer {
  if (!ACCOUNTING_STYLE.has(input.code)) throw new RangeError(`code ${input.code} is not an accounting-style request`);
  const attributes = input.messageAuthenticator
    ? [{ type: MESSAGE_AUTHENTICATOR, value: new Uint8Array(16) }, ...input.attributes]
    : input.attributes;
  const packet = header(input.code, input.identifier, Buffer.alloc(16), Buffer.concat(attributes.map(encodeAttribute)));
  if (input.messageAuthenticator) hmacMd5(input.secret, packet).copy(packet, MA_AT);
  md5(packet, input.secret).copy(packet, 4);
  return packet;
}

/**
 * Encodes a response (ACK, NAK, Accounting-Response, ...) to a request with
 * `requestAuthenticator`: Message-Authenticator (first, when asked) over the packet with the
 * request's authenticator, then the Response Authenticator (RFC 2865 §3, RFC 3579 §3.2).
 */
export function encodeResponse(input: {
  code: number;
  identifier: number;
  requestAuthenticator: Uint8Array;
  secret: string;
  attributes: readonly RawAttribute[];
  messageAuthenticator: boolean;
}): Buffer {
  const attributes = input.messageAuthenticator
    ? [{ type: MESSAGE_AUTHENTICATOR, value: new Uint8Array(16) }, ...input.attributes]
    : input.attributes;
  const request = Buffer.from(input.requestAuthenticator);
  const packet = header(input.code, input.identifier, request, Buffer.concat(attributes.map(encodeAttribute)));
  if (input.messageAuthenticator) hmacMd5(input.secret, packet).copy(packet, MA_AT);
  md5(packet, input.secret).copy(packet, 4);
  return packet;
}

/** Decodes a packet, or `null` when its lengths do not add up (a malformed datagram). */
export function decodePacket(data: Uint8Array): RadiusPacket | null {
  const packet = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (packet.length < HEADER || packet.length > MAX_PACKET) return null;
  const length = packet.readUInt16BE(2);
  if (length < HEADER || length > packet.length) return null;
  const attributes: RawAttribute[] = [];
  for (let at = HEADER; at < length; ) {
    const type = packet[at] as number;
    const size = packet[at + 1] ?? 0;
    if (size < 2 || at + size > length) return null;
    const value = packet.subarray(at + 2, at + size);
    if (type === VENDOR_SPECIFIC && value.length >= 6 && (value[5] ?? 0) >= 2 && 4 + (value[5] ?? 0) <= value.length) {
      attributes.push({
        type: value[4] as number,
        vendorId: value.readUInt32BE(0),
        value: value.subarray(6, 4 + (value[5] as number)),
      });
    } else attributes.push({ type, value });
    at += size;
  }
  return {
    code: packet[0] as number,
    identifier: packet[1] as number,
    authenticator: packet.subarray(4, 20),
    attributes,
  };
}

/** Where the Message-Authenticator value is, or -1 when the packet has none (or it is malformed). */
function messageAuthenticatorAt(packet: Buffer, length: number): number {
  for (let at = HEADER; at + 2 <= length; at += Math.max(2, packet[at + 1] ?? 2)) {
    if (packet[at] === MESSAGE_AUTHENTICATOR) return packet[at + 1] === 18 ? at + 2 : -1;
  }
  return -1;
}

/** Whether each authenticator of a packet verifies; `messageAuthenticator` is `'absent'` without one. */
export interface Verification {
  authenticator: boolean;
  messageAuthenticator: 'valid' | 'invalid' | 'absent';
}

function verify(data: Uint8Array, secret: string, authenticatorFields: readonly Buffer[]): Verification {
  const packet = Buffer.from(data);
  const length = packet.length >= HEADER ? packet.readUInt16BE(2) : 0;
  if (length < HEADER || length > packet.length) return { authenticator: false, messageAuthenticator: 'absent' };
  const body = packet.subarray(0, length);
  const got = Buffer.from(body.subarray(4, 20));
  const signed = Buffer.from(body);
  (authenticatorFields[0] as Buffer).copy(signed, 4);
  const authenticator = timingSafeEqual(md5(signed, secret), got);
  const at = messageAuthenticatorAt(body, length);
  if (at < 0) return { authenticator, messageAuthenticator: 'absent' };
  const mac = Buffer.from(body.subarray(at, at + 16));
  signed.fill(0, at, at + 16);
  const valid = authenticatorFields.some((field) => {
    field.copy(signed, 4);
    return timingSafeEqual(hmacMd5(secret, signed), mac);
  });
  return { authenticator, messageAuthenticator: valid ? 'valid' : 'invalid' };
}

/** Verifies an Accounting-Request, Disconnect-Request or CoA-Request as its receiver (the NAS) does. */
export function verifyRequest(data: Uint8Array, secret: string): Verification {
  return verify(data, secret, [Buffer.alloc(16)]);
}

/**
 * Verifies a response to the request whose authenticator was `requestAuthenticator`. Its
 * Message-Authenticator is taken over the packet with the request's authenticator (RFC 3579
 * §3.2, as radclient checks it) or with zeros there (as FreeRADIUS 3.2 signs Disconnect and
 * CoA replies); both are keyed with the secret, and the Response Authenticator is checked
 * strictly either way.
 */
export function verifyResponse(data: Uint8Array, requestAuthenticator: Uint8Array, secret: string): Verification {
  return verify(data, secret, [Buffer.from(requestAuthenticator), Buffer.alloc(16)]);
}
