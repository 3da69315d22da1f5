// Notification policies on the memory store, with an SMS sender that answers at once:
// (1) preview (template compile + render + segment count) per second; (2) what the
// statusPageLink policy adds to a voucher activation (token signing, claim, send, CAS), as
// activations per second with the policy off and on; (3) 500 concurrent activations of one
// customer's vouchers with `once`: time until settled, and SMS sent (must be 1).
//   npx tsx bench/run.ts notifications
import {
  createHotspotKit,
  createMemoryStore,
  type HotspotKit,
  type NotificationOptions,
  type SmsLogEntry,
  type SmsSender,
} from '@hotspot-kit/core';

const SECRET = 'bench-secret-0123456789abcdef';
const PORTAL = 'https://wifi.example.com/portal';

function instantSms(): SmsSender & { count: number } {
  const sender = {
    count: 0,
    async send(message: Parameters<SmsSender['send']>[0]): Promise<SmsLogEntry> {
      sender.count += 1;
      const now = new Date();
      return {
        id: `sms-${sender.count}`,
        to: message.to,
        text: message.text,
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

function makeKit(notifications: NotificationOptions): { kit: HotspotKit; sms: ReturnType<typeof instantSms> } {
  const sms = instantSms();
  return { kit: createHotspotKit({ store: createMemoryStore(), sms, secret: SECRET, notifications }), sms };
}

async function vouchersFor(kit: HotspotKit, count: number, oneCustomer: boolean): Promise<string[]> {
  const plan = await kit.plans.create({
    name: 'Day pass',
    simultaneousDevices: 1,
    expiry: { kind: 'after-activation', seconds: 86_400 },
  });
  const shared = oneCustomer ? await kit.customers.create({ phone: '+447400100000', name: 'Ann' }) : null;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = shared ?? (await kit.customers.create({ phone: `+447400${100_001 + i}`, name: 'Ann' }));
    ids.push((await kit.vouchers.create({ planId: plan.id, customerId: customer.id })).id);
  }
  return ids;
}

async function activationsPerSecond(label: string, notifications: NotificationOptions, n: number): Promise<void> {
  const { kit, sms } = makeKit(notifications);
  const ids = await vouchersFor(kit, n, false);
  const started = performance.now();
  for (const id of ids) await kit.vouchers.activate(id);
  await kit.settled();
  const ms = performance.now() - started;
  console.log(
    `${label.padEnd(44)} ${Math.round((n / ms) * 1000)
      .toString()
      .padStart(7)} activations/s  (${(ms / n).toFixed(3)} ms each, ${sms.count} SMS)`,
  );
}

export async function run(): Promise<void> {
  const { kit } = makeKit({ statusPageLink: { portalUrl: PORTAL } });
  const template =
    'Hi {{ .customer.name | default "there" }}, your {{ .plan.name }} at {{ .location.name }}: {{ .link }}';
  for (let i = 0; i < 2000; i++) kit.notifications.preview({ template }); // warm-up
  const previews = 50_000;
  let started = performance.now();
  for (let i = 0; i < previews; i++) kit.notifications.preview({ template });
  let ms = performance.now() - started;
  console.log(
    `${'preview (compile + render + segments)'.padEnd(44)} ${Math.round((previews / ms) * 1000)
      .toString()
      .padStart(7)} previews/s`,
  );

  const n = 3000;
  await activationsPerSecond('activate, notifications off', {}, n);
  await activationsPerSecond(
    'activate + statusPageLink every-activation',
    {
      statusPageLink: { enabled: true, frequency: 'every-activation', portalUrl: PORTAL },
    },
    n,
  );

  const contended = makeKit({ statusPageLink: { enabled: true, frequency: 'once', portalUrl: PORTAL } });
  const ids = await vouchersFor(contended.kit, 500, true);
  started = performance.now();
  await Promise.all(ids.map((id) => contended.kit.vouchers.activate(id)));
  await contended.kit.settled();
  ms = performance.now() - started;
  console.log(
    `${'500 concurrent activations, one customer, once'.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms until settled, ${contended.sms.count} SMS`,
  );
  if (contended.sms.count !== 1) throw new Error(`expected exactly one SMS, got ${contended.sms.count}`);
}
