import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '#lib/server/db/connect.ts';
import { importDirectory } from '#lib/directory/server/import.ts';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, PROJECT_DIR, type TestDatabase } from '../support/databases.ts';
import { startServer, type RunningServer } from '../support/server.ts';

/**
 * The directory's public pages ("Who's involved"): /organizations with its GET filters, an
 * organization, a program and a policy, on the region's sample directory (region/demo/directory)
 * plus a few real-looking records whose ids hold `.` `:` and `/` (360Giving identifiers).
 */

const SCREENSHOTS = path.join(PROJECT_DIR, 'test-results');

/** Records beside the sample directory: not sample data, ids as 360Giving writes them, and 50 shops to fill a second page. */
const EXTRA: Record<string, string> = {
	'organizations.csv': `id,name,kind,mission,website,email,phone,service_area,verified_at
GB-CHC-1234/east:2.0,Eastside Tenants Union,coalition,Tenants organizing for repairs,,,,06067,2026-11-01
US-EIN-68-0100001,Sierra Foothill Food Bank,nonprofit,Groceries for families,,,,06061,
${Array.from({ length: 50 }, (_, i) => `zephyr-${i + 1},Zephyr Shop ${String(i + 1).padStart(2, '0')},business,,,,,,2026-10-01`).join('\n')}
`,
	'programs.csv': `id,name,organization_ids,description,status,start_date,end_date,service_area,website
US-EIN-68-0100001/pantry.1,Mobile Pantry,US-EIN-68-0100001;GB-CHC-1234/east:2.0,A truck with groceries,planned,2027-01-01,,06061,
`,
	'policies.csv': `id,name,adopted_by,adopted_on,status,url,description
gp:2040/housing,Housing Element,County Board,2024-02-01,adopted,https://example.org/housing,
`,
	'funding.csv': `id,funder_id,recipient_id,program_id,title,amount,currency,fiscal_year,award_date,source_kind
ext-1,GB-CHC-1234/east:2.0,US-EIN-68-0100001,US-EIN-68-0100001/pantry.1,Pantry truck,1000.5,GBP,2025,,private
ext-2,GB-CHC-1234/east:2.0,US-EIN-68-0100001,US-EIN-68-0100001/pantry.1,Pantry fuel,2000,USD,2025,,private
`
};

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	// The server loaded the sample directory on its first start; the extra records go in beside it.
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-directory-pages-'));
	for (const [name, text] of Object.entries(EXTRA)) fs.writeFileSync(path.join(tmp, name), text);
	const db = await openDatabase(database.url);
	try {
		const report = await importDirectory(db, tmp, { author: 'test' });
		expect(report.failed, JSON.stringify(report.files)).toBe(0);
	} finally {
		await db.close();
	}
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await database?.drop();
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Heading levels in document order; each may go down at most one level, starting at h1. */
async function expectHeadingOrder(page: Page) {
	const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((els) => els.map((e) => Number(e.tagName.slice(1))));
	expect(levels[0]).toBe(1);
	expect(levels.filter((l) => l === 1)).toHaveLength(1);
	for (let i = 1; i < levels.length; i++) expect(levels[i]!, `heading ${i}: ${levels.join(',')}`).toBeLessThanOrEqual(levels[i - 1]! + 1);
}

