import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
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

/** Heading levels in document order; each may go down at most one level, starting at h1. */
async function headingLevels(page: Page): Promise<number[]> {
	return page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((els) => els.map((e) => Number(e.tagName.slice(1))));
}

function expectHeadingOrder(levels: number[]) {
	expect(levels[0]).toBe(1);
	expect(levels.filter((l) => l === 1)).toHaveLength(1);
	for (let i = 1; i < levels.length; i++) expect(levels[i]!, `heading ${i}: ${levels.join(',')}`).toBeLessThanOrEqual(levels[i - 1]! + 1);
}

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true },
	{ name: 'without JavaScript', javaScriptEnabled: false }
])('portal pages $name', ({ name, javaScriptEnabled }) => {
	const suffix = javaScriptEnabled ? 'js' : 'nojs';

	it('searches from the header and shows ranked results with snippets', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		await page.goto(server.url + '/');
		const headerSearch = page.getByRole('search', { name: 'Search the site' });
		await headerSearch.getByLabel('Search areas and indicators').fill('traffic');
		await headerSearch.getByRole('button', { name: 'Search' }).click();
		await page.waitForURL(/\/search\?q=traffic$/);
		await expect(page.locator('h1').textContent()).resolves.toBe('Search');
		// The query is echoed in the page's own form and in the count.
		await expect(page.locator('main #search-q').inputValue()).resolves.toBe('traffic');
		expect(await page.locator('.search-count').textContent()).toMatch(/Results for “traffic”: \d+/);
		const titles = await page.locator('.search-result__title a').allTextContents();
		expect(titles.slice(0, 2).sort()).toEqual(['Traffic Congestion', 'Traffic Fatalities']);
		expect(await page.locator('.search-result__title a').first().getAttribute('href')).toMatch(/^\/indicators\/traffic-/);
		expect(await page.locator('.search-result mark').count()).toBeGreaterThan(2);
		expect(await page.locator('.search-result__snippet').first().textContent()).toMatch(/traffic/i);
		await page.screenshot({ path: path.join(SCREENSHOTS, `search-traffic-${suffix}.png`), fullPage: true });
		expectHeadingOrder(await headingLevels(page));
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await context.close();
	});

	it('says when nothing is found, with suggestions and the areas to browse', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		const response = await page.goto(server.url + '/search?q=' + encodeURIComponent('zzqx qqzz'));
		expect(response?.status()).toBe(200);
		expect(await page.locator('.search-count').textContent()).toBe('Nothing found for “zzqx qqzz”.');
		expect(await page.locator('.search-suggestions a[href^="/areas/"]').count()).toBe(6);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await context.close();
	});

	it('shows the reporting status per area, with a text summary and a bar', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		const response = await page.goto(server.url + '/reporting-status');
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('Reporting status');
		expect(await page.locator('.reporting-summary').first().textContent()).toBe('50 indicators: 0 complete, 0 in progress, 50 not started.');
		expect(await page.locator('main').textContent()).toContain('12 of 50 have data (12 of them sample data).');
		expect(await page.locator('.reporting-group').count()).toBe(6);
		expect(await page.locator('.reporting-group tbody tr').count()).toBe(50);
		expect(await page.locator('.reporting-group .sample-tag').count()).toBe(12);
		const bar = page.locator('.status-bar[role="img"]').first();
		expect(await bar.getAttribute('aria-label')).toContain('50 not started');
		await page.screenshot({ path: path.join(SCREENSHOTS, `reporting-status-${suffix}.png`), fullPage: true });
		expectHeadingOrder(await headingLevels(page));
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await context.close();
	});

	it('explains the methodology with its thresholds table', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		const response = await page.goto(server.url + '/methodology');
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('How progress is measured');
		expect(await page.locator('table caption').textContent()).toBe('Thresholds for each status');
		expect(await page.locator('table tbody tr').count()).toBe(6);
		const text = (await page.locator('main').textContent()) ?? '';
		for (const phrase of ['growth rate', '1.5% or more', '95% or more', 'a projection, not data', 'Sample data', 'Statistics Canada']) {
			expect(text).toContain(phrase);
		}
		// The in-page contents link to every section.
		for (const href of await page.locator('nav a[href^="#"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
			expect(await page.locator(href!).count(), href!).toBe(1);
		}
		await page.screenshot({ path: path.join(SCREENSHOTS, `methodology-${suffix}.png`), fullPage: true });
		expectHeadingOrder(await headingLevels(page));
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await context.close();
	});
});

