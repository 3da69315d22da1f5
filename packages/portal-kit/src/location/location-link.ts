import type { TokenService } from '@hotspot-kit/core';
import type { PortalRuntime, RequestState } from '../runtime.js';

/** The `purpose` of a signed location link's token payload `{ l: '<location id>', purpose }`. */
export const LOCATION_LINK_PURPOSE = 'portal-location';
/** The query parameter that names the location: a signed token, or an id from `visitorLocations`. */
export const LOCATION_PARAM = 'location';
/** Longest a location link lasts (the kit's token limit); also the default. */
export const MAX_LOCATION_LINK_SECONDS = 366 * 86_400;

const LOCATION_ID = /^[\w.:-]{1,100}$/;

/** Whether `value` is shaped like a location id (what a host or a link may name). */
export function isLocationId(value: unknown): value is string {
  return typeof value === 'string' && LOCATION_ID.test(value);
}

/** `portalUrl` with `?location=<token>`: a link that binds the visitor to `locationId` (signed by the kit). */
export async function signLocationLink(
  tokens: TokenService,
  portalUrl: string,
  locationId: string,
  ttlSeconds: number,
): Promise<string> {
  const url = new URL(portalUrl);
  url.searchParams.set(
    LOCATION_PARAM,
    await tokens.sign({ l: locationId, purpose: LOCATION_LINK_PURPOSE }, ttlSeconds),
  );
  return url.toString();
}

/**
 * The location a `?location=` value names, or `undefined` when it names none the visitor
 * may use: a token signed by {@link signLocationLink} (not expired), or a bare id that is in
 * `allowed` (the portal's `visitorLocations`). Anything else is ignored, so a visitor can
 * never pick whose SMS gateway sends the codes.
 */
export async function locationFromParam(
  tokens: TokenService,
  value: string | null,
  allowed: readonly string[] | undefined,
): Promise<string | undefined> {
  if (!value || value.length > 2048) return undefined;
  // A token's characters are those of an id too: a value is a choice from the list only
  // when it is not a valid signed token.
  const payload = await tokens.verify(value);
  if (payload?.purpose === LOCATION_LINK_PURPOSE && isLocationId(payload.l)) return payload.l;
  return allowed?.includes(value) ? value : undefined;
}

/**
 * Remembers the location a link names (`?location=`) in the signed session, when the visitor
 * may use it: a token signed by the kit, or an id from `visitorLocations`. A location the
 * host gives per request wins anyway, so the link is then ignored.
 */
export async function bindLocation(rt: PortalRuntime, state: RequestState): Promise<void> {
  const param = state.url.searchParams.get(LOCATION_PARAM);
  if (!param || state.locationFromHost) return;
  const location = await locationFromParam(rt.kit.tokens, param, rt.config.visitorLocations);
  if (!location || location === state.session.locationId) return;
  state.session = { ...state.session, locationId: location };
  state.locationId = location;
  state.sessionDirty = true;
}
