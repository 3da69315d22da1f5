import { SmsError } from '../errors.js';
import { snippet } from '../gateways/gateway-driver.js';
import { describeNetworkError, type HttpTransport } from '../http/http-transport.js';
import type { GatewaySender } from './gateway-sender.js';
import { poolKey } from './run-attempt.js';
import type { BalanceResult } from './sms-router.js';

/**
 * Reads one gateway's balance within its `timeoutMs`. Every failure is an {@link SmsError}
 * `BALANCE_UNAVAILABLE` saying why, with the gateway's secrets masked.
 */
export async function checkBalance(
  sender: GatewaySender,
  transport: HttpTransport,
  clock: () => Date,
): Promise<BalanceResult> {
  const { driver, config } = sender;
  const gatewayId = config.id;
  const request = driver.balanceRequest();
  if (!request) {
    throw new SmsError(
      'BALANCE_UNAVAILABLE',
      `Gateway "${gatewayId}" has no balance settings (add balance: { url, jsonPath? })`,
      { gatewayId },
    );
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  try {
    const response = await transport.send(request, {
      poolKey: poolKey(driver),
      verifySsl: config.type === 'custom' ? config.verifySsl : true,
      signal: controller.signal,
    });
    const reading = await driver.readBalance(response);
    const result: BalanceResult = {
      gatewayId,
      amount: reading.amount,
      raw: driver.masker.mask(snippet(response.body, 2000)),
      checkedAt: clock(),
    };
    if (reading.currency !== undefined) result.currency = reading.currency;
    return result;
  } catch (error) {
    if (error instanceof SmsError) {
      if (error.code === 'BALANCE_UNAVAILABLE') throw error;
      throw new SmsError('BALANCE_UNAVAILABLE', driver.masker.mask(error.message), { gatewayId, cause: error });
    }
    const reason = controller.signal.aborted
      ? `no answer within ${config.timeoutMs} ms`
      : driver.masker.mask(describeNetworkError(error));
    throw new SmsError('BALANCE_UNAVAILABLE', `Balance of gateway "${gatewayId}" unavailable: ${reason}`, {
      gatewayId,
    });
  } finally {
    clearTimeout(timer);
  }
}
