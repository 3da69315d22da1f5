import { describe, expect, it } from 'vitest';
import { bootApp } from './helpers.js';

describe('shutdown', () => {
  it('shuts down in the order kit → router → store, each closed once by whoever made it', async () => {
    const booted = await bootApp();
    const { app, lines } = booted;
    const order: string[] = [];
    const watch = (name: string, target: { close(): Promise<void> }) => {
      const close = target.close.bind(target);
      target.close = async () => {
        order.push(name);
        await close();
      };
    };
    watch('kit', app.kit);
    watch('router', app.sms);
    watch('store', app.store);
    try {
      await app.close();
      expect(order).toEqual(['kit', 'router', 'store']);
      expect(lines.filter((l) => l.includes('while shutting down'))).toEqual([]);
      await expect(app.store.customers.get('anyone')).rejects.toThrow();
    } finally {
      await booted.stop(); // a second close is a no-op
    }
    expect(order).toEqual(['kit', 'router', 'store']);
  });
});
