import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const src = (pkg: string, file = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url));

/**
 * Tests import our packages from their sources (no rebuild between edits); the built
 * packages are checked by `npm run lint` (publint, attw) and by the example app.
 */
export function sharedTestConfig(root: string): ViteUserConfig {
  return {
    root,
    resolve: {
      alias: [
        { find: /^@hotspot-kit\/core\/testing$/, replacement: src('core', 'testing/index.ts') },
        { find: /^@hotspot-kit\/core\/internal$/, replacement: src('core', 'internal.ts') },
        { find: /^@hotspot-kit\/core$/, replacement: src('core') },
        { find: /^@hotspot-kit\/sms\/testing$/, replacement: src('sms', 'testing/index.ts') },
        { find: /^@hotspot-kit\/sms$/, replacement: src('sms') },
        { find: /^@hotspot-kit\/store-sql$/, replacement: src('store-sql') },
        { find: /^@hotspot-kit\/portal-kit$/, replacement: src('portal-kit') },
        { find: /^@hotspot-kit\/radius$/, replacement: src('radius') },
        { find: /^@hotspot-kit\/adapter-express$/, replacement: src('adapter-express') },
        { find: /^@hotspot-kit\/cli$/, replacement: src('cli') },
      ],
    },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      // CI must not skip quietly: a test that needs a missing part fails there instead.
      allowOnly: false,
    },
  };
}
