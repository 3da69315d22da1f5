import { isHotspotKitError } from '@hotspot-kit/core';
import { isSmsError } from '@hotspot-kit/sms';
import packageJson from '../package.json' with { type: 'json' };
import { CliFailure, CliUsageError, EXIT_CODES } from './cli-errors.js';
import { type CliIo, processIo } from './cli-io.js';
import { type Command, commandHelp, parseCommandArgs } from './command.js';
import { dbMigrateCommand } from './commands/db-migrate.js';
import { smsBalanceCommand } from './commands/sms-balance.js';
import { smsPreviewCommand } from './commands/sms-preview.js';
import { smsSendCommand } from './commands/sms-send.js';
import { smsTestCommand } from './commands/sms-test.js';
import { vouchersGenerateCommand } from './commands/vouchers-generate.js';

/** Every command, by its words. */
export const COMMANDS: readonly Command[] = [
  smsSendCommand,
  smsTestCommand,
  smsBalanceCommand,
  smsPreviewCommand,
  vouchersGenerateCommand,
  dbMigrateCommand,
];

const SMS_CONFIG_CODES = new Set(['INVALID_GATEWAY_CONFIG', 'UNKNOWN_GATEWAY', 'NO_GATEWAY']);

function mainHelp(group?: string): string {
  const shown = COMMANDS.filter((c) => group === undefined || c.name.startsWith(`${group} `));
  const width = Math.max(...shown.map((c) => c.name.length)) + 2;
  const lines = [
    `hotspot-kit ${packageJson.version}: operator CLI for hotspot-kit (SMS gateways, vouchers, database)`,
    '',
    `Usage: hotspot-kit ${group ?? '<command>'}${group ? ' <command>' : ''} [options]`,
    '',
    'Commands:',
    ...shown.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    `Run 'hotspot-kit <command> --help' for a command's options.`,
    'Exit codes: 0 ok, 1 the operation failed (e.g. no gateway took the SMS), 2 bad usage or config.',
  ];
  return `${lines.join('\n')}\n`;
}

function report(io: CliIo, where: string | undefined, error: Error & { issues?: { path: string; message: string }[] }) {
  const lines = [`hotspot-kit${where ? ` ${where}` : ''}: ${error.message}`];
  for (const issue of error.issues ?? []) lines.push(`  - ${issue.path}: ${issue.message}`);
  io.stderr(`${lines.join('\n')}\n`);
}

/**
 * Runs the `hotspot-kit` command line and resolves to its exit code (see {@link EXIT_CODES});
 * it never calls `process.exit` and never throws, so tests and scripts can embed it.
 *
 * @example
 * ```ts
 * let out = ''
 * const code = await runCli(['sms', 'preview', '--config', 'gateways.json'], { stdout: (t) => { out += t } })
 * ```
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli: CliIo = { ...processIo(), ...io };
  const args = [...argv];
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    if (args[0] === 'help' && args[1]) return runCli([...args.slice(1), '--help'], cli);
    (args.length === 0 ? cli.stderr : cli.stdout)(mainHelp());
    return args.length === 0 ? EXIT_CODES.USAGE : EXIT_CODES.OK;
  }
  if (args[0] === '--version' || args[0] === '-v') {
    cli.stdout(`${packageJson.version}\n`);
    return EXIT_CODES.OK;
  }
  const group = args[0] as string;
  const command = COMMANDS.find((c) => c.name === `${group} ${args[1] ?? ''}`);
  if (!command) {
    const isGroup = COMMANDS.some((c) => c.name.startsWith(`${group} `));
    if (isGroup && (args[1] === undefined || args[1] === '--help' || args[1] === '-h')) {
      (args[1] === undefined ? cli.stderr : cli.stdout)(mainHelp(group));
      return args[1] === undefined ? EXIT_CODES.USAGE : EXIT_CODES.OK;
    }
    const what = isGroup ? `unknown command '${group} ${args[1]}'` : `unknown command '${group}'`;
    cli.stderr(`hotspot-kit: ${what}\n\n${mainHelp(isGroup ? group : undefined)}`);
    return EXIT_CODES.USAGE;
  }

  try {
    const values = parseCommandArgs(command, args.slice(2));
    if (values.help) {
      cli.stdout(commandHelp(command));
      return EXIT_CODES.OK;
    }
    return await command.run(values, cli);
  } catch (error) {
    if (error instanceof CliUsageError) {
      report(cli, command.name, error);
      cli.stderr(`Run 'hotspot-kit ${command.name} --help' for usage.\n`);
      return EXIT_CODES.USAGE;
    }
    if (isSmsError(error) && SMS_CONFIG_CODES.has(error.code)) {
      report(cli, command.name, error);
      return EXIT_CODES.USAGE;
    }
    if (isHotspotKitError(error) && (error.code === 'INVALID_INPUT' || error.code === 'INVALID_CONFIG')) {
      report(cli, command.name, error);
      return EXIT_CODES.USAGE;
    }
    if (error instanceof CliFailure || isSmsError(error) || isHotspotKitError(error)) {
      report(cli, command.name, error as Error);
      return EXIT_CODES.FAILED;
    }
    cli.stderr(`hotspot-kit ${command.name}: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_CODES.FAILED;
  }
}
