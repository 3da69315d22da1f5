import type { HotspotKit, Location, LocationBranding } from '@hotspot-kit/core';
import type { PortalRequest } from './http/reply.js';
import type { I18n, Translator } from './i18n/i18n.js';
import type { ResolvedPortalConfig } from './portal-options.js';
import type { PortalSession, SessionCodec } from './security/session.js';

/** What one portal instance is built from. Internal. */
export interface PortalRuntime {
  kit: HotspotKit;
  config: ResolvedPortalConfig;
  codec: SessionCodec;
  i18n: I18n;
  /** Cached location lookups (branding, time zone); `null` when unknown or the lookup failed. */
  location(id: string | undefined): Promise<Location | null>;
  /** The time zone of a location (cached with it), `undefined` when unknown. */
  timeZoneOf(id: string): Promise<string | undefined>;
  /** Version tag of the stylesheet (cache busting). */
  cssVersion: string;
}

/** One request as the handlers see it. Internal. */
export interface RequestState {
  request: PortalRequest;
  url: URL;
  /** Mount path, `''` at the root; every link starts with it. */
  base: string;
  /** The path below the mount, always starting with `/`. */
  path: string;
  ip: string | undefined;
  secure: boolean;
  locale: string;
  tr: Translator;
  session: PortalSession;
  /** The session must be written back (new, changed or renewed). */
  sessionDirty: boolean;
  /** Extra `Set-Cookie` values (language choice). */
  cookies: string[];
  now: Date;
  /**
   * The request's location from trusted sources (the adapter's context, else the signed
   * session's); `undefined` means the `locationId` option (see `resolveBranding`).
   */
  locationId: string | undefined;
  /** The host named this request's location (the adapter's context): links cannot change it. */
  locationFromHost: boolean;
}

/** The branding shown for a request: the location's, else the portal option's. */
export interface ResolvedBranding extends LocationBranding {
  locationId?: string;
  locationName?: string;
  timeZone: string;
}

export function nowSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
