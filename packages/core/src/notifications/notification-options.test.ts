import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../validation.js';
import { notificationOptionsSchema } from './notification-options.js';

const parse = (value: unknown) =>
  parseOrThrow(notificationOptionsSchema, value, 'notification policies', 'INVALID_CONFIG');

describe('notification policy options', () => {
  it('defaults every policy to off', () => {
    const options = parse({});
    expect(options.statusPageLink).toMatchObject({ enabled: false, frequency: 'once', linkTtlSeconds: 604_800 });
    expect(options.usageThreshold).toMatchObject({ enabled: false, trafficPercent: 0, timePercent: 0 });
    expect(options.retry).toEqual({
      maxAttempts: 5,
      initialDelaySeconds: 60,
      maxDelaySeconds: 3600,
      staleClaimSeconds: 600,
    });
  });

  it('fills the defaults of a partly given policy', () => {
    const options = parse({ usageThreshold: { enabled: true, trafficPercent: 90 } });
    expect(options.usageThreshold).toMatchObject({ enabled: true, trafficPercent: 90, timePercent: 0 });
    expect(options.usageThreshold.template).toContain('{{ .usage.percent }}');
  });

  it.each([
    [{ statusPageLink: { frequency: 'daily' } }, 'statusPageLink.frequency'],
    [{ usageThreshold: { trafficPercent: 101 } }, 'usageThreshold.trafficPercent'],
    [{ usageThreshold: { timePercent: -1 } }, 'usageThreshold.timePercent'],
    [{ usageThreshold: { trafficPercent: 90.5 } }, 'usageThreshold.trafficPercent'],
    [{ statusPageLink: { portalUrl: 'ftp://x.example' } }, 'statusPageLink.portalUrl'],
    [{ statusPageLink: { portalUrl: 'not a url' } }, 'statusPageLink.portalUrl'],
    [{ statusPageLink: { template: '' } }, 'statusPageLink.template'],
    [{ statusPageLink: { enabled: 'yes' } }, 'statusPageLink.enabled'],
    [{ statusPageLink: { enabled: true } }, 'statusPageLink.portalUrl'],
    [{ usageThreshold: { enabled: true, template: 'See {{ .link }}' } }, 'usageThreshold.portalUrl'],
    [{ statusPageLink: { colour: 'red' } }, 'statusPageLink'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ smsTemplate: 'x' }, '(root)'],
  ])('refuses %j naming %s', (value, path) => {
    expect(() => parse(value)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(path) }),
    );
  });

  it('needs no portal URL when the link template does not use {{ .link }}, or a usage link falls back to it', () => {
    expect(() =>
      parse({ statusPageLink: { enabled: true, template: 'Welcome to {{ .location.name }}' } }),
    ).not.toThrow();
    expect(() =>
      parse({
        statusPageLink: { portalUrl: 'https://wifi.example.com/portal' },
        usageThreshold: { enabled: true, template: 'See {{ .link }}' },
      }),
    ).not.toThrow();
  });
});
