// OTP start + verify pairs per second on the memory store: the engine's own cost (phone
// normalization, CSPRNG code, HMAC-SHA256, every limit read and taken, the guarded store
// calls), with an SMS sender that returns at once.
//   npx tsx bench/run.ts otp
import {
  createHotspotKit,
  createMemoryStore,
  type HotspotKit,
  type OtpOptions,
  type SmsLogEntry,
  type SmsSender,
} from '@hotspot-kit/core';

const SECONDS_PER_CASE = 4;

function instantSms(): SmsSender & { lastText: string } {
  let n = 0;
  const sender = {
    lastText: '',
    async send(message: Parameters<SmsSender['send']>[0]): Promise<SmsLogEntry> {
      sender.lastText = message.text;
      n += 1;
      const now = new Date();
      return {
        id: `sms-${n}`,
        to: message.to,
        text: message.logText ?? message.text,
        purpose: message.purpose,
        status: 'sent',
        createdAt: now,
        updatedAt: now,
        attempts: [],
      };
    },
  };
  return sender;
}

function makeKit(otp: OtpOptions): { kit: HotspotKit; sms: ReturnType<typeof instantSms> } {
  const sms = instantSms();
  const kit = createHotspotKit({ store: createMemoryStore(), sms, secret: 'bench-secret-0123456789abcdef', otp });
  return { kit, sms };
}

// Distinct valid UK mobile numbers and client addresses, so per-phone and per-IP limits stay open.
const phoneFor = (i: number) => `+447400${String(100_000 + (i % 900_000))}`;
const ipFor = (i: number) => `10.${i & 255}.${(i >> 8) & 255}.${((i >> 16) & 255) + 1}`;

async function pair(kit: HotspotKit, sms: { lastText: string }, i: number): Promise<void> {
  const started = await kit.otp.start({ phone: phoneFor(i), purpose: 'splash', ip: ipFor(i) });
  if (!started.ok) throw new Error(`start refused: ${started.reason}`);
  const code = sms.lastText.match(/\d{6}/)?.[0] ?? '';
  const verified = await kit.otp.verify({ challengeId: started.challengeId, code });
  if (!verified.ok) throw new Error(`verify refused: ${verified.reason}`);
}

async function sequential(name: string, otp: OtpOptions): Promise<void> {
  const { kit, sms } = makeKit(otp);
  for (let i = 0; i < 500; i++) await pair(kit, sms, i); // warm-up
  let i = 500;
  const started = performance.now();
  const until = started + SECONDS_PER_CASE * 1000;
  while (performance.now() < until) {
    for (let k = 0; k < 100; k++) await pair(kit, sms, i++);
  }
  const seconds = (performance.now() - started) / 1000;
  const pairs = i - 500;
  console.log(
    `${name.padEnd(44)} ${Math.round(pairs / seconds)
      .toLocaleString('en')
      .padStart(8)} pairs/s  (${pairs} pairs, ${((seconds * 1e6) / pairs).toFixed(0)} µs each)`,
  );
}

async function concurrent(name: string, otp: OtpOptions, parallel: number): Promise<void> {
  // With many starts in flight the last text is ambiguous: keep each challenge's code.
  const codes = new Map<string, string>();
  const sender = instantSms();
  const send = sender.send.bind(sender);
  sender.send = async (message) => {
    codes.set(message.meta?.challengeId ?? '', message.text.match(/\d{6}/)?.[0] ?? '');
    return send(message);
  };
  const kit = createHotspotKit({
    store: createMemoryStore(),
    sms: sender,
    secret: 'bench-secret-0123456789abcdef',
    otp,
  });
  const one = async (n: number) => {
    const started = await kit.otp.start({ phone: phoneFor(n), purpose: 'portal', ip: ipFor(n) });
    if (!started.ok) throw new Error(`start refused: ${started.reason}`);
    const code = codes.get(started.challengeId) ?? '';
    codes.delete(started.challengeId);
    const verified = await kit.otp.verify({ challengeId: started.challengeId, code });
    if (!verified.ok) throw new Error(`verify refused: ${verified.reason}`);
  };
  let i = 0;
  const started = performance.now();
  const until = started + SECONDS_PER_CASE * 1000;
  while (performance.now() < until) {
    await Promise.all(Array.from({ length: parallel }, () => one(i++)));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name.padEnd(44)} ${Math.round(i / seconds)
      .toLocaleString('en')
      .padStart(8)} pairs/s  (${i} pairs)`,
  );
}

export async function run(): Promise<void> {
  const open = { perCallingCode: false, global: false } as const;
  await sequential('sequential, every limit on (caps raised)', {
    limits: { perCallingCode: { limit: 1_000_000_000 }, global: { limit: 1_000_000_000 } },
  });
  await sequential('sequential, only per-phone/IP/subnet limits', { limits: open });
  await sequential('sequential, no send limits (lockout only)', {
    limits: { perPhone: false, perIp: false, perSubnet: false, ...open },
  });
  await concurrent(
    '50 in flight, every limit on (caps raised)',
    {
      limits: { perCallingCode: { limit: 1_000_000_000 }, global: { limit: 1_000_000_000 } },
    },
    50,
  );
}
