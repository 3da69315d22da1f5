import { describe, expect, it } from 'vitest';
import type { KitContext } from '../kit/kit-context.js';
import { createTokenService } from '../tokens/token-service.js';
import { createPortalLink, portalLinkWithToken, samplePortalLink, verifyPortalPrefillToken } from './portal-link.js';

const now = new Date('2026-03-01T10:00:00Z');
const tokens = createTokenService({
  secrets: ['a-test-secret-that-is-long-enough'],
  clock: () => now,
} as unknown as KitContext);

describe('portal link', () => {
  it('carries a token that pre-fills the phone, and nothing else verifies as one', async () => {
    const link = await createPortalLink(tokens, 'https://wifi.example.com/portal?lang=de', '+37120000001', 600);
    const url = new URL(link);
    expect(url.searchParams.get('lang')).toBe('de');
    expect(await verifyPortalPrefillToken(tokens, url.searchParams.get('t'))).toEqual({ phone: '+37120000001' });

    const otherPurpose = await tokens.sign({ p: '+37120000001', purpose: 'session' }, 600);
    expect(await verifyPortalPrefillToken(tokens, otherPurpose)).toBeNull();
    expect(await verifyPortalPrefillToken(tokens, await tokens.sign({ purpose: 'portal-prefill' }, 600))).toBeNull();
    expect(await verifyPortalPrefillToken(tokens, null)).toBeNull();
    expect(await verifyPortalPrefillToken(tokens, '')).toBeNull();
  });

  it('has a sample of the same length that never verifies', async () => {
    const real = await createPortalLink(tokens, 'https://wifi.example.com/portal', '+37120000001', 604_800);
    const sample = samplePortalLink('https://wifi.example.com/portal', '+37120000001', 604_800, now);
    expect(sample).toHaveLength(real.length);
    expect(await verifyPortalPrefillToken(tokens, new URL(sample).searchParams.get('t'))).toBeNull();
    expect(portalLinkWithToken('https://a.example/p?t=old', 'new')).toBe('https://a.example/p?t=new');
  });
});
