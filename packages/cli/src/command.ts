import { parseArgs } from 'node:util';
import { CliUsageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help after the flag, e.g. `<file>`. */
  value?: string;
  description: string;
  required?: boolean;
}

/** A command: its options, help text and what it does. */
export interface Command {
  /** e.g. `sms send`. */
  name: string;
  summary: string;
  /** Paragraphs shown in `--help` under the usage line. */
  details?: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  run(values: Record<string, string | boolean | undefined>, io: CliIo): Promise<number>;
}

export type OptionValues = Record<string, string | boolean | undefined>;

/** `--help` text of a command. */
export function commandHelp(command: Command): string {
  const lines = [`hotspot-kit ${command.name}: ${command.summary}`, '', `Usage: hotspot-kit ${command.name} [options]`];
  if (command.details) lines.push('', command.details);
  lines.push('', 'Options:');
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, `${spec.description}${spec.required ? ' (required)' : ''}`] as const;
  });
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (command.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  lines.push('', 'Exit codes: 0 ok, 1 the operation failed, 2 bad usage or config (see docs/cli.md).');
  return `${lines.join('\n')}\n`;
}

/** Parses a command's arguments strictly; unknown options and missing values are usage errors. */
export function parseCommandArgs(command: Command, argv: string[]): OptionValues & { help?: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  }
  let values: OptionValues;
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (parsed.positionals.length > 0) {
      throw new CliUsageError(`unexpected argument '${parsed.positionals[0]}'`, { command: command.name });
    }
    values = parsed.values as OptionValues;
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    throw new CliUsageError(cleanParseError((error as Error).message), { command: command.name });
  }
  if (values.help) return values;
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required && (values[name] === undefined || values[name] === '')) {
      throw new CliUsageError(`--${name} is required`, { command: command.name });
    }
  }
  return values;
}

function cleanParseError(message: string): string {
  // parseArgs says e.g. "Unknown option '--foo'. To specify a positional argument starting with a '-', ..."
  return message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '');
}

/** A string option, or `undefined`. */
export function str(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A number option (finite, optionally an integer within bounds), or `undefined`. */
export function num(
  values: OptionValues,
  name: string,
  command: string,
  bounds: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const problem =
    raw.trim() === '' || !Number.isFinite(n)
      ? 'must be a number'
      : bounds.integer && !Number.isInteger(n)
        ? 'must be a whole number'
        : bounds.min !== undefined && n < bounds.min
          ? `must be at least ${bounds.min}`
          : bounds.max !== undefined && n > bounds.max
            ? `must be at most ${bounds.max}`
            : undefined;
  if (problem) throw new CliUsageError(`--${name} ${raw}: ${problem}`, { command });
  return n;
}
