// Runs every benchmark in this folder (`*.bench.ts`), or those whose name contains an argument:
//   npm run bench              all of them
//   npm run bench -- usage     only bench/usage-*.bench.ts and the like
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const file of files) {
  console.log(`\n# ${file}`);
  const mod = (await import(pathToFileURL(`${dir}/${file}`).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') throw new Error(`${file} must export run()`);
  await mod.run();
}
