// @hotspot-kit/sms: the public API. Everything exported here is part of the contract.
export {
  type BalanceCheckConfig,
  type CustomGatewayConfig,
  type GatewayConfig,
  type GatewayConfigInput,
  type GatewayConfigSource,
  parseGatewayConfig,
  parseGatewayConfigs,
  type TwilioGatewayConfig,
} from './config/gateway-config.js';
export {
  isSmsError,
  SMS_ERROR_CODES,
  SMS_ERROR_HTTP_STATUS,
  SmsError,
  type SmsErrorCode,
  type SmsErrorOptions,
} from './errors.js';
export type { FetchLike } from './http/http-transport.js';
// Lua runtime: a runner with custom limits, for `createSmsRouter({ luaRunner })`.
export { createLuaHookRunner, type LuaHookRunnerOptions } from './lua/index.js';
export type {
  LuaBuildContext,
  LuaBuildResult,
  LuaCallLimits,
  LuaHookRunner,
  LuaParseResult,
  LuaResponse,
} from './lua/lua-hook-runner.js';
export type { CircuitBreakerOptions, CircuitState } from './router/circuit-breaker.js';
export { createSmsRouter } from './router/create-sms-router.js';
export type {
  BalanceResult,
  PreviewMessage,
  SmsLogStore,
  SmsRouter,
  SmsRouterOptions,
  TestSendResult,
} from './router/sms-router.js';
export { TEMPLATE_VARIABLES } from './template/placeholders.js';
export { twilioSignature } from './twilio/twilio-signature.js';