async function names(page: Page): Promise<string[]> {
	return page.locator('.directory-item__name a').allTextContents();
}

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true },
	{ name: 'without JavaScript', javaScriptEnabled: false }
])('directory pages $name', ({ name, javaScriptEnabled }) => {
	const suffix = javaScriptEnabled ? 'js' : 'nojs';

	async function open(pathname: string): Promise<{ page: Page; status: number; close(): Promise<void> }> {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		const response = await page.goto(server.url + pathname);
		return { page, status: response?.status() ?? 0, close: () => context.close() };
	}

	it.each(['en', 'es'])('/%s/organizations lists every organization, sample ones tagged, and passes axe', async (lang) => {
		const { page, status, close } = await open(`/${lang}/organizations`);
		expect(status).toBe(200);
		const items = page.locator('.directory-item');
		// 58 in all, 50 a page: the eight named first, then the shops.
		expect(await items.count()).toBe(50);
		expect((await names(page)).slice(0, 9)).toEqual([
			'Capital Region Community Fund',
			'Clean Air Commute Partnership',
			'Delta Health Access',
			'Eastside Tenants Union',
			'River City Reads',
			'Sierra Foothill Food Bank',
			'State Learning Grants Office',
			'Valley Workforce Collaborative',
			'Zephyr Shop 01'
		]);
		expect(await page.locator('.directory-pages a[rel="next"]').getAttribute('href')).toBe(`/${lang}/organizations?page=2`);
		expect(await page.locator('.directory-pages a[rel="prev"]').count()).toBe(0);
		// The six sample organizations carry the tag; the two imported ones do not.
		expect(await page.locator('.directory-item .sample-tag').count()).toBe(6);
		const food = items.filter({ hasText: 'Sierra Foothill Food Bank' });
		expect(await food.locator('.sample-tag').count()).toBe(0);
		expect(await food.locator('a').first().getAttribute('href')).toBe(`/${lang}/organizations/US-EIN-68-0100001`);
		const tenants = items.filter({ hasText: 'Eastside Tenants Union' });
		expect(await tenants.locator('a').first().getAttribute('href')).toBe(`/${lang}/organizations/GB-CHC-1234/east%3A2%2E0`);
		// Never verified: possibly out of date.
		expect(await items.filter({ hasText: 'State Learning Grants Office' }).locator('.directory-stale').count()).toBe(1);
		expect(await tenants.locator('.directory-stale').count()).toBe(0);
		const reads = items.filter({ hasText: 'River City Reads' });
		expect(await reads.locator('a[href$="/indicators/3rd-grade-reading"]').count()).toBe(1);
		if (lang === 'en') {
			await expect(page.locator('h1').textContent()).resolves.toBe('Organizations');
			expect((await page.locator('#results-heading').textContent())?.trim()).toBe('58 organizations');
			expect(await page.locator('main').textContent()).toContain('Showing 1 to 50 of 58.');
			expect(await page.locator('.directory-pages').textContent()).toContain('Page 1 of 2');
			expect(await reads.textContent()).toContain('Sacramento County, Yolo County');
			expect(await reads.locator('.directory-item__facts').textContent()).toMatch(/Programs\s*2/);
			expect(await page.locator('.site-header__nav a[href$="/organizations"]').getAttribute('aria-current')).toBe('page');
		} else {
			await expect(page.locator('h1').textContent()).resolves.toBe('Organizaciones');
			expect((await page.locator('#results-heading').textContent())?.trim()).toBe('58 organizaciones');
			expect(await page.locator('.directory-pages').textContent()).toContain('Página 1 de 2');
			expect(await items.filter({ hasText: 'State Learning Grants Office' }).textContent()).toContain('Posiblemente desactualizado');
		}
		await page.screenshot({ path: path.join(SCREENSHOTS, `organizations-${lang}-${suffix}.png`), fullPage: true });
		await expectHeadingOrder(page);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await close();
	});

	it.each([
		['kind=funder', ['Capital Region Community Fund']],
		['indicator=3rd-grade-reading', ['Capital Region Community Fund', 'River City Reads']],
		['area=economy', ['Valley Workforce Collaborative']],
		['serviceArea=06061', ['Capital Region Community Fund', 'Clean Air Commute Partnership', 'Sierra Foothill Food Bank', 'Valley Workforce Collaborative']],
		['q=TUTORS', ['River City Reads']],
		['kind=nonprofit&serviceArea=06113', ['Delta Health Access', 'River City Reads']],
		['kind=school', []]
	])('filters by the query string: %s', async (query, expected) => {
		const { page, status, close } = await open(`/organizations?${query}`);
		expect(status).toBe(200);
		expect(await names(page)).toEqual(expected);
		expect(await page.locator('#results-heading').textContent()).toContain(String(expected.length));
		if (!expected.length) expect(await page.locator('main').textContent()).toContain('No organization matches these filters.');
		// The form shows the choices made.
		for (const pair of query.split('&')) {
			const [key, value] = pair.split('=') as [string, string];
			expect(await page.locator(`main form [name="${key}"]`).inputValue()).toBe(value);
		}
		await close();
	});

	it('pages through the results, filters kept', async () => {
		const { page, close } = await open('/organizations?page=2');
		expect(await names(page)).toEqual(Array.from({ length: 8 }, (_, i) => `Zephyr Shop ${43 + i}`));
		expect(await page.locator('main').textContent()).toContain('Showing 51 to 58 of 58.');
		expect(await page.locator('.directory-pages a[rel="prev"]').getAttribute('href')).toBe('/organizations');
		expect(await page.locator('.directory-pages a[rel="next"]').count()).toBe(0);
		// A page beyond the last shows the last.
		await page.goto(server.url + '/organizations?page=99');
		expect(await names(page)).toHaveLength(8);
		await page.goto(server.url + '/organizations?kind=business&q=shop&page=2');
		// 50 shops fill one page: the second is the first.
		expect(await names(page)).toHaveLength(50);
		expect(await page.locator('.directory-pages').count()).toBe(0);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await close();
	});

	it('filters with the form, the same with and without JavaScript', async () => {
		const { page, close } = await open('/organizations');
		await page.getByLabel('Kind of organization').selectOption('nonprofit');
		await page.getByLabel('Words in the name or mission').fill('health');
		await page.getByRole('button', { name: 'Show organizations' }).click();
		await page.waitForURL(/\/organizations\?/);
		const url = new URL(page.url());
		expect(url.searchParams.get('kind')).toBe('nonprofit');
		expect(url.searchParams.get('q')).toBe('health');
		expect(await names(page)).toEqual(['Delta Health Access']);
		expect(await page.getByRole('link', { name: 'Clear the filters' }).getAttribute('href')).toBe('/organizations');
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await close();
	});

	it.each(['kind=charity', 'area=no-such-area', 'indicator=no-such-indicator', 'serviceArea=99999', 'kind=__proto__', 'page=abc', 'page=999999999', 'page=-3'])(
		'an unknown filter value gives an empty result with a message, never an error: %s',
		async (query) => {
			const { page, status, close } = await open(`/organizations?${query}`);
			expect(status).toBe(200);
			if (query.startsWith('page=')) {
				// A page that is not a number (or not one of ours) shows the first.
				expect(await names(page)).toHaveLength(50);
			} else {
				expect(await names(page)).toEqual([]);
				expect(await page.locator('.notice').textContent()).toContain('a filter value the directory does not know');
				expect((await page.locator('#results-heading').textContent())?.trim()).toBe('0 organizations');
			}
			await close();
		}
	);

	it.each(['en', 'es'])('/%s/organizations/river-city-reads shows the profile, programs, indicators and funding by year', async (lang) => {
		const { page, status, close } = await open(`/${lang}/organizations/river-city-reads`);
		expect(status).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('River City Reads');
		expect(await page.locator('.directory-record__tags .sample-tag').count()).toBe(1);
		expect(await page.locator('#programs-heading ~ ul a[href$="/programs/after-school-tutoring"]').count()).toBe(1);
		expect(await page.locator('#programs-heading ~ ul a[href$="/programs/summer-reading-bridge"]').count()).toBe(1);
		expect(await page.locator('.indicator-links a[href$="/indicators/3rd-grade-reading"]').count()).toBe(1);
		expect(await page.locator('a[href="mailto:hello@river-city-reads.example.org"]').count()).toBe(1);
		expect(await page.locator('a[href$="/funding?organization=river-city-reads"]').count()).toBe(1);
		const years = page.locator('#received-heading ~ .table-scroll .funding__years tbody tr');
		expect(await years.count()).toBe(4);
		const rows = await years.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));
		if (lang === 'en') {
			expect(rows).toEqual([
				['2021', '$180,000'],
				['2022', '$255,000'],
				['2023', '$235,000'],
				['2024', '$295,000']
			]);
			const text = (await page.locator('main').textContent()) ?? '';
			expect(text).toContain('June 15, 2026');
			expect(text).toContain('Aims to increase it');
			expect(text).toContain('All 7 funding records — Sample data');
			expect(text).not.toContain('Possibly out of date');
		} else {
			expect(rows.map((r) => r[1]!.replace(/\s/g, ' '))).toEqual(['180.000 US$', '255.000 US$', '235.000 US$', '295.000 US$']);
			const text = (await page.locator('main').textContent()) ?? '';
			expect(text).toContain('15 de junio de 2026');
			expect(text).toContain('Busca aumentarlo');
		}
		expect(await page.locator('.funding__records tbody tr').count()).toBe(7);
		await page.screenshot({ path: path.join(SCREENSHOTS, `organization-${lang}-${suffix}.png`), fullPage: true });
		await expectHeadingOrder(page);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await close();
	});

	it('an organization never verified says so and is possibly out of date; a funder shows the funding it gave', async () => {
		const { page, close } = await open('/organizations/state-learning-grants-office');
		const text = (await page.locator('main').textContent()) ?? '';
		expect(text).toContain('Never verified');
		expect(text).toContain('This profile has never been verified: it may be out of date.');
		expect(await page.locator('.directory-stale').count()).toBe(1);
		expect(await page.locator('#given-heading').textContent()).toBe('Funding given');
		expect(await page.locator('#given-heading ~ .table-scroll .funding__years tbody tr').count()).toBe(4);
		expect(await page.locator('#received-heading ~ p').first().textContent()).toBe('No funding records.');
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await close();
	});

	it.each(['en', 'es'])('/%s/programs/after-school-tutoring shows the program, who runs it, its indicators and funding', async (lang) => {
		const { page, status, close } = await open(`/${lang}/programs/after-school-tutoring`);
		expect(status).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('After-School Reading Tutors');
		expect(await page.locator('.directory-record__tags .sample-tag').count()).toBe(1);
		expect(await page.locator('.directory-record__facts a[href$="/organizations/river-city-reads"]').count()).toBe(1);
		const link = page.locator('.indicator-links li');
		expect(await link.count()).toBe(1);
		expect(await link.textContent()).toContain("Tutored children's reading scores");
		expect(await link.textContent()).toContain(lang === 'en' ? 'Aims to increase it' : 'Busca aumentarlo');
		expect(await page.locator('.funding__years tbody tr').count()).toBe(4);
		expect(await page.locator('main').textContent()).toContain(lang === 'en' ? 'Active' : 'Activo');
		// Performance measures are not shown yet, and not promised.
		expect(await page.locator('main').textContent()).not.toMatch(/performance|coming soon/i);
		await page.screenshot({ path: path.join(SCREENSHOTS, `program-${lang}-${suffix}.png`), fullPage: true });
		await expectHeadingOrder(page);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await close();
	});

	it.each(['en', 'es'])('/%s/policies/regional-clean-air-plan shows the policy and the indicator it aims to move', async (lang) => {
		const { page, status, close } = await open(`/${lang}/policies/regional-clean-air-plan`);
		expect(status).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('Regional Clean Air Plan');
		expect(await page.locator('.directory-record__tags .sample-tag').count()).toBe(1);
		const text = (await page.locator('main').textContent()) ?? '';
		expect(text).toContain('Regional Air Quality Board');
		expect(text).toContain(lang === 'en' ? 'May 18, 2023' : '18 de mayo de 2023');
		expect(text).toContain(lang === 'en' ? 'In effect' : 'Vigente');
		expect(text).toContain(lang === 'en' ? 'Aims to decrease it' : 'Busca reducirlo');
		expect(await page.locator('.indicator-links a[href$="/indicators/air-quality-pm25"]').count()).toBe(1);
		expect(await page.locator('a[href="https://clean-commute.example.org/plan"]').count()).toBe(1);
		await expectHeadingOrder(page);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), name).toEqual([]);
		await close();
	});

	it('ids with dots, colons and slashes are linked and found; their amounts keep their currencies apart', async () => {
		const { page, status, close } = await open('/organizations/US-EIN-68-0100001');
		expect(status).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('Sierra Foothill Food Bank');
		expect(await page.locator('.sample-tag').count()).toBe(0);
		const program = page.locator('a[href$="/programs/US-EIN-68-0100001/pantry%2E1"]');
		expect(await program.count()).toBeGreaterThan(0);
		const years = await page.locator('.funding__years tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim()).join(' ')));
		expect(years).toEqual(['2025 £1,000.50', '2025 $2,000']);
		expect(await page.locator('main').textContent()).toContain('never added together');
		expect(await page.locator('a[href$="/organizations/GB-CHC-1234/east%3A2%2E0"]').count()).toBeGreaterThan(0);
		expect(await page.locator('a[href$="/funding?organization=US-EIN-68-0100001"]').count()).toBe(1);

		await program.first().click();
		await page.waitForURL(/\/programs\//);
		await expect(page.locator('h1').textContent()).resolves.toBe('Mobile Pantry');
		expect(await page.locator('main').textContent()).toContain('Planned');
		await page.locator('.directory-record__facts a[href$="/organizations/GB-CHC-1234/east%3A2%2E0"]').click();
		await page.waitForURL(/east/);
		await expect(page.locator('h1').textContent()).resolves.toBe('Eastside Tenants Union');
		expect(await page.locator('main').textContent()).toContain('November 1, 2026');
		expect(await page.locator('#given-heading').textContent()).toBe('Funding given');

		const policy = await page.goto(server.url + '/policies/gp%3A2040/housing');
		expect(policy?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('Housing Element');

		// In Spanish too: the language prefix is kept from link to link (a dot in the last part would make it a file's address).
		const spanish = await page.goto(server.url + '/es/organizations/GB-CHC-1234/east%3A2%2E0');
		expect(spanish?.status()).toBe(200);
		expect(await page.locator('html').getAttribute('lang')).toBe('es');
		await page.locator('a[href="/es/programs/US-EIN-68-0100001/pantry%2E1"]').first().click();
		await page.waitForURL(/pantry/);
		await expect(page.locator('h1').textContent()).resolves.toBe('Mobile Pantry');
		expect(await page.locator('main').textContent()).toContain('Planeado');
		await close();
	});

	it.each(['/organizations/no-such-org', '/organizations/river-city-reads/extra', '/programs/no-such-program', '/policies/no-such-policy', '/programs/US-EIN-68-0100001', '/es/policies/nada'])(
		'%s is a real 404 page',
		async (pathname) => {
			const { page, status, close } = await open(pathname);
			expect(status).toBe(404);
			await expect(page.locator('h1').textContent()).resolves.toBe(pathname.startsWith('/es/') ? 'Página no encontrada' : 'Page not found');
			await close();
		}
	);
});
