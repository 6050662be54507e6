/**
 * Server-rendered HTML without a framework: an `html` tagged template that escapes every
 * interpolated value unless it is already `SafeHtml`, and the shared page layout. Pages of
 * every subsystem use `layout({ title, body })`, so the navigation and styles stay in one
 * place. Swedish text is marked with `lang="sv"` (see `text()`), the page itself is English.
 */
import type { LangText } from '../catalog/model.ts';

export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Trusted markup, inserted as is. Never pass user or catalog text here. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v) => render(v as HtmlValue)).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\``: interpolations are escaped; arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Language-tagged text in the preferred language where present, else the other, else
 * untagged text. Pages are English, so Swedish text is always marked lang="sv".
 */
export function text(t: LangText | undefined, prefer: 'en' | 'sv' = 'en'): SafeHtml {
  if (!t) return html``;
  const order: ('sv' | 'en' | '')[] = prefer === 'en' ? ['en', 'sv', ''] : ['sv', 'en', ''];
  for (const lang of order) {
    const value = t[lang];
    if (value === undefined) continue;
    return lang === 'sv' ? html`<span lang="sv">${value}</span>` : html`${value}`;
  }
  return html``;
}

/** Both languages where both are present: Swedish first (the term of art), English after. */
export function bilingual(t: LangText | undefined): SafeHtml {
  if (!t) return html``;
  if (t.sv && t.en && t.sv !== t.en) return html`<span lang="sv">${t.sv}</span> <span class="en">(${t.en})</span>`;
  return text(t);
}

/** Plain-text form of language-tagged text (for <title> and attributes). */
export function plain(t: LangText | undefined, prefer: 'en' | 'sv' = 'en'): string {
  if (!t) return '';
  return (prefer === 'en' ? t.en ?? t.sv : t.sv ?? t.en) ?? t[''] ?? '';
}

export interface NavItem {
  href: string;
  label: string;
}

/** The top navigation. Later subsystems' pages live at these paths. */
export const NAV: NavItem[] = [
  { href: '/datasets', label: 'Datasets' },
  { href: '/purposes', label: 'Purposes' },
  { href: '/provisions', label: 'Provisions' },
  { href: '/sparql', label: 'SPARQL' },
  { href: '/query', label: 'Query' },
  { href: '/register', label: 'Absence register' },
  { href: '/trail', label: 'Audit trail' },
  { href: '/quality', label: 'Quality' },
  { href: '/interoperability', label: 'Interoperability' },
];

export interface LayoutOptions {
  title: string;
  body: SafeHtml;
  /** Path of the current section, to mark it in the navigation (`/datasets`). */
  active?: string;
  /** Extra elements for <head> (alternate links, styles). */
  head?: SafeHtml;
  /** Language of the page's own text; `en` unless the page is Swedish throughout. */
  lang?: 'en' | 'sv';
}

const STYLE = `
:root { color-scheme: light dark; --accent: #1d5fa8; --muted: #666; --line: #ccc; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; }
header { border-bottom: 1px solid var(--line); padding: .5rem 1rem; display: flex; gap: 2rem; align-items: baseline; flex-wrap: wrap; }
header a.brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; flex-wrap: wrap; }
nav a[aria-current="page"] { font-weight: 700; text-decoration: underline; }
main { padding: 1rem; max-width: 75rem; }
a { color: var(--accent); }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
.muted, .en { color: var(--muted); }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: .25rem; padding: 0 .3rem; margin: 0 .2rem .2rem 0; font-size: .85rem; }
form.facets { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: 1rem; }
form.facets label { display: flex; flex-direction: column; font-size: .9rem; }
code { font-size: .9em; overflow-wrap: anywhere; }
blockquote { border-left: 3px solid var(--line); margin: .5rem 0; padding-left: .75rem; }
tr.differs th, tr.differs td { border-left-width: 3px; }
.diff-added { background: #e6f4ea; color: #0b3d1b; }
.diff-removed { background: #fdecea; color: #5c0a0a; }
footer { border-top: 1px solid var(--line); padding: .5rem 1rem; font-size: .85rem; color: var(--muted); }
`;

export function layout(options: LayoutOptions): string {
  const active = options.active;
  const page = html`<!DOCTYPE html>
<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} — Datalyft</title>
<style>${raw(STYLE)}</style>
${options.head}
</head>
<body>
<header>
<a class="brand" href="/">Datalyft</a>
<nav aria-label="Main"><ul>
${NAV.map((item) => html`<li><a href="${item.href}"${active === item.href ? raw(' aria-current="page"') : ''}>${item.label}</a></li>`)}
</ul></nav>
</header>
<main id="main">
${options.body}
</main>
<footer>Datalyft — catalog and purpose gate for <span lang="sv">Försäkringskassan</span> and <span lang="sv">Pensionsmyndigheten</span>. <a href="/">API index</a>.</footer>
</body>
</html>
`;
  return page.value;
}
