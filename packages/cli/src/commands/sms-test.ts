import { createSmsRouter } from '@hotspot-kit/sms';
import { EXIT_CODES } from '../cli-errors.js';
import type { Command } from '../command.js';
import { str } from '../command.js';
import { formatAttempt, formatRequest, toJson } from '../format.js';
import { loadGatewayFile, pickGateway } from '../gateway-file.js';
import { configOption, countryOption, gatewayOption, jsonOption, phoneArg } from './shared.js';

const NAME = 'sms test';

/** `hotspot-kit sms test`: a test SMS through one gateway, showing the request made and the answer. */
export const smsTestCommand: Command = {
  name: NAME,
  summary: 'send a test SMS through one gateway and show the request made (secrets masked) and the answer',
  details:
    'Uses router.testSend: only the chosen gateway, no failover, even when it is disabled in the file.\n' +
    'Exit code 0 when the gateway accepted the SMS, 1 when it refused, failed or timed out.',
  options: {
    config: configOption,
    gateway: gatewayOption,
    to: { type: 'string', short: 't', value: '<phone>', description: 'Recipient, e.g. +14155552671', required: true },
    text: { type: 'string', short: 'm', value: '<message>', description: 'Message text (default: a test message)' },
    country: countryOption,
    json: jsonOption,
  },
  examples: ['hotspot-kit sms test --config gateways.json --gateway infobip --to +14155552671'],
  async run(values, io) {
    const file = await loadGatewayFile(str(values, 'config') as string, io.cwd, NAME);
    const gatewayId = pickGateway(file, str(values, 'gateway'), NAME);
    const to = phoneArg(str(values, 'to') as string, str(values, 'country'), NAME);
    const router = createSmsRouter({ gateways: file.raw });
    try {
      const text = str(values, 'text');
      const result = await router.testSend(gatewayId, to, text !== undefined ? { text } : {});
      if (values.json) {
        io.stdout(toJson(result));
      } else {
        const lines = [formatAttempt(result), '', 'Request:', formatRequest(result.request).trimEnd()];
        if (result.response) {
          lines.push('', `Response: HTTP ${result.response.status}`, result.response.body);
        } else if (result.outcome === 'timeout') {
          lines.push('', 'Response: none within the timeout (the provider may still have sent it)');
        }
        if (result.providerError) lines.push('', `Provider error: ${JSON.stringify(result.providerError)}`);
        io.stdout(`${lines.join('\n')}\n`);
      }
      return result.outcome === 'sent' ? EXIT_CODES.OK : EXIT_CODES.FAILED;
    } finally {
      await router.close();
    }
  },
};
