import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { axeViolations, checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, PROJECT_DIR, type TestDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const SCREENSHOTS = path.join(PROJECT_DIR, 'test-results');

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await database?.drop();
});

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true },
	{ name: 'without JavaScript', javaScriptEnabled: false }
])('home page $name', ({ name, javaScriptEnabled }) => {
	it('shows the region at a glance, the measured indicators of each area, "not yet measured", and labels sample data', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		const response = await page.goto(server.url + '/');
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('How are we doing, Sacramento?');
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
		const areas = page.locator('.dash-area');
		expect(await areas.count()).toBe(6);
		// The 12 sample indicators have data and get a row each; the other 38 wait under "Not yet measured (n)".
		expect(await page.locator('.dash-row').count()).toBe(12);
		expect(await page.locator('.glance__line').textContent()).toContain('12 of 50 indicators have data');
		const counts = await page.locator('.glance__count').allTextContents();
		expect(counts.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual([
			expect.stringMatching(/^\d+ Improving$/),
			expect.stringMatching(/^\d+ Steady$/),
			expect.stringMatching(/^\d+ Worsening$/),
			expect.stringMatching(/^\d+ Not reported$/)
		]);
		expect(counts.reduce((sum, c) => sum + Number(c.trim().split(/\s/)[0]), 0)).toBe(12);
		const unmeasured = await page.locator('.dash-area__unmeasured summary').allTextContents();
		expect(unmeasured.reduce((sum, t) => sum + Number(/\((\d+)\)/.exec(t)![1]), 0)).toBe(38);
		expect(await page.locator('.dash-area__unmeasured[open]').count()).toBe(0);
		// A measured row: latest value with unit and year, a sparkline, a status and the change since the base year.
		const row = page.locator('.dash-row', { has: page.locator('a[href="/indicators/unemployment"]') });
		expect((await row.locator('.dash-row__value').textContent())!.replace(/\s+/g, ' ')).toMatch(/^ ?\d[\d.,]* percent of labor force in \d{4} ?$/);
		expect(await row.locator('svg.sparkline').count()).toBe(1);
		expect(await row.locator('.status').count()).toBe(1);
		expect(await row.locator('.dash-row__change').textContent()).toMatch(/^\s*[+-]?[\d.,]+ since 2015\s*$/);
		expect(await page.locator('.legend').textContent()).toMatch(/Improving.*Steady.*Worsening.*Not reported/s);
		// Sample data is marked wherever it appears.
		expect(await page.locator('.sample-notice').textContent()).toContain('not official statistics');
		expect(await page.locator('.dash-row .sample-tag').count()).toBe(12);
		await page.screenshot({ path: path.join(SCREENSHOTS, `home-${javaScriptEnabled ? 'js' : 'nojs'}.png`), fullPage: true });
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await context.close();
	});
});

describe('pages behind the home page', () => {
	it('area and indicator pages render, are accessible, and label sample data', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/');
		const areaLink = page.locator('.dash-area__title a').first();
		const areaName = await areaLink.textContent();
		await areaLink.click();
		await expect(page.locator('h1').textContent()).resolves.toBe(areaName);
		expect(await checkAccessibility(browser, page, false)).toEqual([]);

		const sampleIndicator = page.locator('.indicator-rows__item', { has: page.locator('.sample-tag') }).first();
		await sampleIndicator.locator('a').first().click();
		expect(page.url()).toContain('/indicators/');
		expect(await page.locator('.notice').textContent()).toContain('not official statistics');
		expect(await page.locator('table caption').textContent()).toContain('Sample data');
		expect(await page.locator('table tbody tr').count()).toBeGreaterThan(5);
		await page.screenshot({ path: path.join(SCREENSHOTS, 'indicator-nojs.png'), fullPage: true });
		expect(await checkAccessibility(browser, page, false)).toEqual([]);
		await context.close();
	});

	it('filters by status with a plain GET form, without JavaScript', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/');
		const improving = Number((await page.locator('.glance__count').first().textContent())!.trim().split(/\s/)[0]);
		await page.getByLabel('Show indicators').selectOption('improving');
		await page.getByRole('button', { name: 'Show' }).click();
		expect(new URL(page.url()).search).toBe('?status=improving');
		expect(await page.locator('.status-filter__active').textContent()).toContain('Showing only: Improving.');
		await expect(page.getByLabel('Show indicators').inputValue()).resolves.toBe('improving');
		expect(await page.locator('.dash-row').count()).toBe(improving);
		expect(await page.locator('.dash-row .status--improving').count()).toBe(improving);
		expect(await page.locator('.dash-area__unmeasured').count()).toBe(0);
		// The summary still counts the whole region.
		expect(await page.locator('.glance__line').textContent()).toContain('12 of 50 indicators have data');
		expect(await checkAccessibility(browser, page, false)).toEqual([]);

		// "Not reported" keeps the indicators without data, under "Not yet measured".
		await page.goto(server.url + '/?status=not_reported');
		expect(await page.locator('.dash-row .status--improving, .dash-row .status--steady, .dash-row .status--worsening').count()).toBe(0);
		expect(await page.locator('.dash-area__unmeasured').count()).toBeGreaterThan(0);
		// An unknown status shows everything.
		await page.goto(server.url + '/?status=bogus');
		expect(await page.locator('.dash-row').count()).toBe(12);
		expect(await page.locator('.status-filter__active').count()).toBe(0);
		await context.close();
	});

	it('switches to Spanish without JavaScript and remembers it', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/');
		await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Español' }).click();
		// The Spanish page has its own address, which anyone can be sent.
		expect(new URL(page.url()).pathname).toBe('/es');
		await expect(page.locator('h1').textContent()).resolves.toBe('¿Cómo vamos, Sacramento?');
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
		expect(await page.locator('.legend').textContent()).toContain('Mejorando');
		await page.goto(server.url + '/');
		await expect(page.locator('h1').textContent()).resolves.toBe('¿Cómo vamos, Sacramento?');
		expect(await checkAccessibility(browser, page, false)).toEqual([]);
		await page.screenshot({ path: path.join(SCREENSHOTS, 'home-es.png'), fullPage: true });
		await context.close();
	});

	it('answers an unknown page with a real 404 page, no stack trace', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		for (const url of ['/no-such-page', '/areas/no-such-area', '/indicators/no-such-indicator', '/language/xx']) {
			const response = await page.goto(server.url + url);
			expect(response?.status(), url).toBe(404);
			await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
			expect(await page.content()).not.toMatch(/\bat .+\.(js|ts):\d+/);
		}
		expect(await axeViolations(page)).toEqual([]);
		await context.close();
	});
});

describe('HTTP protections', () => {
	it('sends security headers and a Content-Security-Policy', async () => {
		const response = await fetch(server.url + '/');
		expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
		expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});

	it('never redirects off-site from the language switch', async () => {
		const response = await fetch(server.url + '/language/es?to=//evil.example/', { redirect: 'manual' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/es');
	});
});
