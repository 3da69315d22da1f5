import { z } from 'zod';

/** How a config field is secret: its whole value, or the `user:password@` part of a URL. */
export type SecretKind = 'value' | 'url-credentials';

/** Where the gateway config schema marks its secret fields (read by `gatewaySecretFields`). */
export const secretRegistry = z.registry<{ secret: SecretKind }>();

/** Marks `schema` as a secret field of the gateway config: the one place that says so. */
export function secretField<T extends z.ZodType>(schema: T, kind: SecretKind = 'value'): T {
  secretRegistry.add(schema, { secret: kind });
  return schema;
}