describe('search without JavaScript', () => {
	it('/search?q=air works, is accessible, and echoes a hostile query as text', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/search?q=air');
		const titles = await page.locator('.search-result__title a').allTextContents();
		expect(titles.slice(0, 2).sort()).toEqual(['Air Quality (Ozone)', 'Air Quality (Particulate Matter)']);
		await page.screenshot({ path: path.join(SCREENSHOTS, 'search-air-nojs.png'), fullPage: true });
		expect(await checkAccessibility(browser, page, false)).toEqual([]);

		const hostile = '<script>alert(1)</script> \'; drop table indicator; --';
		const response = await page.goto(server.url + '/search?q=' + encodeURIComponent(hostile));
		expect(response?.status()).toBe(200);
		await expect(page.locator('main #search-q').inputValue()).resolves.toBe(hostile);
		expect(await page.locator('main script').count()).toBe(0);
		expect(await page.locator('.search-count').textContent()).toContain('<script>');
		await context.close();
	});

	it('finds what people type, grouped by kind, under a visibly labelled header search box', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		await page.goto(server.url + '/search?q=jobs');
		// The header's label is on screen, not only for screen readers.
		const label = page.locator('header label[for="site-search-q"]');
		expect(await label.textContent()).toBe('Search areas and indicators');
		const box = await label.boundingBox();
		expect(box?.width).toBeGreaterThan(50);
		expect(box?.height).toBeGreaterThan(10);
		expect(await label.evaluate((el) => getComputedStyle(el).clipPath + getComputedStyle(el).position)).not.toMatch(/inset|absolute/);
		// Then stories, areas, and who is involved: the sample directory's job organizations and Jobs Pathways.
		expect(await page.locator('.search-group__heading').allTextContents()).toEqual([
			expect.stringMatching(/^\s*Indicators \(\d+\)\s*$/),
			expect.stringMatching(/^\s*Stories \(\d+\)\s*$/),
			expect.stringMatching(/^\s*Areas \(\d+\)\s*$/),
			expect.stringMatching(/^\s*Organizations \(\d+\)\s*$/),
			expect.stringMatching(/^\s*Programs \(\d+\)\s*$/)
		]);
		expect(await page.locator('.search-group').nth(1).locator('.search-result__title a').getAttribute('href')).toBe('/stories/jobs-after-two-downturns');
		expect(await page.locator('.search-group').nth(1).locator('.search-result .sample-tag').count()).toBe(1);
		const titles = await page.locator('.search-group').first().locator('.search-result__title a').allTextContents();
		expect(titles).toEqual(expect.arrayContaining(['Unemployment', 'Employment Growth']));
		expectHeadingOrder(await headingLevels(page));
		expect(await checkAccessibility(browser, page, false)).toEqual([]);

		await page.goto(server.url + '/search?q=' + encodeURIComponent('housing cost'));
		await expect(page.locator('.search-result__title a').first().textContent()).resolves.toBe('Housing Prices');

		const response = await page.goto(server.url + '/search?q=' + encodeURIComponent('"*) OR 1=1 -- NEAR( ^'));
		expect(response?.status()).toBe(200);
		expect(await page.locator('.search-result').count()).toBeLessThan(5);
		await context.close();
	});

	it('/contact is a labelled form that names each field with a problem, refuses a filled honeypot, and is linked from the footer', async () => {
		for (const language of ['en', 'es'] as const) {
			const context = await browser.newContext({ javaScriptEnabled: false });
			await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: language, url: server.url }]);
			const page = await context.newPage();
			await page.goto(server.url + '/');
			await page.locator('footer a[href="/contact"]').click();
			await page.waitForURL(/\/contact$/);
			expect(await page.locator('footer a[href^="https://"]').count()).toBeGreaterThan(0);
			await expect(page.locator('h1').textContent()).resolves.toBe(language === 'en' ? 'Contact us' : 'Contáctenos');
			for (const id of ['name', 'email', 'topic', 'message']) expect(await page.locator(`label[for="${id}"]`).isVisible(), id).toBe(true);
			// The honeypot is out of sight and out of the accessibility tree.
			expect(await page.locator('#website').isVisible()).toBe(true); // rendered, but off screen
			expect((await page.locator('#website').boundingBox())!.x).toBeLessThan(0);
			expect(await checkAccessibility(browser, page, false), language).toEqual([]);

			await page.locator('#email').fill('not an address');
			const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('main form button[type="submit"]').click()]);
			expect(response.status()).toBe(400);
			const summary = page.getByRole('alert');
			expect(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#name', '#email', '#topic', '#message']);
			expect(await page.locator('#email-error').textContent()).toContain(language === 'en' ? 'e-mail address like name@example.org' : 'correo electrónico como');
			expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
			await expect(page.locator('#email').inputValue()).resolves.toBe('not an address');
			expectHeadingOrder(await headingLevels(page));
			expect(await checkAccessibility(browser, page, false), language).toEqual([]);
			await context.close();
		}

		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/contact');
		await page.locator('#name').fill('Robot');
		await page.locator('#email').fill('robot@example.org');
		await page.locator('#topic').selectOption('other');
		await page.locator('#message').fill('Buy cheap things at our shop.');
		await page.locator('#website').fill('http://spam.example', { force: true });
		const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('main form button[type="submit"]').click()]);
		expect(response.status()).toBe(400);
		expect(await page.getByRole('alert').textContent()).toContain('was not sent');
		expect(await page.getByRole('status').count()).toBe(0);
		await context.close();
	});

	it('shortens a very long query and says so', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		const response = await page.goto(server.url + '/search?q=' + 'traffic%20'.repeat(300));
		expect(response?.status()).toBe(200);
		expect(await page.locator('.notice').textContent()).toContain('only its first words were used');
		expect(await page.locator('.search-result').count()).toBeGreaterThan(0);
		await context.close();
	});

	it('searches in Spanish, accents or not, and shows Spanish names', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/language/es?to=/search');
		await expect(page.locator('h1').textContent()).resolves.toBe('Buscar');
		await page.locator('main #search-q').fill('poblacion');
		await page.locator('main button[type="submit"]').click();
		await page.waitForURL(/q=poblacion/);
		const withoutAccent = await page.locator('.search-result__title a').allTextContents();
		expect(withoutAccent.length).toBeGreaterThan(0);
		await page.goto(server.url + '/search?q=' + encodeURIComponent('población'));
		expect(await page.locator('.search-result__title a').allTextContents()).toEqual(withoutAccent);
		await page.goto(server.url + '/search?q=desempleo');
		await expect(page.locator('.search-result__title a').first().textContent()).resolves.toBe('Desempleo');
		// axe needs script: a page without JavaScript is checked with its own scripts blocked.
		expect(await checkAccessibility(browser, page, false)).toEqual([]);
		await context.close();
	});
});
