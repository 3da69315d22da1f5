// @hotspot-kit/adapter-express: mount the portal (any Web-standard fetch handler) in Express.
export {
  type ExpressPortalOptions,
  expressPortal,
  type FetchHandler,
  type FetchHandlerContext,
  type ReplyParts,
  type RequestParts,
} from './express-portal.js';
