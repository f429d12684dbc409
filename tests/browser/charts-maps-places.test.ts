import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, SHARED_DIR, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';

/**
 * Charts, maps and place profiles as a reader sees them: text measured in the browser at a
 * phone's width and a desktop's, comparisons and stacked bars chosen through the GET form,
 * footnotes, and axe with and without JavaScript. One server for the file: the region's
 * sample data, the Los Angeles Open SDG sample, and a small repository written here with a
 * stacked disaggregation and observation footnotes.
 */

const LA_SAMPLE = path.join(SHARED_DIR, 'datasets', 'open-sdg-la-sample');

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let extraDir: string;

function writeStackedRepository(dir: string): void {
	fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'meta'), { recursive: true });
	const rows = ['Year,Sex,COMMENT_OBS,Value'];
	for (const [year, total, female, male] of [
		[2018, 100, 45, 55],
		[2019, 104, 47, 57],
		[2020, 96, 44, 52],
		[2021, 110, 51, 59]
	] as const) {
		rows.push(`${year},,${year === 2020 ? 'Provisional estimate' : ''},${total}`, `${year},Female,,${female}`, `${year},Male,,${male}`);
	}
	fs.writeFileSync(path.join(dir, 'data', 'indicator_8-9-9.csv'), rows.join('\n') + '\n');
	fs.writeFileSync(
		path.join(dir, 'meta', '8-9-9.md'),
		['---', 'indicator_name: Jobs held by women and men', 'computation_units: Thousands of jobs', 'graph_type: bar', 'graph_stacked_disaggregation: Sex', 'reporting_status: complete', '---', ''].join('\n')
	);
}

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	extraDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-stacked-'));
	writeStackedRepository(extraDir);
	for (const dir of [LA_SAMPLE, extraDir]) {
		const imported = await runCli(['import', 'opensdg', dir], { DATABASE_URL: database.url });
		expect(imported.code, imported.stderr).toBe(0);
	}
	server = await startServer({ DATABASE_URL: database.url });
	browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await database?.drop();
	if (extraDir) fs.rmSync(extraDir, { recursive: true, force: true });
});

async function open(route: string, options: { width?: number; javaScriptEnabled?: boolean } = {}): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
	const page = await context.newPage();
	const response = await page.goto(server.url + route);
	expect(response?.status(), route).toBe(200);
	return page;
}

/** Rendered font size of every text in the visible charts: font size × the SVG's on-screen scale. */
async function chartTextSizes(page: Page): Promise<Array<{ text: string; px: number }>> {
	return page.locator('.chart svg').evaluateAll((svgs) =>
		svgs
			.filter((svg) => (svg as SVGSVGElement).getBoundingClientRect().width > 0)
			.flatMap((svg) =>
				[...svg.querySelectorAll('text')].map((t) => {
					const ctm = (t as SVGTextElement).getScreenCTM();
					const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 0;
					return { text: t.textContent ?? '', px: parseFloat(getComputedStyle(t).fontSize) * scale };
				})
			)
	);
}

const CHART_PAGES = ['/indicators/unemployment', '/indicators/air-quality-pm25', '/indicators/8-5-1?compare=Gender', '/indicators/8-9-9?compare=Sex', '/indicators/1-2-1'];

