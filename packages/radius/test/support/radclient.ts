import { spawn } from 'node:child_process';

/** What radclient received: the reply's code and attributes (values as radclient prints them). */
export interface RadclientReply {
  code: string | null;
  attributes: Record<string, string>;
  output: string;
}

/** Attributes as radclient reads them: strings quoted, numbers and names bare. */
function render(attributes: Record<string, string | number>): string {
  return Object.entries(attributes)
    .map(([name, value]) =>
      typeof value === 'string' && !/^0x/.test(value) ? `${name} = "${value}"` : `${name} = ${value}`,
    )
    .join('\n');
}

/**
 * Sends one request with radclient (the NAS in these tests) and parses what came back.
 * `kind` is `auth` or `acct`; radclient computes CHAP-Password and the authenticators itself.
 */
export function radclient(
  port: number,
  kind: 'auth' | 'acct',
  secret: string,
  attributes: Record<string, string | number>,
  timeoutSeconds = 5,
): Promise<RadclientReply> {
  return new Promise((resolve, reject) => {
    const child = spawn('radclient', [
      '-x',
      '-r',
      '1',
      '-t',
      String(timeoutSeconds),
      `127.0.0.1:${port}`,
      kind,
      secret,
    ]);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      const received = output.split('\n').findIndex((line) => line.startsWith('Received '));
      if (received < 0) return resolve({ code: null, attributes: {}, output });
      const code = /^Received (\S+)/.exec(output.split('\n')[received] as string)?.[1] ?? null;
      const attributes: Record<string, string> = {};
      for (const line of output.split('\n').slice(received + 1)) {
        const match = /^\t(\S+) = (.*)$/.exec(line);
        if (!match) break;
        attributes[match[1] as string] = (match[2] as string).replace(/^"(.*)"$/, '$1');
      }
      resolve({ code, attributes, output });
    });
    child.stdin.end(`${render(attributes)}\n`);
  });
}
