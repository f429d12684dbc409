import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, SHARED_DIR, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';

const LA_SAMPLE = path.join(SHARED_DIR, 'datasets', 'open-sdg-la-sample');
const LA_IDS = fs
	.readdirSync(path.join(LA_SAMPLE, 'data'))
	.map((f) => /^indicator_(.+)\.csv$/.exec(f)?.[1])
	.filter((id): id is string => Boolean(id))
	.sort();

/** Every public page kind: the dashboard, an area, indicators (sample data with a map; real data), search, reports, an embed, a 404. */
const PUBLIC_ROUTES = [
	'/',
	'/areas/sustainability',
	'/indicators/air-quality-pm25',
	'/indicators/air-quality-pm25?GeoCode=06061',
	'/indicators/1-2-1',
	'/indicators/1-2-1?Units=Percent+by+Age&Age=Under+18+years',
	'/search?q=air',
	'/search',
	'/reporting-status',
	'/methodology',
	'/embed/indicators/air-quality-pm25',
	'/no-such-page'
];

const JS_BUDGET_BYTES = 40 * 1024;

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	const imported = await runCli(['import', 'opensdg', LA_SAMPLE], { DATABASE_URL: database.url });
	expect(imported.code, imported.stderr).toBe(0);
	server = await startServer({ DATABASE_URL: database.url });
	browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await database?.drop();
});

async function open(path: string, javaScriptEnabled = true): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled });
	const page = await context.newPage();
	await page.goto(server.url + path);
	return page;
}

describe('indicator pages with the Open SDG Los Angeles sample imported', () => {
	it('finds the 14 indicators of the sample', () => {
		expect(LA_IDS).toHaveLength(14);
	});

	it('renders chart, table and working downloads on every one of its indicator pages', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		const problems: string[] = [];
		for (const id of LA_IDS) {
			const response = await page.goto(`${server.url}/indicators/${id}`);
			if (response?.status() !== 200) {
				problems.push(`${id}: status ${response?.status()}`);
				continue;
			}
			const chart = page.locator('.chart svg[role="img"]').filter({ visible: true });
			if ((await chart.count()) !== 1) problems.push(`${id}: not exactly one chart shown`);
			else {
				const summary = (await chart.locator('desc').textContent()) ?? '';
				if (summary.length < 20) problems.push(`${id}: chart summary too short: "${summary}"`);
				if ((await chart.locator('path, rect').count()) < 3) problems.push(`${id}: chart draws nothing`);
			}
			const rows = await page.locator('table[class*="usa-table"] tbody tr').count();
			if (rows < 1) problems.push(`${id}: data table is empty`);

			const links = await page.locator('.downloads a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
			if (links.length !== 6) problems.push(`${id}: ${links.length} download links, expected 6`);
			for (const href of links) {
				const download = await context.request.get(href);
				const type = download.headers()['content-type'] ?? '';
				const body = await download.body();
				if (download.status() !== 200 || body.length === 0) problems.push(`${id}: ${href} → ${download.status()}`);
				else if (href.includes('.csv') && !(type.startsWith('text/csv') && body.toString('utf8').split('\n')[0]!.includes('Year')))
					problems.push(`${id}: ${href} is not a CSV with a Year column (${type})`);
				else if (href.includes('.json') && !type.startsWith('application/json')) problems.push(`${id}: ${href} is ${type}`);
				else if (href.includes('chart.svg') && !(type.startsWith('image/svg+xml') && body.toString('utf8').includes('<svg')))
					problems.push(`${id}: ${href} is not an SVG`);
				else if (href.includes('chart.png') && !(type === 'image/png' && body.subarray(1, 4).toString('latin1') === 'PNG'))
					problems.push(`${id}: ${href} is not a PNG`);
			}
		}
		await context.close();
		expect(problems).toEqual([]);
	}, 240_000);

	it('shows exactly what the view selects in the table, the CSV of the view and the chart', async () => {
		const page = await open('/indicators/1-2-1?Units=Percent+by+Age&Age=Under+18+years', false);
		const rows = await page.locator('table[class*="usa-table"] tbody tr').count();
		const csvHref = await page.locator('.downloads a').first().getAttribute('href');
		expect(csvHref).toContain('Age=Under+18+years');
		const csv = (await (await page.context().request.get(server.url + csvHref)).text()).trim().split('\n');
		expect(csv.length - 1).toBe(rows);
		expect(await page.locator('.chart svg').filter({ visible: true }).locator('desc').textContent()).toContain('Under 18 years');
		await page.context().close();
	});
});

