import type { HotspotKit, Logger, SessionRecord } from '@hotspot-kit/core';
import { nasSessionId } from '../session-id.js';
import type { RadiusNas } from './nas-config.js';

/** The parts of a kit the disconnector listens to and reads. */
export type AttachableKit = Pick<HotspotKit, 'events' | 'usage'>;

interface AttachDeps {
  disconnect(target: { nasId: string; sessionId: string }): Promise<{ result: string }>;
  findNas(nasId: string): RadiusNas | undefined;
  logger: Logger;
}

/**
 * Subscribes to the events that must end sessions and disconnects each session on its
 * NAS. A session whose NAS is not configured is logged and skipped; a failure never throws
 * into the kit (the event bus logs handler errors anyway).
 */
export function attachDisconnector(kit: AttachableKit, deps: AttachDeps): () => void {
  async function end(sessions: SessionRecord[], why: string): Promise<void> {
    await Promise.all(
      sessions.map(async (session) => {
        const nas = session.nasId === undefined ? undefined : deps.findNas(session.nasId);
        if (!nas) {
          deps.logger.warn('RADIUS: no NAS configured for a session to disconnect', {
            nasId: session.nasId ?? '(none)',
            voucherId: session.voucherId,
            why,
          });
          return;
        }
        await deps.disconnect({ nasId: nas.id, sessionId: nasSessionId(session) });
      }),
    );
  }

  const off = [
    kit.events.on('device.removed', async ({ voucherId, device }) => {
      const sessions = await kit.usage.openSessions({ voucherId });
      await end(
        sessions.filter((s) => s.mac === device.mac),
        'device.removed',
      );
    }),
    kit.events.on('voucher.exhausted', async ({ voucher }) => {
      await end(await kit.usage.openSessions({ voucherId: voucher.id }), 'voucher.exhausted');
    }),
    kit.events.on('voucher.expired', async ({ voucher }) => {
      await end(await kit.usage.openSessions({ voucherId: voucher.id }), 'voucher.expired');
    }),
  ];
  return () => {
    for (const unsubscribe of off) unsubscribe();
  };
}
