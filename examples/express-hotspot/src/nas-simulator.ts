import type { HotspotKit, Voucher } from '@hotspot-kit/core';

/** Options of {@link createNasSimulator}. */
export interface NasSimulatorOptions {
  kit: HotspotKit;
  /** Milliseconds between interim updates; 0 makes `start()` a no-op (call `tick()` yourself). */
  intervalMs: number;
  /** Average download bytes per tick (upload is a quarter of it). */
  bytesPerTick: number;
  nasId?: string;
  print?: (line: string) => void;
}

interface SimSession {
  sessionId: string;
  voucherId: string;
  mac: string | undefined;
  inputOctets: number;
  outputOctets: number;
  startedAt: number;
}

/** A pretend NAS (access point) sending RADIUS-style accounting for the sessions it carries. */
export interface NasSimulator {
  /** A device got online on a voucher: sends `start`. */
  connect(voucherId: string, mac?: string): Promise<void>;
  /** Sends `stop` for the voucher's session(s) (the host's Disconnect-Request). */
  disconnect(voucherId: string, why: string): Promise<void>;
  /** One round of `interim` updates (the timer calls it). */
  tick(): Promise<void>;
  /** Voucher ids with a session on this NAS. */
  online(): string[];
  start(): void;
  /** Stops the timer and sends `stop` for every session. */
  stop(): Promise<void>;
}

/**
 * Feeds `kit.usage.record` the way a RADIUS server relays a NAS's accounting: a `start`
 * when a device connects, cumulative `interim` counters on a timer, and a `stop` when the
 * host disconnects it (on `voucher.exhausted`, `voucher.expired` or `device.removed`, which
 * is where a real host sends a RADIUS Disconnect-Request or CoA).
 */
export function createNasSimulator(options: NasSimulatorOptions): NasSimulator {
  const { kit, intervalMs, bytesPerTick } = options;
  const nasId = options.nasId ?? 'sim-nas-1';
  const print = options.print ?? (() => {});
  const sessions = new Map<string, SimSession>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let serial = 0;

  const seconds = (s: SimSession) => Math.max(0, Math.round((Date.now() - s.startedAt) / 1000));

  async function send(type: 'start' | 'interim' | 'stop', s: SimSession): Promise<Voucher> {
    const { voucher } = await kit.usage.record({
      type,
      sessionId: s.sessionId,
      voucherId: s.voucherId,
      ...(s.mac ? { mac: s.mac } : {}),
      nasId,
      inputOctets: s.inputOctets,
      outputOctets: s.outputOctets,
      sessionTime: seconds(s),
      eventTime: new Date(),
    });
    return voucher;
  }

  async function disconnect(voucherId: string, why: string): Promise<void> {
    for (const [id, s] of sessions) {
      if (s.voucherId !== voucherId) continue;
      sessions.delete(id);
      try {
        await send('stop', s);
      } catch {
        // The voucher may be gone or closed already; the stale-session timeout covers it.
      }
      print(`[nas] ${s.mac ?? 'device'} disconnected from voucher ${voucherId} (${why})`);
    }
  }

  async function tick(): Promise<void> {
    for (const s of [...sessions.values()]) {
      const jitter = 0.5 + Math.random();
      s.outputOctets += Math.round(bytesPerTick * jitter);
      s.inputOctets += Math.round((bytesPerTick / 4) * jitter);
      try {
        const voucher = await send('interim', s);
        if (voucher.status === 'used' || voucher.status === 'expired') {
          await disconnect(s.voucherId, `voucher ${voucher.status}`);
        }
      } catch (error) {
        print(`[nas] accounting for voucher ${s.voucherId} failed: ${(error as Error).message}`);
        sessions.delete(s.sessionId);
      }
    }
  }

  return {
    async connect(voucherId, mac) {
      for (const s of sessions.values()) if (s.voucherId === voucherId && s.mac === mac) return;
      serial += 1;
      const s: SimSession = {
        sessionId: `${nasId}-${Date.now().toString(36)}-${serial}`,
        voucherId,
        mac,
        inputOctets: 0,
        outputOctets: 0,
        startedAt: Date.now(),
      };
      sessions.set(s.sessionId, s);
      await send('start', s);
    },
    disconnect,
    tick,
    online: () => [...new Set([...sessions.values()].map((s) => s.voucherId))],
    start() {
      if (intervalMs <= 0 || timer) return;
      timer = setInterval(() => {
        if (ticking) return; // a slow store: skip a beat rather than pile up
        ticking = tick().finally(() => {
          ticking = undefined;
        });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await ticking;
      for (const voucherId of new Set([...sessions.values()].map((s) => s.voucherId))) {
        await disconnect(voucherId, 'NAS shutting down');
      }
    },
  };
}
