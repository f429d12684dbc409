import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, PROJECT_DIR, type TestDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const SCREENSHOTS = path.join(PROJECT_DIR, 'test-results');
const ALL = ['en', 'es', 'zh-Hans', 'vi', 'hmn', 'ru'];

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

/** The page's same-site links and form addresses, as written in its HTML. */
async function siteAddresses(html: string): Promise<string[]> {
	return [...html.matchAll(/<[a-z][^>]*?\s(?:href|action)="(\/[^"]*)"/gi)].map((match) => match[1]!);
}

describe('the language in the address', () => {
	it('serves /es/… in Spanish whatever the browser asks for, and every page link keeps the language', async () => {
		const response = await fetch(server.url + '/es/indicators/unemployment', { headers: { 'accept-language': 'en-US,en;q=0.9' } });
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toMatch(/<html lang="es"/);
		expect(html).toContain('<h1>Desempleo</h1>');
		const addresses = await siteAddresses(html);
		const pages = addresses.filter((href) => !/^\/(api|admin|language|embed|_app)(\/|$)/.test(href) && !/\.[a-z0-9]+(\?|$)/i.test(href.split('?')[0]!));
		expect(pages.length).toBeGreaterThan(10);
		for (const href of pages) expect(href, href).toMatch(/^\/es(\/|$|\?)/);
		// One alternate per language the region offers, and the address without a language for everyone else.
		const alternates = [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1], new URL(m[2]!).pathname]);
		expect(alternates).toEqual([
			['en', '/en/indicators/unemployment'],
			['es', '/es/indicators/unemployment'],
			['zh-Hans', '/zh/indicators/unemployment'],
			['vi', '/vi/indicators/unemployment'],
			['hmn', '/hmn/indicators/unemployment'],
			['ru', '/ru/indicators/unemployment'],
			['x-default', '/indicators/unemployment']
		]);
		// The address to share names the language too.
		expect(html).toMatch(/id="share-url"[^>]*value="http:\/\/[^"]+\/es\/indicators\/unemployment"/);
	});

	it('keeps the language through links, a search form and a form that redirects, without JavaScript', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
		const page = await context.newPage();
		await page.goto(server.url + '/es');
		await page.locator('.dash-area h2 a, .dash-area a').first().click();
		expect(new URL(page.url()).pathname).toMatch(/^\/es\/(areas|indicators)\//);
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
		await page.locator('#site-search-q').fill('empleo');
		await page.locator('.site-search__button').click();
		expect(new URL(page.url()).pathname).toBe('/es/search');
		await expect(page.locator('h1').textContent()).resolves.toBe('Buscar');
		// A form whose answer is a redirect (a bad sign-in) comes back to the Spanish page.
		await page.goto(server.url + '/es/sign-in');
		expect(await page.locator('form[method="post"], form[method="POST"]').first().getAttribute('action').then((a) => a ?? '')).not.toMatch(/^\/(?!es)/);
		await context.close();
	});

	it('an address without a language follows the remembered choice, then the browser', async () => {
		const byBrowser = await (await fetch(server.url + '/', { headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' } })).text();
		expect(byBrowser).toMatch(/<html lang="ru"/);
		const byCookie = await (await fetch(server.url + '/', { headers: { 'accept-language': 'ru', cookie: 'PARAGLIDE_LOCALE=es' } })).text();
		expect(byCookie).toMatch(/<html lang="es"/);
		// Links of a page without a language in its address stay without one (the visitor's choice decides).
		expect((await siteAddresses(byCookie)).filter((href) => href.startsWith('/es/'))).toEqual([]);
		const byAddress = await (await fetch(server.url + '/zh', { headers: { cookie: 'PARAGLIDE_LOCALE=es' } })).text();
		expect(byAddress).toMatch(/<html lang="zh-Hans"/);
	});

	it('switches language from the language bar, without JavaScript, to that language’s address', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(server.url + '/es/methodology');
		const bar = page.getByRole('navigation', { name: 'Idioma' });
		expect(await bar.locator('[lang]').evaluateAll((items) => items.map((item) => item.getAttribute('lang')))).toEqual(ALL);
		expect(await bar.locator('[aria-current]').textContent()).toBe('Español');
		await bar.getByRole('link', { name: 'Tiếng Việt' }).click();
		expect(new URL(page.url()).pathname).toBe('/vi/methodology');
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('vi');
		expect(await page.locator('h1').textContent()).not.toBe('How we measure progress');
		// Every language but the one the site is written in says its text was machine-assisted.
		expect(await page.locator('.site-footer__translation').count()).toBe(1);
		await page.goto(server.url + '/en/methodology');
		expect(await page.locator('.site-footer__translation').count()).toBe(0);
		await context.close();
	});
});

