import { createSmsRouter } from '@hotspot-kit/sms';
import { EXIT_CODES } from '../cli-errors.js';
import type { Command } from '../command.js';
import { str } from '../command.js';
import { formatSend, toJson } from '../format.js';
import { loadGatewayFile, pickGateway } from '../gateway-file.js';
import { configOption, countryOption, jsonOption, phoneArg } from './shared.js';

const NAME = 'sms send';

/** `hotspot-kit sms send`: one SMS through the file's gateways, with failover, as the router sends it. */
export const smsSendCommand: Command = {
  name: NAME,
  summary: 'send one SMS through the gateways of a config file (failover in file order)',
  details:
    'Sends through every enabled gateway in the file, in order, until one accepts (as the router\n' +
    'does in an app). With --gateway only that gateway is used, even when it is disabled in the file.\n' +
    'Exit code 0 when a gateway accepted the SMS, 1 when all refused or failed.',
  options: {
    config: configOption,
    to: { type: 'string', short: 't', value: '<phone>', description: 'Recipient, e.g. +14155552671', required: true },
    text: { type: 'string', short: 'm', value: '<message>', description: 'Message text', required: true },
    gateway: { type: 'string', short: 'g', value: '<id>', description: 'Send through this gateway only' },
    location: {
      type: 'string',
      value: '<id>',
      description: 'Location id (gateways limited to other locations are skipped)',
    },
    sender: { type: 'string', value: '<name>', description: 'Sender id for %LOCATION%' },
    country: countryOption,
    json: jsonOption,
  },
  examples: [
    'hotspot-kit sms send --config gateways.json --to +14155552671 --text "Hello from the hotspot"',
    'hotspot-kit sms send -c gateways.json -g backup --to +491701234567 -m "Test" --json',
  ],
  async run(values, io) {
    const file = await loadGatewayFile(str(values, 'config') as string, io.cwd, NAME);
    const to = phoneArg(str(values, 'to') as string, str(values, 'country'), NAME);
    const only = str(values, 'gateway');
    let gateways = file.raw;
    if (only !== undefined) {
      pickGateway(file, only, NAME);
      gateways = file.raw
        .filter((g) => (g as { id?: unknown }).id === only)
        .map((g) => ({ ...(g as object), enabled: true }));
    }
    const router = createSmsRouter({ gateways });
    try {
      const location = str(values, 'location');
      const sender = str(values, 'sender');
      const entry = await router.send({
        to,
        text: str(values, 'text') as string,
        purpose: 'test',
        ...(location ? { locationId: location } : {}),
        ...(sender ? { sender } : {}),
      });
      io.stdout(values.json ? toJson(entry) : formatSend(entry));
      return entry.status === 'sent' || entry.status === 'delivered' ? EXIT_CODES.OK : EXIT_CODES.FAILED;
    } finally {
      await router.close();
    }
  },
};
