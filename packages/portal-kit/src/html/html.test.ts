import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

describe('html', () => {
  it('escapes interpolated strings in text and attributes', () => {
    const label = `<script>alert("x")</script>&'`;
    expect(html`<p title="${label}">${label}</p>`.toString()).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });

  it('keeps nested templates and arrays as markup, drops empty values', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}${0}</ul>`.toString()).toBe(
      '<ul><li>a&lt;b</li><li>c</li>0</ul>',
    );
  });

  it('raw() is not escaped, escapeHtml leaves plain text alone', () => {
    expect(html`${raw('<br>')}`.toString()).toBe('<br>');
    expect(escapeHtml('plain')).toBe('plain');
  });
});
