import { HotspotKitError } from '@hotspot-kit/core';

/** A typed configuration error naming the option that is wrong. */
export function invalidOption(factory: string, path: string, message: string): HotspotKitError {
  return new HotspotKitError('INVALID_CONFIG', `${factory}: ${path} ${message}`, {
    issues: [{ path, message }],
  });
}

/** Checks an optional positive integer option. */
export function checkPositiveInt(factory: string, path: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidOption(factory, path, 'must be a positive integer');
  }
}

/** The error for a store opened with `migrate: false` against a database that is behind. */
export function schemaBehind(factory: string, found: number, needed: number): HotspotKitError {
  return new HotspotKitError(
    'STORE_ERROR',
    `${factory}: the database schema is at version ${found}, this release needs ${needed}; run the migrations first (\`hotspot-kit db migrate\`) or open the store without \`migrate: false\``,
    { details: { schemaVersion: found, requiredVersion: needed } },
  );
}

/** Loads an optional driver package, or says how to install it. */
export async function loadDriver<T>(name: string, factory: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new HotspotKitError('INVALID_CONFIG', `${factory} needs the \`${name}\` package: npm install ${name}`, {
        cause: error,
        details: { package: name },
      });
    }
    throw error;
  }
}