describe('charts', () => {
	it.each([390, 1280])('draw every chart text at 12 CSS px or more at %i px wide, one chart shown', async (width) => {
		const small: string[] = [];
		for (const route of CHART_PAGES) {
			const page = await open(route, { width });
			// One drawing of the trend shown; the funding chart of "Who's involved", when there is one, also one drawing.
			expect(await page.locator('section[aria-labelledby="trend-heading"] .chart svg[role="img"]').filter({ visible: true }).count(), route).toBe(1);
			expect(await page.locator('#involved .chart svg[role="img"]').filter({ visible: true }).count(), route).toBeLessThanOrEqual(1);
			const sizes = await chartTextSizes(page);
			expect(sizes.length, route).toBeGreaterThan(10);
			for (const s of sizes) if (s.px < 12) small.push(`${route}: "${s.text}" ${s.px.toFixed(1)} px`);
			// nothing wider than the viewport
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect(overflow, route).toBeLessThanOrEqual(0);
			await page.context().close();
		}
		expect(small).toEqual([]);
	}, 120_000);

	it('keeps the x axis to the data, with 2050 in its own panel, and a target at the edge in view', async () => {
		const page = await open('/indicators/air-quality-pm25', { width: 390 });
		const svg = page.locator('.chart svg').filter({ visible: true });
		const years = (await svg.locator('g[text-anchor="middle"] text').allTextContents()).map(Number);
		expect(years.at(-1)).toBe(2050);
		// the data line spans most of the width up to the 2050 tick, not 40% of it
		const line = await svg.locator('path[stroke-linejoin="round"]').first().boundingBox();
		const tick2050 = await svg.locator('g[text-anchor="middle"] text').last().boundingBox();
		expect(line!.width / (tick2050!.x + tick2050!.width / 2 - line!.x)).toBeGreaterThan(0.6);
		// the dashed target line lies clearly above the x axis
		const target = await svg.locator('line[stroke-dasharray="10 5"]').first().getAttribute('y1');
		const axis = await svg.locator('line[stroke="#565c65"]').first().getAttribute('y1');
		expect(Number(axis) - Number(target)).toBeGreaterThan(8);
		await page.context().close();
	});

	it('puts a long title in HTML, where it wraps, and names the unit on the y axis', async () => {
		const page = await open('/indicators/8-5-1?Gender=Female', { width: 390 });
		const heading = page.locator('h2#trend-heading');
		expect(await heading.textContent()).toContain('Female');
		const box = await heading.boundingBox();
		expect(box!.x + box!.width).toBeLessThanOrEqual(390);
		const svg = page.locator('.chart svg').filter({ visible: true });
		expect(await svg.locator('text[font-weight="bold"]').first().textContent()).toContain('Median earnings');
		const unitPage = await open('/indicators/1-2-1?Units=Percent+by+Age&Age=Under+18+years', { width: 390 });
		const unit = await unitPage.locator('.chart svg').filter({ visible: true }).locator('text[font-weight="bold"]').first().textContent();
		expect(unit).toBe('Percentage');
		await page.context().close();
		await unitPage.context().close();
	});

	it('compares groups chosen through the GET form, without JavaScript, with a legend, direct labels and one column each', async () => {
		const page = await open('/indicators/8-5-1', { javaScriptEnabled: false });
		await page.selectOption('#dim-compare', 'Gender');
		await Promise.all([page.waitForURL(/compare=Gender/), page.click('.view-form button[type="submit"]')]);
		const boxes = page.locator('.view-form__compare input[type="checkbox"]');
		expect(await boxes.count()).toBe(3);
		await page.getByLabel('All', { exact: true }).uncheck();
		await Promise.all([page.waitForURL(/Gender=Female/), page.click('.view-form button[type="submit"]')]);
		const url = new URL(page.url());
		expect(url.searchParams.getAll('Gender').sort()).toEqual(['Female', 'Male']);
		const svg = page.locator('.chart svg').filter({ visible: true });
		expect(await svg.locator('desc').textContent()).toContain('Also shown: Female');
		const headings = await page.locator('#data-caption').locator('xpath=..').locator('thead th').allTextContents();
		expect(headings.slice(1, 3)).toEqual(['Male', 'Female']);
		// the chart and data downloads reproduce the comparison
		const csv = await page.locator('.downloads a').first().getAttribute('href');
		const text = await (await page.context().request.get(server.url + csv)).text();
		expect(text).toContain('Female');
		expect(text).toContain('Male');
		const png = await page.context().request.get(`${server.url}/indicators/8-5-1/chart.svg?${url.searchParams}`);
		expect(await png.text()).toContain('Also shown: Female');
		await page.context().close();
	});

	it('compares places, and stacks the parts where the metadata says so, with footnotes in the table and on the chart', async () => {
		const places = await open('/indicators/air-quality-pm25?compare=GeoCode', { width: 390 });
		const legend = await places.locator('.chart svg').filter({ visible: true }).locator('text[font-size="14"]').allTextContents();
		expect(legend.length).toBe(6);
		expect(legend.join(' ')).toContain('Whole region');
		await places.context().close();

		const page = await open('/indicators/8-9-9?compare=Sex', { width: 1280 });
		const svg = page.locator('.chart svg').filter({ visible: true });
		const bars = await svg.locator('rect title').allTextContents();
		expect(bars.some((t) => t.startsWith('Female, 2018'))).toBe(true);
		expect(bars.some((t) => t.startsWith('All,'))).toBe(false);
		// stacked: the two parts of a year share one x
		const xs = await svg.locator('rect:has(title)').evaluateAll((rs) => rs.map((r) => r.getAttribute('x')));
		expect(new Set(xs).size).toBe(4);

		const headline = await open('/indicators/8-9-9');
		expect(await headline.locator('.chart-notes li').allTextContents()).toEqual(['Provisional estimate']);
		expect(await headline.locator('table tbody').textContent()).toContain('[1] Provisional estimate');
		expect(await headline.locator('.chart svg').filter({ visible: true }).locator('text', { hasText: /^1$/ }).count()).toBe(1);
		await page.context().close();
		await headline.context().close();
	});
});

