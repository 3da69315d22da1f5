import type { NotificationKind } from '../domain/notification.js';
import { HotspotKitError } from '../errors.js';
import { allowedVariablePaths } from './template-variables.js';

/** What is wrong with a template, and where (1-based line and column of the tag). */
export interface TemplateProblem {
  code: 'unknown-variable' | 'malformed-tag' | 'unclosed-tag' | 'unopened-tag';
  message: string;
  /** The tag as written, e.g. `{{ .customer.nmae }}` (shortened when long). */
  tag: string;
  /** For `unknown-variable`: the variable as written, with its dot, e.g. `.customer.nmae`. */
  variable?: string;
  line: number;
  column: number;
}

type Part = string | { path: string; fallback?: string };

/** A parsed template, ready to render many times. */
export interface CompiledTemplate {
  readonly source: string;
  /** Variable paths it uses, without the dot, e.g. `['link', 'customer.name']`. */
  readonly variables: readonly string[];
  readonly parts: readonly Part[];
}

const PATH = String.raw`[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*`;
const VARIABLE_TAG = new RegExp(String.raw`^\.(${PATH})(?:\s*\|\s*default\s+"((?:[^"\\]|\\.)*)")?$`);
const MISSING_DOT = new RegExp(`^${PATH}$`);

/**
 * Parses a Powerlynx-style template: text with `{{ .path }}` tags (spaces inside the braces
 * optional), and `{{ .path | default "text" }}` for a fallback when the value is empty.
 * Returns every problem found, so an operator can fix them all at once; `allowed` limits the
 * variables (see `NOTIFICATION_TEMPLATE_VARIABLES`).
 */
export function parseTemplate(
  source: string,
  allowed: ReadonlySet<string>,
): { template: CompiledTemplate | null; problems: TemplateProblem[] } {
  const parts: Part[] = [];
  const problems: TemplateProblem[] = [];
  const variables = new Set<string>();
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    const textEnd = open === -1 ? source.length : open;
    const text = source.slice(i, textEnd);
    const stray = text.indexOf('}}');
    if (stray !== -1) {
      const at = position(source, i + stray);
      problems.push({
        code: 'unopened-tag',
        message: `'}}' without a matching '{{' at line ${at.line}, column ${at.column}`,
        tag: '}}',
        ...at,
      });
    }
    if (text) parts.push(text);
    if (open === -1) break;

    const close = source.indexOf('}}', open + 2);
    const nextOpen = source.indexOf('{{', open + 2);
    const at = position(source, open);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const stop = nextOpen === -1 ? source.length : nextOpen;
      const tag = shorten(source.slice(open, stop).trimEnd());
      problems.push({
        code: 'unclosed-tag',
        message: `unclosed tag ${tag} at line ${at.line}, column ${at.column}: it needs a closing '}}'`,
        tag,
        ...at,
      });
      i = stop;
      continue;
    }

    const tag = source.slice(open, close + 2);
    const inner = source.slice(open + 2, close).trim();
    const match = VARIABLE_TAG.exec(inner);
    if (!match) {
      problems.push({ code: 'malformed-tag', message: malformedMessage(tag, inner, at), tag: shorten(tag), ...at });
    } else {
      const path = match[1] as string;
      if (!allowed.has(path)) {
        problems.push({
          code: 'unknown-variable',
          message: unknownMessage(path, allowed, at),
          tag: shorten(tag),
          variable: `.${path}`,
          ...at,
        });
      } else {
        variables.add(path);
        const fallback = match[2] === undefined ? undefined : match[2].replace(/\\(.)/g, '$1');
        parts.push(fallback === undefined ? { path } : { path, fallback });
      }
    }
    i = close + 2;
  }
  if (problems.length > 0) return { template: null, problems };
  return { template: { source, variables: [...variables], parts }, problems };
}

/**
 * Compiles a notification template or throws `INVALID_TEMPLATE` naming the field and every
 * bad tag (`issues[].path` is the field, `details.problems` lists them with line and column).
 *
 * @example
 * ```ts
 * compileTemplate('Hi {{ .customer.nmae }}', { kind: 'status-page-link', field: 'statusPageLink.template' })
 * // HotspotKitError INVALID_TEMPLATE: statusPageLink.template: unknown variable .customer.nmae ... (did you mean .customer.name?)
 * ```
 */
