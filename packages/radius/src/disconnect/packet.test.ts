import { describe, expect, it } from 'vitest';
import { decodePacket, encodeRequest, encodeResponse, verifyRequest, verifyResponse } from './packet.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// RFC 2865 §7.1: "nemo" logs in with "arctangent"; the shared secret is "xyzzy5461".
const RFC2865_REQUEST = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be
  70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`);
const RFC2865_ACCEPT = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00
  00 00 0e 06 c0 a8 01 03`);

// RFC 5176 as deployed: the Disconnect-Request of tcpdump's RADIUS-RFC5176 capture (secret
// "testing123"), with only a Message-Authenticator. CoA-Requests are signed the same way
// (test/disconnector.test.ts has a real FreeRADIUS accept ours).
const CAPTURED_DISCONNECT =
  hex(`28 01 00 26 e1 79 2d 2b 4a b3 49 f1 a4 c0 fc c7 33 d0 91 c1 50 12 58 51 3d 66 28 47 e5 f8
  73 4a 30 db da c8 e4 af`);

describe('the RFCs’ own examples', () => {
  it('RFC 2865 §7.1: the Access-Accept is encoded byte for byte and its Response Authenticator verifies', () => {
    const request = decodePacket(RFC2865_REQUEST);
    expect(request?.attributes.map((a) => a.type)).toEqual([1, 2, 4, 5]);
    expect(Buffer.from(request?.attributes[0]?.value ?? []).toString()).toBe('nemo');
    const accept = encodeResponse({
      code: 2,
      identifier: 0,
      requestAuthenticator: RFC2865_REQUEST.subarray(4, 20),
      secret: 'xyzzy5461',
      attributes: [
        { type: 6, value: hex('00000001') },
        { type: 15, value: hex('00000000') },
        { type: 14, value: hex('c0a80103') },
      ],
      messageAuthenticator: false,
    });
    expect(accept.toString('hex')).toBe(RFC2865_ACCEPT.toString('hex'));
    expect(verifyResponse(RFC2865_ACCEPT, RFC2865_REQUEST.subarray(4, 20), 'xyzzy5461')).toEqual({
      authenticator: true,
      messageAuthenticator: 'absent',
    });
    expect(verifyResponse(RFC2865_ACCEPT, RFC2865_REQUEST.subarray(4, 20), 'xyzzy546')).toMatchObject({
      authenticator: false,
    });
  });

  it('RFC 5176 §3.4: a Disconnect-Request with Message-Authenticator is encoded byte for byte', () => {
    const packet = encodeRequest({
      code: 40,
      identifier: 1,
      secret: 'testing123',
      attributes: [],
      messageAuthenticator: true,
    });
    expect(packet.toString('hex')).toBe(CAPTURED_DISCONNECT.toString('hex'));
    expect(verifyRequest(CAPTURED_DISCONNECT, 'testing123')).toEqual({
      authenticator: true,
      messageAuthenticator: 'valid',
    });
  });

  it('one changed byte or the wrong secret fails verification', () => {
    const tampered = Buffer.from(CAPTURED_DISCONNECT);
    tampered[1] = 2;
    expect(verifyRequest(tampered, 'testing123')).toEqual({ authenticator: false, messageAuthenticator: 'invalid' });
    expect(verifyRequest(CAPTURED_DISCONNECT, 'testing124')).toEqual({
      authenticator: false,
      messageAuthenticator: 'invalid',
    });
  });
});

describe('encoding and decoding', () => {
  it('vendor-specific attributes round-trip', () => {
    const packet = encodeRequest({
      code: 43,
      identifier: 7,
      secret: 's',
      attributes: [
        { type: 44, value: Buffer.from('abc') },
        { type: 8, vendorId: 14988, value: Buffer.from('1M/2M') },
      ],
      messageAuthenticator: true,
    });
    const decoded = decodePacket(packet);
    expect(decoded?.attributes.map((a) => [a.type, a.vendorId, Buffer.from(a.value).toString()])).toEqual([
      [80, undefined, expect.any(String)],
      [44, undefined, 'abc'],
      [8, 14988, '1M/2M'],
    ]);
  });

  it('malformed datagrams decode to null, never throw', () => {
    for (const bytes of [
      hex('28'),
      hex('2801ffff' + '00'.repeat(16)),
      hex(`280100 17${'00'.repeat(16)}0100`),
      hex(`28010016${'00'.repeat(16)}0101`),
    ]) {
      expect(decodePacket(bytes)).toBeNull();
    }
  });

  it('a response signed over zeros (as FreeRADIUS 3.2 signs CoA replies) or over the request authenticator verifies', () => {
    const request = encodeRequest({ code: 40, identifier: 3, secret: 's', attributes: [], messageAuthenticator: true });
    const ack = encodeResponse({
      code: 41,
      identifier: 3,
      requestAuthenticator: request.subarray(4, 20),
      secret: 's',
      attributes: [],
      messageAuthenticator: true,
    });
    expect(verifyResponse(ack, request.subarray(4, 20), 's')).toEqual({
      authenticator: true,
      messageAuthenticator: 'valid',
    });
    expect(verifyResponse(ack, Buffer.alloc(16, 1), 's')).toMatchObject({ authenticator: false });
  });
});
