import { createSmsRouter } from '@hotspot-kit/sms';
import { EXIT_CODES } from '../cli-errors.js';
import type { Command } from '../command.js';
import { str } from '../command.js';
import { formatRequest, toJson } from '../format.js';
import { loadGatewayFile, pickGateway } from '../gateway-file.js';
import { configOption, countryOption, gatewayOption, jsonOption, phoneArg } from './shared.js';

const NAME = 'sms preview';

/** `hotspot-kit sms preview`: the request a gateway would make for a message, without sending it. */
export const smsPreviewCommand: Command = {
  name: NAME,
  summary: 'show the HTTP request a gateway would make for a message (templates and Lua build() run; nothing is sent)',
  details:
    'Uses router.previewRequest: placeholders are filled, a Lua build(ctx) runs in its sandbox, and\n' +
    'the request is printed with secrets masked. Nothing is sent. Exit code 1 when building fails\n' +
    '(e.g. a Lua error, reported with its line number).',
  options: {
    config: configOption,
    gateway: gatewayOption,
    to: { type: 'string', short: 't', value: '<phone>', description: 'Recipient (default +14155552671)' },
    text: { type: 'string', short: 'm', value: '<message>', description: 'Message text (default: a sample)' },
    sender: { type: 'string', value: '<name>', description: 'Sender id for %LOCATION%' },
    country: countryOption,
    json: jsonOption,
  },
  examples: [
    'hotspot-kit sms preview --config lua-gateway.json --text "Your code is 123456"',
    'hotspot-kit sms preview -c gateways.json -g smsru --to +79161234567 -m "Привет & 100%"',
  ],
  async run(values, io) {
    const file = await loadGatewayFile(str(values, 'config') as string, io.cwd, NAME);
    const gatewayId = pickGateway(file, str(values, 'gateway'), NAME);
    const to = phoneArg(str(values, 'to') ?? '+14155552671', str(values, 'country'), NAME);
    const sender = str(values, 'sender');
    const router = createSmsRouter({ gateways: file.raw });
    try {
      const request = await router.previewRequest(gatewayId, {
        to,
        text: str(values, 'text') ?? 'Test message from hotspot-kit: "quotes" & 100% ✓',
        ...(sender ? { sender } : {}),
      });
      io.stdout(values.json ? toJson(request) : formatRequest(request));
      return EXIT_CODES.OK;
    } finally {
      await router.close();
    }
  },
};
