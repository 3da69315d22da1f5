// @hotspot-kit/adapter-express: mount the portal (any Web-standard fetch handler) in Express.
export {
  expressPortal,
  type FetchHandler,
  type FetchHandlerContext,
  type ReplyParts,
  type RequestParts,
} from './express-portal.js';
