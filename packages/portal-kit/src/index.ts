// @hotspot-kit/portal-kit: the customer portal as one Web-standard fetch handler.

export { openApiDocument } from './api/openapi.js';
export { createPortal, type Portal, type PortalRequestContext } from './create-portal.js';
export { escapeHtml, type HtmlValue, html, raw, SafeHtml } from './html/html.js';
export type { PortalReply, PortalRequest } from './http/reply.js';
export { BUILT_IN_MESSAGES, type MessageOverrides } from './i18n/i18n.js';
export { en as ENGLISH_MESSAGES, type MessageKey, type Messages, type MessageValue } from './i18n/messages-en.js';
export {
  isPortalError,
  PORTAL_ERROR_CODES,
  PORTAL_ERROR_HTTP_STATUS,
  PortalError,
  type PortalErrorCode,
} from './portal-error.js';
export { type PortalConfig, portalConfigSchema } from './portal-options.js';
export { CONTENT_SECURITY_POLICY } from './security/headers.js';