describe('/translations', () => {
	it('says per language how complete it is and that nobody has reviewed it yet', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		expect((await page.goto(server.url + '/translations'))?.status()).toBe(200);
		const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent!.trim())));
		expect(rows.map((row) => row[0])).toEqual(['English', 'Español', '简体中文', 'Tiếng Việt', 'Hmoob', 'Русский']);
		expect(rows[0]![1]).toBe('Written in this language');
		for (const row of rows.slice(1)) {
			expect(row[1], row[0]).toMatch(/^\d{1,3}% \(\d+ of \d+ texts\)$/);
			expect(row[2], row[0]).toBe('Not yet');
		}
		expect(await page.locator('main a[href="/contact"]').count()).toBe(1);
		expect(await checkAccessibility(browser, page, false)).toEqual([]);
		await page.screenshot({ path: path.join(SCREENSHOTS, 'translations-en.png'), fullPage: true });
		await context.close();
	});

	it('passes axe with JavaScript too, in a language written in another script', async () => {
		const context = await browser.newContext({ javaScriptEnabled: true });
		const page = await context.newPage();
		await page.goto(server.url + '/zh/translations');
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-Hans');
		expect(await checkAccessibility(browser, page, true)).toEqual([]);
		await page.screenshot({ path: path.join(SCREENSHOTS, 'translations-zh.png'), fullPage: true });
		await context.close();
	});
});

describe('pages in every language', () => {
	it.each([
		['/es/indicators/unemployment', 'es'],
		['/zh', 'zh-Hans'],
		['/vi/areas/economy', 'vi'],
		['/hmn/indicators/air-quality-pm25', 'hmn'],
		['/ru/places/06067', 'ru']
	])('%s passes axe with and without JavaScript', async (route, tag) => {
		for (const javaScriptEnabled of [false, true]) {
			const context = await browser.newContext({ javaScriptEnabled });
			const page = await context.newPage();
			expect((await page.goto(server.url + route))?.status()).toBe(200);
			await expect(page.locator('html').getAttribute('lang')).resolves.toBe(tag);
			expect(await checkAccessibility(browser, page, javaScriptEnabled), `${route} ${javaScriptEnabled}`).toEqual([]);
			await context.close();
		}
	});
});

describe('a region that offers fewer languages', () => {
	it('has no pages, alternates or switch for the others', async () => {
		const region = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-region-'));
		fs.cpSync(path.join(PROJECT_DIR, 'region'), region, { recursive: true });
		const file = path.join(region, 'region.yml');
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^languages: .*$/m, 'languages: [en, es]'));
		const own = await createTestDatabase('sqlite');
		const small = await startServer({ DATABASE_URL: own.url, SAC2050_REGION_DIR: region });
		try {
			expect((await fetch(small.url + '/zh/indicators/unemployment')).status).toBe(404);
			expect((await fetch(small.url + '/language/zh')).status).toBe(404);
			const html = await (await fetch(small.url + '/', { headers: { 'accept-language': 'zh-CN,zh;q=0.9,es;q=0.8' } })).text();
			expect(html).toMatch(/<html lang="es"/);
			expect([...html.matchAll(/hreflang="([^"]+)"/g)].map((m) => m[1])).not.toContain('zh-Hans');
		} finally {
			await small.stop();
			await own.drop();
			fs.rmSync(region, { recursive: true, force: true });
		}
	});
});
