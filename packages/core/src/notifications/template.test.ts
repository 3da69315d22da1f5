import { describe, expect, it } from 'vitest';
import { type HotspotKitError, isHotspotKitError } from '../errors.js';
import { compileTemplate, renderTemplate, validateNotificationTemplate } from './template.js';
import { NOTIFICATION_TEMPLATE_VARIABLES } from './template-variables.js';

function thrown(fn: () => unknown): HotspotKitError {
  try {
    fn();
  } catch (e) {
    if (isHotspotKitError(e)) return e;
    throw e;
  }
  throw new Error('expected a HotspotKitError');
}

describe('notification templates', () => {
  it('renders Powerlynx-style tags with or without spaces', () => {
    const t = compileTemplate('Hi {{ .customer.name }}, {{.plan.name}} at {{  .location.name  }}: {{ .link }}', {
      kind: 'status-page-link',
    });
    expect(t.variables).toEqual(['customer.name', 'plan.name', 'location.name', 'link']);
    expect(
      renderTemplate(t, {
        'customer.name': 'Zoë',
        'plan.name': 'Day pass',
        'location.name': 'Cafe',
        link: 'https://x.example/p?t=1',
      }),
    ).toBe('Hi Zoë, Day pass at Cafe: https://x.example/p?t=1');
  });

  it('renders a missing value as empty, or as its default', () => {
    const t = compileTemplate('Hi {{ .customer.name | default "there" }}{{ .customer.email }}!', {
      kind: 'status-page-link',
    });
    expect(renderTemplate(t, {})).toBe('Hi there!');
    expect(renderTemplate(t, { 'customer.name': '' })).toBe('Hi there!');
    expect(renderTemplate(t, { 'customer.name': 'Ann' })).toBe('Hi Ann!');
    const escaped = compileTemplate('{{ .customer.name | default "the \\"boss\\"" }}', { kind: 'status-page-link' });
    expect(renderTemplate(escaped, {})).toBe('the "boss"');
  });

  it('inserts values as plain text, never as template code', () => {
    const t = compileTemplate('Hi {{ .customer.name }}', { kind: 'status-page-link' });
    expect(renderTemplate(t, { 'customer.name': '{{ .link }} & <b>' })).toBe('Hi {{ .link }} & <b>');
  });

  it('refuses an unknown variable, naming it, the field and a suggestion', () => {
    const e = thrown(() =>
      compileTemplate('Hello {{ .customer.nmae }}', { kind: 'status-page-link', field: 'statusPageLink.template' }),
    );
    expect(e.code).toBe('INVALID_TEMPLATE');
    expect(e.message).toContain('statusPageLink.template');
    expect(e.message).toContain('.customer.nmae');
    expect(e.message).toContain('did you mean .customer.name?');
    expect(e.issues).toEqual([{ path: 'statusPageLink.template', message: expect.stringContaining('.customer.nmae') }]);
    expect(e.details).toMatchObject({ field: 'statusPageLink.template', variable: '.customer.nmae' });
    expect(e.httpStatus).toBe(400);
  });

  it('keeps usage variables to the usage-threshold policy', () => {
    expect(() => compileTemplate('{{ .usage.percent }}%', { kind: 'usage-threshold' })).not.toThrow();
    const e = thrown(() => compileTemplate('{{ .usage.percent }}%', { kind: 'status-page-link' }));
    expect(e.message).toContain('unknown variable .usage.percent');
  });

  it.each([
    ['{{ link }}', 'malformed tag {{ link }}', 'a variable starts with a dot'],
    ['{{ }}', 'empty tag {{ }}', 'line 1, column 1'],
    ['Hi {{ .customer.name', 'unclosed tag {{ .customer.name', 'line 1, column 4'],
    ['Hi {{ .customer.name }', 'unclosed tag {{ .customer.name }', "closing '}}'"],
    ['Hi .customer.name }}', "'}}' without a matching '{{'", 'column 19'],
    ['{{ .link | upper }}', 'malformed tag {{ .link | upper }}', 'the only filter is | default'],
    ['{{ .link .plan.name }}', 'malformed tag {{ .link .plan.name }}', 'expected {{ .variable }}'],
    ['{{ .customer..name }}', 'malformed tag {{ .customer..name }}', 'expected'],
  ])('refuses %j naming the tag', (source, what, where) => {
    const e = thrown(() => compileTemplate(source, { kind: 'status-page-link', field: 'statusPageLink.template' }));
    expect(e.code).toBe('INVALID_TEMPLATE');
    expect(e.message).toContain(what);
    expect(e.message).toContain(where);
  });

  it('reports every problem with its line and column', () => {
    const problems = validateNotificationTemplate('Hi {{ .foo }}\nsee {{ .link }} {{ bar }}', 'status-page-link');
    expect(problems.map((p) => [p.code, p.tag, p.line, p.column])).toEqual([
      ['unknown-variable', '{{ .foo }}', 1, 4],
      ['malformed-tag', '{{ bar }}', 2, 17],
    ]);
    expect(validateNotificationTemplate('see {{ .link }}', 'status-page-link')).toEqual([]);
  });

  it('finds an unclosed tag followed by a good one', () => {
    const problems = validateNotificationTemplate('{{ .link  and {{ .plan.name }}', 'status-page-link');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'unclosed-tag', tag: '{{ .link  and', column: 1 });
  });

  it('accepts every documented variable of each policy', () => {
    for (const [kind, variables] of Object.entries(NOTIFICATION_TEMPLATE_VARIABLES)) {
      const source = variables.map((v) => `{{ .${v.path} }}`).join(' ');
      expect(validateNotificationTemplate(source, kind as 'status-page-link')).toEqual([]);
    }
  });
});
