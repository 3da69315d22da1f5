// `npm start`: the reference hotspot backend. Settings: config.json + environment (README).
import { isHotspotKitError } from '@hotspot-kit/core';
import { isSmsError } from '@hotspot-kit/sms';
import { PortInUseError, startHotspotApp } from './app.js';
import { ConfigError, configDir, loadAppConfig } from './config.js';

function fail(error: unknown): never {
  if (error instanceof PortInUseError || error instanceof ConfigError) {
    console.error(`\nexpress-hotspot: ${error.message}\n`);
  } else if (isHotspotKitError(error) || isSmsError(error)) {
    // Configuration the kit or the SMS router refused: the message names the field.
    console.error(`\nexpress-hotspot: ${error.code}: ${error.message}\n`);
  } else {
    console.error('\nexpress-hotspot: could not start:', error);
  }
  process.exit(1);
}

let app: Awaited<ReturnType<typeof startHotspotApp>>;
let demoPhone: string;
try {
  const { config, file } = loadAppConfig();
  app = await startHotspotApp({ config, baseDir: configDir(file) });
  demoPhone = app.kit.phone.normalize(config.demo.phone);
} catch (error) {
  fail(error);
}

const { url } = app;
const line = '─'.repeat(64);
console.log(`
${line}
 hotspot-kit reference app is running (${app.storeKind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} store)

   Splash page   ${url}/splash
   Portal        ${url}/portal
   Admin API     ${url}/admin   (Authorization: Bearer ${app.adminTokenGenerated ? app.adminToken : '<ADMIN_TOKEN>'})

   Demo phone    ${demoPhone}
                 (sign in to the portal with it; its codes are printed below)

 SMS go to the development console gateway: they are printed here and
 NOT sent to any phone. Configure a real gateway in config.json.
 Try: curl -H "Authorization: Bearer ${app.adminTokenGenerated ? app.adminToken : '$ADMIN_TOKEN'}" ${url}/admin/gateways
 Stop with Ctrl-C.
${line}
`);
if (app.seeded) {
  const v = app.seeded.vouchers;
  console.log(
    `[demo] seeded vouchers for ${app.seeded.phone}: new ${v.new.code}, active ${v.active.code}, ` +
      `used ${v.used.code}, expired ${v.expired.code}`,
  );
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n[app] ${signal}: shutting down...`);
  const force = setTimeout(() => {
    console.error('[app] shutdown took too long; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  await app.close();
  console.log('[app] stopped cleanly');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