export function compileTemplate(
  source: string,
  options: { kind?: NotificationKind; field?: string } = {},
): CompiledTemplate {
  const field = options.field ?? 'template';
  if (typeof source !== 'string') {
    throw new HotspotKitError('INVALID_TEMPLATE', `Invalid template ${field}: must be a string`, {
      issues: [{ path: field, message: 'must be a string' }],
      details: { field },
    });
  }
  const { template, problems } = parseTemplate(source, allowedVariablePaths(options.kind));
  if (template) return template;
  throw templateError(field, problems, options.kind);
}

/** The `INVALID_TEMPLATE` error for `problems` found in `field`. */
export function templateError(field: string, problems: TemplateProblem[], kind?: NotificationKind): HotspotKitError {
  let summary = problems.map((p) => p.message).join('; ');
  if (problems.some((p) => p.code === 'unknown-variable')) {
    summary += ` (known variables: ${[...allowedVariablePaths(kind)].map((p) => `.${p}`).join(', ')})`;
  }
  const first = problems[0];
  return new HotspotKitError('INVALID_TEMPLATE', `Invalid template ${field}: ${summary}`, {
    issues: problems.map((p) => ({ path: field, message: p.message })),
    details: {
      field,
      tag: first?.tag,
      variable: first?.variable,
      problems: problems.map(({ message: _m, ...rest }) => rest),
    },
  });
}

/**
 * Renders a compiled template. Missing or empty values render as their `default` text, else
 * as nothing. Values are inserted as they are: an SMS is plain text, nothing is escaped.
 */
export function renderTemplate(
  template: CompiledTemplate,
  values: Readonly<Record<string, string | undefined>>,
): string {
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') out += part;
    else {
      const value = values[part.path];
      out += value === undefined || value === '' ? (part.fallback ?? '') : value;
    }
  }
  return out;
}

/**
 * Checks a template for a policy without throwing: the problems found (empty when it is
 * fine). Meant for an admin UI that validates as the operator types.
 *
 * @example
 * ```ts
 * validateNotificationTemplate('{{ .usage.percent }}% used', 'status-page-link')
 * // [{ code: 'unknown-variable', variable: '.usage.percent', line: 1, column: 1, ... }]
 * ```
 */
export function validateNotificationTemplate(source: string, kind?: NotificationKind): TemplateProblem[] {
  return parseTemplate(source, allowedVariablePaths(kind)).problems;
}

function position(source: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = source.indexOf('\n'); k !== -1 && k < index; k = source.indexOf('\n', k + 1)) {
    line += 1;
    lineStart = k + 1;
  }
  return { line, column: index - lineStart + 1 };
}

function shorten(tag: string): string {
  return tag.length > 40 ? `${tag.slice(0, 37)}...` : tag;
}

function malformedMessage(tag: string, inner: string, at: { line: number; column: number }): string {
  const where = `at line ${at.line}, column ${at.column}`;
  const shown = shorten(tag);
  if (inner === '') return `empty tag ${shown} ${where}`;
  if (MISSING_DOT.test(inner))
    return `malformed tag ${shown} ${where}: a variable starts with a dot, e.g. {{ .${inner} }}`;
  if (inner.startsWith('.') && inner.includes('|')) {
    return `malformed tag ${shown} ${where}: the only filter is | default "text"`;
  }
  return `malformed tag ${shown} ${where}: expected {{ .variable }}, e.g. {{ .link }}`;
}

function unknownMessage(path: string, allowed: ReadonlySet<string>, at: { line: number; column: number }): string {
  const suggestion = closest(path, allowed);
  return (
    `unknown variable .${path} at line ${at.line}, column ${at.column}` +
    (suggestion ? ` (did you mean .${suggestion}?)` : '')
  );
}

function closest(path: string, allowed: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const d = distance(path.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(path.length / 4)) ? best : undefined;
}

/** Levenshtein distance (short strings only). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = row;
  }
  return prev[b.length] as number;
}
