import { createSmsRouter, isSmsError } from '@hotspot-kit/sms';
import { CliUsageError, EXIT_CODES } from '../cli-errors.js';
import type { Command } from '../command.js';
import { str } from '../command.js';
import { toJson } from '../format.js';
import { loadGatewayFile, pickGateway } from '../gateway-file.js';
import { configOption, jsonOption } from './shared.js';

const NAME = 'sms balance';

/** `hotspot-kit sms balance`: reads the account balance of one gateway, or of every gateway that can tell. */
export const smsBalanceCommand: Command = {
  name: NAME,
  summary: 'read the account balance of a gateway (Twilio, or a custom gateway with balance settings)',
  details:
    'Without --gateway, every gateway in the file that has balance settings (Twilio always has) is\n' +
    'checked. Exit code 1 when a balance could not be read; with --below, also when one is under it.',
  options: {
    config: configOption,
    gateway: { type: 'string', short: 'g', value: '<id>', description: 'Only this gateway' },
    below: {
      type: 'string',
      value: '<amount>',
      description: 'Exit 1 when a balance is below this amount (for cron jobs)',
    },
    json: jsonOption,
  },
  examples: [
    'hotspot-kit sms balance --config gateways.json',
    'hotspot-kit sms balance -c gateways.json -g twilio --below 5 || echo "top up!"',
  ],
  async run(values, io) {
    const file = await loadGatewayFile(str(values, 'config') as string, io.cwd, NAME);
    const requested = str(values, 'gateway');
    const belowRaw = str(values, 'below');
    const below = belowRaw === undefined ? undefined : Number(belowRaw);
    if (below !== undefined && !Number.isFinite(below)) {
      throw new CliUsageError(`--below ${belowRaw}: must be a number`, { command: NAME });
    }
    const ids = requested !== undefined ? [pickGateway(file, requested, NAME)] : balanceCapable(file.raw);
    if (ids.length === 0) {
      throw new CliUsageError(
        'no gateway in the file can report a balance (Twilio gateways can; custom ones need "balance": { "url": ... })',
        { command: NAME },
      );
    }
    const router = createSmsRouter({ gateways: file.raw });
    const results: { gatewayId: string; amount?: number; currency?: string; error?: string; low?: boolean }[] = [];
    try {
      for (const id of ids) {
        try {
          const balance = await router.checkBalance(id);
          results.push({
            gatewayId: id,
            amount: balance.amount,
            ...(balance.currency ? { currency: balance.currency } : {}),
            ...(below !== undefined ? { low: balance.amount < below } : {}),
          });
        } catch (error) {
          if (!isSmsError(error)) throw error;
          results.push({ gatewayId: id, error: error.message });
        }
      }
    } finally {
      await router.close();
    }
    if (values.json) io.stdout(toJson(results));
    else {
      for (const r of results) {
        io.stdout(
          r.error !== undefined
            ? `${r.gatewayId}: balance unavailable: ${r.error}\n`
            : `${r.gatewayId}: ${r.amount}${r.currency ? ` ${r.currency}` : ''}${r.low ? `  LOW (below ${below})` : ''}\n`,
        );
      }
    }
    return results.some((r) => r.error !== undefined || r.low) ? EXIT_CODES.FAILED : EXIT_CODES.OK;
  },
};

function balanceCapable(raw: unknown[]): string[] {
  return raw
    .map((g) => g as { id: string; type?: string; balance?: unknown })
    .filter((g) => g.type === 'twilio' || g.balance !== undefined)
    .map((g) => g.id);
}
