/**
 * A school's reporter in a real browser: signs in, reports one child's day through the
 * form, sees an inline error, and reports a class by CSV. No JavaScript on the pages: what
 * is tested is the server-rendered form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, signIn, startBrowserHub, type BrowserHub } from './browser.ts';

const REGISTER = 'skolverket-franvaroregister';
let env: BrowserHub;
let page: Page;

beforeAll(async () => {
  env = await startBrowserHub(new Date('2026-03-10T09:00:00Z'));
  page = await (await env.browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(page, env.hub.url, 'demo-skolrapportor', `/register/${REGISTER}/report`);
});
afterAll(async () => {
  await env?.close();
});

async function fillOneChild(p: Page, personnummer: string): Promise<void> {
  await p.getByLabel('Barnets eller elevens personnummer').fill(personnummer);
  await p.getByLabel('Skolenhetskod').fill('39867213');
  await p.getByLabel('Skolform').selectOption('grundskola');
  await p.getByLabel('Dag', { exact: true }).fill('2026-03-09');
  await p.getByLabel('Frånvaro (absence)').check();
  await p.getByLabel('Hel dag (whole day)').check();
  await p.getByLabel('Giltig frånvaro (valid)').check();
}

describe('reporting absence in the browser', () => {
  it('shows an inline error next to the field and a summary linking to it', async () => {
    await fillOneChild(page, '201503141235');
    await page.getByRole('button', { name: 'Send report' }).click();
    await expect(page.title()).resolves.toMatch(/^Error: /);
    const summary = page.getByRole('alert');
    await expect(summary.getByRole('heading').textContent()).resolves.toBe('There is a problem');
    const link = summary.getByRole('link', { name: /personnummer is not valid/ });
    await expect(link.getAttribute('href')).resolves.toBe('#f-personnummer');
    const field = page.getByLabel('Barnets eller elevens personnummer');
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(field.inputValue()).resolves.toBe('201503141235');
    await expect(page.locator('#f-personnummer-error').textContent()).resolves.toContain('check digit 5 is wrong');
    await screenshot(page, 'report-error');
  });

  it('reports one child\'s day through the form and gives a receipt', async () => {
    await page.goto(`${env.hub.url}/register/${REGISTER}/report`);
    await screenshot(page, 'report-form');
    await fillOneChild(page, '201503141234');
    await page.getByRole('button', { name: 'Send report' }).click();
    await expect(page.getByRole('heading', { name: 'Report received' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('#receipt-count').textContent()).resolves.toBe('1');
    await expect(page.locator('#receipt-hash').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await screenshot(page, 'report-receipt');
  });

  it('refuses the same child, day and school unit a second time', async () => {
    await page.goto(`${env.hub.url}/register/${REGISTER}/report`);
    await fillOneChild(page, '201503141234');
    await page.getByRole('button', { name: 'Send report' }).click();
    await expect(page.locator('#f-personnummer-error').textContent()).resolves.toContain('already been reported');
  });

  it('reports a class by CSV upload, and lists a bad file\'s rows', async () => {
    await page.goto(`${env.hub.url}/register/${REGISTER}/report`);
    const bad = 'personnummer,skolenhetskod,skolform,datum,narvarostatus,omfattning,giltig\n201211024565,39867213,grundskola,2026-03-12,narvaro,hel,\n';
    await page.getByLabel('CSV file').setInputFiles({ name: 'klass-3b.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Upload and report' }).click();
    await expect(page.getByRole('alert').getByRole('link', { name: /Row 1, datum: 2026-03-12 is in the future/ }).getAttribute('href')).resolves.toBe('#f-csv');
    await expect(page.locator('#csv-errors').textContent()).resolves.toContain('in the future');
    await screenshot(page, 'report-csv-error');

    const good = 'personnummer,skolenhetskod,skolform,datum,narvarostatus,omfattning,giltig\n201211024565,39867213,grundskola,2026-03-09,narvaro,hel,\n201906307895,48210557,forskola,2026-03-09,franvaro,del,nej\n';
    await page.getByLabel('CSV file').setInputFiles({ name: 'klass-3b.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.getByRole('button', { name: 'Upload and report' }).click();
    await expect(page.locator('#receipt-count').textContent()).resolves.toBe('2');
  });

  it('is usable by keyboard alone: the form fields are reached with Tab in order', async () => {
    await page.goto(`${env.hub.url}/register/${REGISTER}/report`);
    await page.getByLabel('Barnets eller elevens personnummer').focus();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-skolenhetskod');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('f-skolform');
  });
});
