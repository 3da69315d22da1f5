import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isSmsError, parseGatewayConfigs } from '@hotspot-kit/sms';
import { CliUsageError } from './cli-errors.js';

/** Gateway configs read from a JSON file: the raw JSON (for the router) and the validated list. */
export interface GatewayFile {
  path: string;
  /** As written in the file, always a list (a file may hold one gateway object). */
  raw: unknown[];
  ids: string[];
}

/** Reads a JSON file with a clear error for a missing file or bad JSON (line and column). */
export async function readJsonFile(
  file: string,
  cwd: string,
  what: string,
  command: string,
): Promise<{ path: string; value: unknown }> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new CliUsageError(`cannot read ${what} ${file}: ${reason}`, { command });
  }
  try {
    return { path, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    throw new CliUsageError(`${what} ${file} is not valid JSON: ${describeJsonError(text, error as Error)}`, {
      command,
    });
  }
}

function describeJsonError(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  const message = error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  if (!position?.[1]) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset).split('\n');
  return `${message} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

/**
 * Reads and validates a gateway config file: one gateway object or an array of them, in the
 * form `createSmsRouter` takes. Every problem is reported with the field's path (for a file
 * holding one object, paths start at the object: `url`, not `[0].url`).
 */
export async function loadGatewayFile(file: string, cwd: string, command: string): Promise<GatewayFile> {
  const { path, value } = await readJsonFile(file, cwd, 'gateway config file', command);
  const single = !Array.isArray(value);
  if (single && (value === null || typeof value !== 'object')) {
    throw new CliUsageError(`gateway config file ${file}: must hold a gateway object or an array of them`, { command });
  }
  const raw = single ? [value] : (value as unknown[]);
  if (raw.length === 0) throw new CliUsageError(`gateway config file ${file}: the array is empty`, { command });
  try {
    const parsed = parseGatewayConfigs(raw);
    return { path, raw, ids: parsed.map((g) => g.id) };
  } catch (error) {
    if (isSmsError(error) && error.code === 'INVALID_GATEWAY_CONFIG') {
      const issues = error.issues.map((issue) => ({
        path: single ? issue.path.replace(/^\[0\]\.?/, '') || '(root)' : issue.path,
        message: issue.message,
      }));
      throw new CliUsageError(`invalid gateway config in ${file}`, { issues, command });
    }
    throw error;
  }
}

/** The gateway a command works on: `--gateway`, or the only one in the file. */
export function pickGateway(file: GatewayFile, requested: string | undefined, command: string): string {
  if (requested !== undefined) {
    if (!file.ids.includes(requested)) {
      throw new CliUsageError(`--gateway ${requested}: no such gateway in the file (it has: ${file.ids.join(', ')})`, {
        command,
      });
    }
    return requested;
  }
  if (file.ids.length === 1) return file.ids[0] as string;
  throw new CliUsageError(
    `the file has ${file.ids.length} gateways; say which with --gateway (${file.ids.join(', ')})`,
    {
      command,
    },
  );
}