describe('maps', () => {
	it('name the places, draw places without data as "no data", and offer the year as a GET choice', async () => {
		const page = await open('/indicators/air-quality-pm25', { width: 390, javaScriptEnabled: false });
		const map = page.locator('figure.choropleth');
		// every place is named, on the map or by its number in the key beside it, with its value
		expect(await map.locator('.choropleth__label').count()).toBe(6);
		const key = await map.locator('.choropleth__key li').allTextContents();
		expect(key).toHaveLength(6);
		expect(key.join(' ')).toMatch(/Placer County:\s*\d/);
		expect(await map.locator('.choropleth__key a[href="/places/06061"]').count()).toBe(1);
		// label text keeps its size on a phone
		const sizes = await map.locator('.choropleth__label').evaluateAll((ls) => ls.map((l) => parseFloat(getComputedStyle(l).fontSize)));
		expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
		// the locator of the region in its state
		expect(await map.locator('svg.choropleth__locator title').textContent()).toContain('California');
		// a year chosen without JavaScript
		const years = await page.locator('#map-year option').allTextContents();
		expect(years.length).toBeGreaterThan(1);
		await page.selectOption('#map-year', years.at(-1)!);
		await Promise.all([page.waitForURL(/map_year=/), page.click('.map-year-form button')]);
		expect(await page.locator('figure.choropleth figcaption').textContent()).toContain(years.at(-1)!);
		// legend classes: none empty
		const legend = await page.locator('.choropleth__legend-list li').allTextContents();
		expect(legend.length).toBeGreaterThanOrEqual(2);
		await page.context().close();

		// a view with data for some places only: the others are drawn hatched, with a legend entry
		const partial = await open('/indicators/air-quality-pm25?map_year=2010', { javaScriptEnabled: false });
		const shapes = await partial.locator('figure.choropleth svg.choropleth__map > g:first-of-type > use').count();
		expect(shapes).toBe(6);
		expect(await partial.locator('figure.choropleth use[fill="url(#place-map-nodata)"]').count()).toBe(1);
		expect(await partial.locator('.choropleth__legend-list').textContent()).toContain('No data');
		await partial.context().close();
	});
});

describe('place profiles', () => {
	it('show every indicator with data for the place beside the region and the other places, grouped by area', async () => {
		const page = await open('/places/06061', { width: 390, javaScriptEnabled: false });
		expect(await page.locator('h1').textContent()).toBe('Placer County');
		const rows = page.locator('.place-row');
		expect(await rows.count()).toBeGreaterThanOrEqual(3);
		const air = rows.filter({ hasText: 'Air Quality' });
		expect(await air.count()).toBe(1);
		const text = (await air.textContent()) ?? '';
		expect(text).toMatch(/Sacramento region/);
		expect(text).toMatch(/The other 5 places/);
		expect(await air.locator('a[href^="/indicators/air-quality-pm25?"]').getAttribute('href')).toContain('GeoCode=06061');
		expect(await air.locator('svg.sparkline').count()).toBe(1);
		expect(await page.locator('section.place-area h2').count()).toBeGreaterThanOrEqual(2);
		expect(await page.locator('svg.place-profile__locator title').textContent()).toContain('California');
		// linked from the place choice on an indicator page
		const indicator = await open('/indicators/air-quality-pm25?GeoCode=06061', { javaScriptEnabled: false });
		expect(await indicator.locator('a[href="/places/06061"]').first().textContent()).toContain('Placer County');
		await page.context().close();
		await indicator.context().close();
	});

	it('answer an unknown place with a real 404, and are in the API', async () => {
		expect((await fetch(`${server.url}/places/99999`)).status).toBe(404);
		const api = await fetch(`${server.url}/api/v1/places/06061`);
		expect(api.status).toBe(200);
		const body = (await api.json()) as { name: string; areas: Array<{ indicators: Array<{ id: string; latest: { value: number } }> }> };
		expect(body.name).toBe('Placer County');
		expect(body.areas.flatMap((a) => a.indicators).some((i) => i.id === 'air-quality-pm25')).toBe(true);
		expect((await fetch(`${server.url}/api/v1/places/99999`)).status).toBe(404);
		const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
		expect(Object.keys(doc.paths)).toContain('/api/v1/places/{code}');
	});
});

describe('accessibility', () => {
	const ROUTES = ['/places/06061', '/indicators/8-5-1?compare=Gender', '/indicators/air-quality-pm25?compare=GeoCode', '/indicators/8-9-9?compare=Sex'];
	it.each([true, false])('has no axe violations (JavaScript: %s)', async (javaScriptEnabled) => {
		const failures: string[] = [];
		for (const route of ROUTES) {
			const page = await open(route, { width: 390, javaScriptEnabled });
			const violations = await checkAccessibility(browser, page, javaScriptEnabled);
			if (violations.length) failures.push(`${route}: ${violations.join(' | ')}`);
			await page.context().close();
		}
		expect(failures).toEqual([]);
	}, 300_000);
});
