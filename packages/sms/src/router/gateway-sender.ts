import type { GatewayConfig } from '../config/gateway-config.js';
import { createCustomGateway, type LuaAccess } from '../gateways/custom-gateway.js';
import type { GatewayDriver, OutgoingSms } from '../gateways/gateway-driver.js';
import { createTwilioGateway } from '../gateways/twilio-gateway.js';
import type { HttpTransport } from '../http/http-transport.js';
import type { SecretMasker } from '../secrets/secret-masker.js';
import type { LoggedText } from './logged-text.js';
import { type AttemptResult, runAttempt } from './run-attempt.js';

/**
 * One configured gateway as the router uses it: its driver, and one attempt at a message
 * (never throws; see {@link runAttempt}). The failover sender goes over a list of these.
 */
export interface GatewaySender {
  readonly config: GatewayConfig;
  readonly driver: GatewayDriver;
  /** This gateway's masker, also hiding what the message's logged text hides (an OTP code). */
  masker(logged: LoggedText): SecretMasker;
  /** Tries `sms` once, within the gateway's `timeoutMs`; `logged` is its text as the log may show it. */
  send(sms: OutgoingSms, logged: LoggedText): Promise<AttemptResult>;
}

/** What every gateway sender shares. */
export interface GatewaySenderContext {
  lua: LuaAccess;
  transport: HttpTransport;
  clock: () => Date;
}

/** Makes the sender of a validated gateway config (Twilio or custom HTTP). */
export function createGatewaySender(config: GatewayConfig, ctx: GatewaySenderContext): GatewaySender {
  const driver = config.type === 'twilio' ? createTwilioGateway(config) : createCustomGateway(config, ctx.lua);
  const masker = ({ hide }: LoggedText) => (hide.length > 0 ? driver.masker.with(hide) : driver.masker);
  return {
    config,
    driver,
    masker,
    send: (sms, logged) => runAttempt(driver, sms, masker(logged), ctx.transport, ctx.clock),
  };
}
