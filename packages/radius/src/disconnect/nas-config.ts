import { z } from 'zod';

/**
 * One NAS that accepts Disconnect/CoA requests (RFC 5176), as plain data (it can live in
 * settings): `id` is what the sessions' `nasId` holds (the NAS-Identifier, else the
 * NAS-IP-Address the NAS sends in accounting); `port` is 3799 by default (older MikroTik
 * RouterOS: 1700); `secret` is the shared secret of its `/radius incoming` side.
 */
export const radiusNasSchema = z
  .object({
    id: z.string().trim().min(1, 'must not be empty').max(253),
    address: z.string().trim().min(1, 'must be an IP address or a host name').max(253),
    port: z.number().int('must be a whole number').min(1).max(65_535).default(3799),
    secret: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  })
  .strict();

/** A NAS entry as given: {@link radiusNasSchema}'s input (`port` optional). */
export type RadiusNasInput = z.input<typeof radiusNasSchema>;

/** A NAS entry after validation (`port` filled in). */
export type RadiusNas = z.output<typeof radiusNasSchema>;

/** The NAS list: ids must be unique. */
export const radiusNasListSchema = z.array(radiusNasSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((nas, index) => {
    if (seen.has(nas.id))
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate NAS id '${nas.id}'` });
    seen.add(nas.id);
  });
});
