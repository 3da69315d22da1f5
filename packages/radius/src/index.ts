// @hotspot-kit/radius: FreeRADIUS's rest module answered by the kit, and RFC 5176 to the NAS.

export {
  type AttributeDefinition,
  type AttributeKind,
  RADIUS_ATTRIBUTES,
  type RadiusAttributeName,
  VENDOR_IDS,
} from './attributes.js';
export type { AttachableKit } from './disconnect/attach.js';
export type { AttributeValue } from './disconnect/attribute-values.js';
export {
  type CoaTarget,
  createRadiusDisconnector,
  type DisconnectTarget,
  type RadiusDisconnector,
  type RadiusDisconnectorOptions,
  type RadiusDisconnectResult,
} from './disconnect/create-radius-disconnector.js';
export { RADIUS_ERROR_CAUSES } from './disconnect/error-cause.js';
export { type RadiusNas, type RadiusNasInput, radiusNasListSchema, radiusNasSchema } from './disconnect/nas-config.js';
export {
  decodePacket,
  encodeRequest,
  encodeResponse,
  RADIUS_CODES,
  type RadiusPacket,
  type RawAttribute,
  type Verification,
  verifyRequest,
  verifyResponse,
} from './disconnect/packet.js';
export {
  createFreeradiusHandler,
  type FreeradiusHandler,
  type FreeradiusKit,
} from './freeradius/create-freeradius-handler.js';
export { parseEventTimestamp } from './freeradius/event-timestamp.js';
export type { FreeradiusHandlerOptions, VendorFamily } from './freeradius/handler-options.js';
export { REJECT_MESSAGES, type RejectMessages, type RejectReason } from './freeradius/reject-messages.js';
export {
  isRadiusError,
  RADIUS_ERROR_CODES,
  RadiusError,
  type RadiusErrorCode,
  type RadiusErrorOptions,
} from './radius-error.js';
export { kitSessionId, nasSessionId } from './session-id.js';
