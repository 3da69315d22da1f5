import type { SmsMessage, SmsRequestPreview } from '@hotspot-kit/core';
import { gatewayName } from '../config/gateway-config.js';
import { type OutgoingSms, previewRequest } from '../gateways/gateway-driver.js';
import { checkMessage } from './check-message.js';
import type { GatewayRegistry } from './gateway-registry.js';
import { loggedText } from './logged-text.js';
import type { SmsLogWriter } from './sms-log-writer.js';
import type { PreviewMessage, TestSendResult } from './sms-router.js';

/** What an operator's admin screen uses to try a gateway: a real test send and a dry run. */
export interface Diagnostics {
  testSend(gatewayId: string, to: string, options?: { text?: string; sender?: string }): Promise<TestSendResult>;
  previewRequest(gatewayId: string, message: PreviewMessage): Promise<SmsRequestPreview>;
}

const DEFAULT_TEST_TEXT = 'hotspot-kit test message';

/**
 * Test sends go through one gateway (also a disabled one), bypass the circuit breaker and are
 * logged with purpose `test`; previews build the request (Lua `build` included) and send nothing.
 * Both show requests and answers with the gateway's secrets masked.
 */
export function createDiagnostics(ctx: { registry: GatewayRegistry; logWriter: SmsLogWriter }): Diagnostics {
  const { registry, logWriter } = ctx;
  return {
    async testSend(gatewayId, to, options = {}) {
      const sender = await registry.sender(gatewayId);
      const text = options.text ?? `${DEFAULT_TEST_TEXT} (${gatewayName(sender.config)})`;
      const message: SmsMessage = { to, text, purpose: 'test' };
      if (options.sender !== undefined) message.sender = options.sender;
      checkMessage(message);
      const logged = loggedText(message);
      const entry = await logWriter.start(message, logged);
      const sms: OutgoingSms = { id: entry.id, to, text };
      if (message.sender !== undefined) sms.sender = message.sender;
      const { attempt, request, response } = await sender.send(sms, logged);
      await logWriter.finish(entry, [attempt]);
      const masker = sender.masker(logged);
      const result: TestSendResult = {
        ...attempt,
        request: attempt.request ?? (request ? previewRequest(request, masker) : { method: '', url: '', headers: {} }),
        attempt,
        entry,
      };
      if (response) {
        result.response = { status: response.status, headers: response.headers, body: masker.mask(response.body) };
      }
      return result;
    },

    async previewRequest(gatewayId, message) {
      const sender = await registry.sender(gatewayId);
      const sms: OutgoingSms = { id: message.id ?? 'preview', to: message.to, text: message.text };
      if (message.sender !== undefined) sms.sender = message.sender;
      const logged = loggedText({ text: message.text, logText: message.logText, purpose: 'preview' });
      return previewRequest(await sender.driver.buildRequest(sms), sender.masker(logged));
    },
  };
}
