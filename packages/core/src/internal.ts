// @hotspot-kit/core/internal: helpers our own packages share with core. Not part of the
// public contract: names and shapes here may change in any release, so hosts should not
// import this subpath (everything a host needs is on the kit or in `@hotspot-kit/core`).
export {
  createHmacSigner,
  type HmacSigner,
  parseBase64Url,
  randomToken,
  timingSafeEqual,
  toBase64Url,
  utf8,
} from './platform/crypto.js';
