import { describe, expect, it } from 'vitest';
import { bilingual, html, layout, NAV, plain, raw, text } from '../../src/http/html.ts';

describe('html', () => {
  it('escapes every interpolated value', () => {
    const evil = '<script>alert("x")</script> & \'quotes\'';
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
  });

  it('inserts nested html and raw markup as is, and joins arrays', () => {
    const items = ['a<b', 'c'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}</ul>${raw('<hr>')}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(html`[${null}${undefined}${false}${0}${3.5}]`.value).toBe('[03.5]');
  });

  it('marks Swedish text with lang="sv"', () => {
    expect(text({ sv: 'Ärende', en: 'Case' }).value).toBe('Case');
    expect(text({ sv: 'Ärende', en: 'Case' }, 'sv').value).toBe('<span lang="sv">Ärende</span>');
    expect(text({ sv: 'Ärende' }).value).toBe('<span lang="sv">Ärende</span>');
    expect(bilingual({ sv: 'Ärende', en: 'Case' }).value).toBe('<span lang="sv">Ärende</span> <span class="en">(Case)</span>');
    expect(plain({ sv: 'Ärende', en: 'Case' }, 'sv')).toBe('Ärende');
  });
});

describe('layout', () => {
  it('wraps a body in the shared page with the navigation, marking the current section', () => {
    const page = layout({ title: 'Datasets <all>', body: html`<h1>Hi</h1>`, active: '/datasets' });
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(page).toContain('<title>Datasets &lt;all&gt; — Datalyft</title>');
    expect(page).toContain('<main id="main">\n<h1>Hi</h1>\n</main>');
    expect(page).toContain('<a href="/datasets" aria-current="page">Datasets</a>');
    for (const item of NAV) expect(page).toContain(`href="${item.href}"`);
    expect(NAV.map((n) => n.label)).toEqual(['Datasets', 'Purposes', 'Provisions', 'SPARQL', 'Query', 'Absence register', 'Audit trail', 'Quality', 'Interoperability']);
  });
});