describe('one plain vocabulary', () => {
	/** Words of the data model that residents should never have to read. */
	const JARGON = [/\bheadline\b/i, /\bUnits:/, /\bGeoCode\b/, /Score \(/, /\bTrend: the\b/, /\bseries_id\b/i, /\bdisaggregation/i];

	it('public pages (and every LA indicator page) use no internal words in their text, labels or chart descriptions', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		const found: string[] = [];
		for (const route of [...PUBLIC_ROUTES, ...LA_IDS.map((id) => `/indicators/${id}`), '/indicators/1-2-1?compare=Age', '/es/indicators/1-2-1']) {
			await page.goto(server.url + route);
			// What a reader sees or hears: the text, accessible names, alternative text and chart descriptions (not addresses).
			const said = await page.evaluate(() =>
				[
					document.title,
					document.body.innerText,
					...[...document.querySelectorAll('[aria-label], [alt], [title]')].flatMap((e) => [e.getAttribute('aria-label'), e.getAttribute('alt'), e.getAttribute('title')]),
					...[...document.querySelectorAll('svg title, svg desc, option')].map((e) => e.textContent)
				]
					.filter(Boolean)
					.join('\n')
			);
			for (const line of said.split('\n')) for (const word of JARGON) if (word.test(line)) found.push(`${route}: ${word} in "${line.trim().slice(0, 120)}"`);
		}
		await context.close();
		expect(found).toEqual([]);
	}, 180_000);
});

describe('the indicator view form', () => {
	it('works without JavaScript: a GET form whose URL reproduces the view', async () => {
		const page = await open('/indicators/air-quality-pm25', false);
		// Places are offered by name under "Place"; the URL keeps the data's own code.
		const place = page.getByLabel('Place', { exact: true });
		expect(await place.locator('option[value="06061"]').textContent()).toBe('Placer County');
		await place.selectOption('06061');
		await Promise.all([page.waitForURL(/GeoCode=06061/), page.click('.view-form button[type="submit"]')]);
		await expect(page.locator('h2#trend-heading').textContent()).resolves.toContain('Place: Placer County');
		const again = await open(new URL(page.url()).pathname + new URL(page.url()).search, false);
		expect(await again.locator('h2#trend-heading').textContent()).toContain('Place: Placer County');
		await page.context().close();
		await again.context().close();
	});

	it('updates in place with JavaScript when a choice changes', async () => {
		const page = await open('/indicators/air-quality-pm25');
		await page.waitForLoadState('networkidle');
		let fullLoads = 0;
		page.on('load', () => fullLoads++);
		await page.selectOption('#dim-GeoCode', '06113');
		await page.waitForURL(/GeoCode=06113/);
		await expect.poll(() => page.locator('h2#trend-heading').textContent()).toContain('Yolo County');
		expect(fullLoads).toBe(0);
		await page.context().close();
	});

	it('falls back to the headline with a visible notice for unknown or contradictory choices', async () => {
		const page = await open('/indicators/1-2-1?Units=Nonsense&Age=Under+18+years&Gender=Female');
		expect(page.url()).toContain('Units=Nonsense');
		const notices = await page.locator('.notice[role="status"]').allTextContents();
		expect(notices.join(' ')).toContain('Nonsense');
		expect(await page.locator('.chart svg[role="img"]').filter({ visible: true }).count()).toBe(1);
		await page.context().close();
	});

	it('answers an unknown indicator or area with a real 404 page', async () => {
		for (const path of ['/indicators/no-such-indicator', '/areas/no-such-area', '/indicators/no-such-indicator/chart.svg', '/embed/indicators/nope']) {
			const response = await browser.newPage().then(async (page) => {
				const r = await page.goto(server.url + path);
				await page.close();
				return r;
			});
			expect(response?.status(), path).toBe(404);
		}
	});
});

