// The sms tests' names for the loopback provider stub that `@hotspot-kit/sms/testing` ships (the
// CLI tests use it too), plus a TLS certificate for the HTTPS cases.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export {
  type ProviderStub as StubServer,
  type ProviderStubHandler as StubHandler,
  type RecordedRequest,
  refusedPort,
  replyJson as json,
  startProviderStub as startStub,
} from '@hotspot-kit/sms/testing';

export interface TestCert {
  key: string;
  cert: string;
}

let cached: TestCert | undefined;

/**
 * A self-signed certificate for 127.0.0.1: made fresh with `openssl` when the machine has it,
 * else the long-lived one committed under `test/fixtures/`.
 */
export function testCert(): TestCert {
  if (cached) return cached;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'hotspot-kit-sms-cert-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    cached = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    const fixtures = new URL('../fixtures/', import.meta.url);
    cached = {
      key: readFileSync(new URL('test-key.pem', fixtures), 'utf8'),
      cert: readFileSync(new URL('test-cert.pem', fixtures), 'utf8'),
    };
  }
  return cached;
}
