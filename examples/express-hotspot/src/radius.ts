import { expressPortal } from '@hotspot-kit/adapter-express';
import type { HotspotKit, Logger } from '@hotspot-kit/core';
import {
  createFreeradiusHandler,
  createRadiusDisconnector,
  type FreeradiusHandlerOptions,
  type RadiusNasInput,
} from '@hotspot-kit/radius';
import type { RequestHandler } from 'express';
import type { AppConfig } from './config.js';

/** The RADIUS side of the app: the FreeRADIUS handler to mount and what to close on shutdown. */
export interface RadiusWiring {
  /** Mount at `/radius`: answers FreeRADIUS's rest module, and only over loopback. */
  handler: RequestHandler;
  close(): Promise<void>;
}

// The socket's own address, not req.ip: a forwarded-for header must not open this door.
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Builds the FreeRADIUS handler (FreeRADIUS runs on this host and calls it over loopback; the
 * NAS never does) and, when NAS are configured, the disconnector attached to the kit's events.
 */
export function createRadiusWiring(
  kit: HotspotKit,
  config: NonNullable<AppConfig['radius']>,
  logger: Logger,
): RadiusWiring {
  const radius = expressPortal(
    createFreeradiusHandler(kit, { ...(config.handler as FreeradiusHandlerOptions), logger }),
  );
  const disconnector =
    config.nas.length === 0
      ? undefined
      : createRadiusDisconnector({
          nas: config.nas as RadiusNasInput[],
          ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
          ...(config.retries === undefined ? {} : { retries: config.retries }),
          logger,
        });
  disconnector?.attach(kit);
  return {
    handler: (req, res, next) => {
      if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
        res.status(403).type('text').send('The RADIUS handler answers FreeRADIUS on this host only');
        return;
      }
      radius(req, res, next);
    },
    close: async () => {
      await disconnector?.close();
    },
  };
}
