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
	it('shows the six areas, their indicators with status markers, and labels sample data', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		const response = await page.goto(server.url + '/');
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('How are we doing, Sacramento?');
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
		const areas = page.locator('.area-card');
		expect(await areas.count()).toBe(6);
		expect(await page.locator('.area-card .indicator-list__item').count()).toBe(50);
		expect(await page.locator('.legend').textContent()).toMatch(/Improving.*Steady.*Worsening.*Not reported/s);
		// Sample data is marked wherever it appears.
		expect(await page.locator('.sample-notice').textContent()).toContain('not official statistics');
		expect(await page.locator('.indicator-list__item .sample-tag').count()).toBeGreaterThanOrEqual(12);
		// Statuses come from data: sample indicators carry computed markers, the rest "not reported".
		const markers = await page.locator('.indicator-list__item .status').evaluateAll((els) => els.map((e) => e.className));
		expect(markers.filter((c) => c.includes('status--not-reported')).length).toBeLessThan(50);
		expect(markers.some((c) => /status--(improving|steady|worsening)/.test(c))).toBe(true);
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
		const areaLink = page.locator('.area-card__title a').first();
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

	it('switches to Spanish without JavaScript and remembers it', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/');
		await page.getByRole('link', { name: 'Leer en español' }).click();
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
		expect(response.headers.get('location')).toBe('/');
	});
});