describe('maps and embeds', () => {
	it('draws the counties as a choropleth with a legend and a table equivalent', async () => {
		const page = await open('/indicators/air-quality-pm25', false);
		const map = page.locator('figure.choropleth');
		expect(await map.locator('svg[role="img"] use title').count()).toBe(6);
		expect(await map.locator('.choropleth__legend li').count()).toBeGreaterThanOrEqual(2);
		expect(await map.locator('details table tbody tr').count()).toBe(6);
		expect(await map.locator('details table tbody').textContent()).toContain('Placer');
		await page.context().close();
	});

	it('serves an embed that other sites may frame, with a copyable snippet on the page', async () => {
		const response = await fetch(`${server.url}/embed/indicators/air-quality-pm25`);
		expect(response.status).toBe(200);
		expect(response.headers.get('x-frame-options')).toBeNull();
		expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
		const html = await response.text();
		expect(html).toContain('role="img"');
		expect(html).not.toContain('site-header');

		const page = await fetch(`${server.url}/indicators/air-quality-pm25`);
		expect(page.headers.get('x-frame-options')).toBe('DENY');
		expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
		const text = await page.text();
		expect(text).toMatch(/&lt;iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/indicators\/air-quality-pm25/);
		// No empty parameters (the total is the default): no "?GeoCode=" in the code people paste.
		expect(text).not.toMatch(/embed\/indicators\/air-quality-pm25\?[^"]*=(&amp;|")/);
	});
});

describe('share and print', () => {
	it('shows the shareable address without JavaScript and copies it with JavaScript', async () => {
		const plain = await open('/indicators/1-2-1?Units=Percent+by+Age&Age=Under+18+years&Sex=', false);
		const field = plain.locator('#share-url');
		expect(await field.getAttribute('readonly')).not.toBeNull();
		expect(await field.inputValue()).toBe(`${server.url}/en/indicators/1-2-1?Units=Percent+by+Age&Age=Under+18+years`);
		expect(await plain.locator('button[data-copy]').isVisible()).toBe(false);
		await plain.context().close();

		const context = await browser.newContext();
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
		const page = await context.newPage();
		await page.goto(`${server.url}/indicators/air-quality-pm25`);
		await page.getByRole('button', { name: 'Copy link' }).click();
		await expect.poll(() => page.locator('.share__status').textContent()).toBe('Link copied');
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/en/indicators/air-quality-pm25`);
		await context.close();
	});

	it('prints the chart, the table, the metadata and the source, without navigation, forms or embed code', async () => {
		const page = await open('/indicators/air-quality-pm25', false);
		const title = (await page.locator('#trend-heading').textContent())!.trim();
		const firstValue = (await page.locator('#data-caption ~ tbody td.numeric').first().textContent())!.trim();
		const source = (await page.locator('.facts a[rel="external"]').first().textContent())!.trim();
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('.site-search').isVisible()).toBe(false);
		expect(await page.locator('#embed-code').isVisible()).toBe(false);
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'print-')), 'page.pdf');
		await page.pdf({ path: file, format: 'Letter' });
		await page.context().close();
		const text = execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ');
		expect(text).toContain(title);
		expect(text).toContain(firstValue);
		expect(text).toContain(source);
		expect(text).not.toContain('Search areas and indicators');
		expect(text).not.toContain('<iframe');
		expect(text).not.toContain('Copy link');
	});
});

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true },
	{ name: 'without JavaScript', javaScriptEnabled: false }
])('every public route $name', ({ javaScriptEnabled }) => {
	it('has no axe violations (WCAG 2.2 AA)', async () => {
		const failures: string[] = [];
		for (const route of PUBLIC_ROUTES) {
			const page = await open(route, javaScriptEnabled);
			const violations = await checkAccessibility(browser, page, javaScriptEnabled);
			if (violations.length) failures.push(`${route}: ${violations.join(' | ')}`);
			await page.context().close();
		}
		expect(failures).toEqual([]);
	}, 240_000);
});

describe('JavaScript weight', () => {
	it(`ships at most ${JS_BUDGET_BYTES / 1024} KB of compressed JavaScript on any public page`, async () => {
		const weights: Record<string, number> = {};
		for (const route of PUBLIC_ROUTES) {
			const context = await browser.newContext();
			const page = await context.newPage();
			const scripts = new Map<string, Promise<Buffer>>();
			page.on('response', (response) => {
				if (response.request().resourceType() === 'script' || response.url().endsWith('.js')) scripts.set(response.url(), response.body());
			});
			await page.goto(server.url + route, { waitUntil: 'networkidle' });
			let total = 0;
			for (const body of scripts.values()) total += zlib.brotliCompressSync(await body).length;
			weights[route] = total;
			await context.close();
		}
		const over = Object.entries(weights).filter(([, bytes]) => bytes > JS_BUDGET_BYTES);
		expect(over, JSON.stringify(weights)).toEqual([]);
		// The indicator page loads its view-form enhancement: the measure itself must see it.
		expect(weights['/indicators/1-2-1']).toBeGreaterThan(300);
	}, 120_000);
});
