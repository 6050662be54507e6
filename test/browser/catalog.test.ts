/**
 * A steward, a developer and a lawyer in a real browser: from the landing page to a
 * dataset and a purpose; a refused query read with its provisions; the lawyers' trail from
 * an audit entry to the statute text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn, startBrowserHub, type BrowserHub } from './browser.ts';

let env: BrowserHub;
beforeAll(async () => {
  env = await startBrowserHub(new Date('2026-03-10T09:00:00Z'));
});
afterAll(async () => {
  await env?.close();
});

describe('browsing the catalog', () => {
  it('goes from the landing page to the register\'s dataset page by a facet and on to a purpose, compared across regimes', async () => {
    const page = await (await env.browser.newContext({ javaScriptEnabled: false })).newPage();
    await page.goto(env.hub.url);
    await screenshot(page, 'landing');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Datasets' }).click();
    await page.getByLabel('Agency').selectOption('skolverket');
    await page.getByRole('button', { name: 'Search' }).click();
    await screenshot(page, 'datasets-facet');
    await page.getByRole('link', { name: 'Nationellt frånvaroregister (förslag i SOU 2025:108)' }).first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Nationellt frånvaroregister (förslag i SOU 2025:108)');
    await expect(page.getByRole('heading', { name: 'Retention' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'dataset');
    await page.getByRole('link', { name: /Checking föräldrapenning and tillfällig föräldrapenning against the absence register/ }).first().click();
    await expect(page.url()).toBe(`${env.hub.url}/purposes/franvaroregister-kontroll`);
    await expect(page.getByRole('heading', { name: /Differences between the regimes/ }).isVisible()).resolves.toBe(true);
    await expect(page.locator('main').textContent()).resolves.toContain('skolverket-franvaroregister');
    await screenshot(page, 'purpose');
  });
});

describe('a refused query, explained', () => {
  it('lets PM\'s control investigator run a register query, and shows the refusal with the provision that decides it', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, env.hub.url, 'demo-pm-kontrollutredare', '/query');
    await page.getByLabel('Purpose').selectOption('sfb-114-8-p4');
    await page.getByLabel('Decide under').selectOption('sou-2025-108');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect(page.locator('#refusal-code').textContent()).resolves.toBe('purpose-not-permitted');
    await expect(page.locator('#refusal-detail').textContent()).resolves.toContain('skolverket-franvaroregister');
    const provision = page.getByRole('link', { name: 'SOU 2025:108, proposed statutory purpose of the absence register' });
    await screenshot(page, 'query-refused');
    await provision.click();
    await expect(page.url()).toBe(`${env.hub.url}/provisions/sou-2025-108-franvaroregister-andamal`);

    await page.goto(`${env.hub.url}/query`);
    await page.getByLabel('Decide under').selectOption('both');
    await page.getByRole('button', { name: 'Explain' }).click();
    await expect(page.getByRole('heading', { name: 'Explanation under both regimes' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'query-explain-both');
    await context.close();
  });

  it('follows the lawyers\' trail: audit entry → purpose → provision → statute text', async () => {
    const page = await (await env.browser.newContext({ javaScriptEnabled: false })).newPage();
    // The trail is scoped to the reader's agency: PM's data protection officer follows up PM's refusal.
    await signIn(page, env.hub.url, 'demo-pm-dataskydd', '/trail');
    await screenshot(page, 'trail');
    const refused = page.locator('#trail tr', { hasText: 'purpose-not-permitted' }).first();
    await refused.getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Audit entry \d+$/);
    await expect(page.locator('#entry-purpose').textContent()).resolves.toContain('sfb-114-8-p4');
    await screenshot(page, 'trail-entry');
    await page.locator('#entry-purpose a').first().click();
    await expect(page.url()).toBe(`${env.hub.url}/purposes/sfb-114-8-p4`);
    await page.getByRole('link', { name: /SFB 114 kap\. 8 § (p\. )?4|SFB 114 kap. 8 §/ }).first().click();
    await expect(page.getByRole('heading', { name: 'Statute text' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'provision');
  });
});
