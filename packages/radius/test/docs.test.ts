import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { shipped } from './support/freeradius.js';

// The tests run FreeRADIUS with the package's files; the docs must show exactly those.
const docs = readFileSync(fileURLToPath(new URL('../../../docs/freeradius.md', import.meta.url)), 'utf8');

it('docs/freeradius.md shows the shipped FreeRADIUS files word for word', () => {
  for (const file of ['mods-available/rest', 'sites-available/hotspot-kit', 'dictionary']) {
    expect(docs, file).toContain(`\`\`\`\n${shipped(file)}\`\`\``);
  }
});
