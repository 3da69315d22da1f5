import { isHotspotKitError, normalizePhone } from '@hotspot-kit/core';
import { CliUsageError } from '../cli-errors.js';
import type { OptionSpec } from '../command.js';

export const configOption: OptionSpec = {
  type: 'string',
  short: 'c',
  value: '<file>',
  description: 'Gateway config file: JSON, one gateway or an array (priority order)',
  required: true,
};
export const gatewayOption: OptionSpec = {
  type: 'string',
  short: 'g',
  value: '<id>',
  description: 'Which gateway of the file (default: the only one)',
};
export const jsonOption: OptionSpec = { type: 'boolean', description: 'Print the result as JSON' };
export const countryOption: OptionSpec = {
  type: 'string',
  value: '<CC>',
  description: 'Country for numbers written without +, e.g. US',
};

/** E.164 from `--to`, or a usage error naming why the number cannot receive SMS. */
export function phoneArg(to: string, country: string | undefined, command: string): string {
  try {
    return normalizePhone(to, country ? { defaultCountry: country } : {});
  } catch (error) {
    if (isHotspotKitError(error) && error.code === 'INVALID_PHONE') {
      throw new CliUsageError(`--to ${to}: ${error.message}`, { command });
    }
    throw error;
  }
}
