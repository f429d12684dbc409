/**
 * "Who's involved" on indicator pages and "who funds what" at /funding, in a browser, with the
 * region's sample directory and a funder's 360Giving file: what they show, that they agree
 * with each other, and axe with and without JavaScript.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, PROJECT_DIR, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	const imported = await runCli(['import', 'directory', path.join(PROJECT_DIR, 'tests/fixtures/directory-360giving')], { DATABASE_URL: database.url });
	expect(imported.code, imported.stderr).toBe(0);
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await database?.drop();
});

/** A table's body as rows of cell texts. */
async function tableRows(page: import('playwright-core').Page, caption: string): Promise<string[][]> {
	const table = page.locator('table', { has: page.locator('caption', { hasText: caption }) }).first();
	return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim().replace(/\s+/g, ' '))));
}

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true },
	{ name: 'without JavaScript', javaScriptEnabled: false }
])('who is involved $name', ({ javaScriptEnabled }) => {
	it('shows the programs, organizations and funding per year of an indicator, and /funding agrees', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		await page.goto(`${server.url}/indicators/3rd-grade-reading`);
		const involved = page.locator('#involved');
		await expect(involved.getByRole('heading', { level: 2 }).textContent()).resolves.toBe("Who's involved");
		expect(await involved.locator('h3 + ul a[href^="/programs/"]').allTextContents()).toEqual(['After-School Reading Tutors', 'Summer Reading Bridge']);
		expect(await involved.locator('a[href^="/organizations/"]').allTextContents()).toEqual(['Capital Region Community Fund', 'Library Reading Buddies', 'River City Reads']);
		// Sample records are marked; the organization from the 360Giving file was never verified.
		expect(await involved.locator('li', { hasText: 'After-School Reading Tutors' }).locator('.sample-tag').count()).toBe(1);
		await expect(involved.locator('li', { hasText: 'Library Reading Buddies' }).textContent()).resolves.toContain('Possibly out of date');
		// The funding chart is one picture with a name and a description in words.
		const svg = involved.locator('.chart__drawing svg').first();
		expect(await svg.getAttribute('role')).toBe('img');
		await expect(svg.locator('desc').textContent()).resolves.toMatch(/^Funding linked to 3rd Grade Reading: \$1,059,251 in all from 2021 to 2024/);
		const perYear = await tableRows(page, 'Funding linked to 3rd Grade Reading, by year');
		expect(perYear).toEqual([
			['2021', '$210,251'],
			['2022', '$286,000'],
			['2023', '$235,000'],
			['2024', '$328,000']
		]);
		expect(await checkAccessibility(browser, page, javaScriptEnabled)).toEqual([]);

		// The funding page for the indicator lists the same totals, to the cent.
		await involved.getByRole('link', { name: 'All funding records for it' }).click();
		await page.waitForURL(/\/funding\?indicator=3rd-grade-reading$/);
		await expect(page.locator('h1').textContent()).resolves.toContain('Funding linked to 3rd Grade Reading');
		expect(await tableRows(page, 'Funding by year')).toEqual([
			['2021', '$210,250.50'],
			['2022', '$286,000'],
			['2023', '$235,000'],
			['2024', '$328,000']
		]);
		expect(await page.locator('table', { has: page.locator('caption', { hasText: 'Funding records' }) }).locator('tbody tr').count()).toBe(10);
		expect(await checkAccessibility(browser, page, javaScriptEnabled)).toEqual([]);
		await context.close();
	});

	it('shows who funds what by year, kind of source and area, in Spanish too, and says which filter is wrong', async () => {
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		await page.goto(`${server.url}/funding`);
		await expect(page.locator('h1').textContent()).resolves.toContain('Who funds what');
		await expect(page.locator('main').textContent()).resolves.toContain('26 funding records.');
		// Other currencies are listed apart, never added to the dollars.
		expect(await tableRows(page, 'Funding by year')).toContainEqual(['2022', '$455,000', '€4,500']);
		expect((await tableRows(page, 'Funding by kind of source')).map((r) => r[0])).toEqual(['State', 'Not stated', 'Philanthropy', 'Local']);
		expect(await tableRows(page, 'Funding by area')).toContainEqual(['K-12 and Higher Education', '$1,059,250.50', '10']);
		expect(await checkAccessibility(browser, page, javaScriptEnabled)).toEqual([]);

		await page.getByLabel('Kind of source', { exact: true }).selectOption('state');
		await page.getByRole('button', { name: 'Show' }).click();
		await page.waitForURL(/source_kind=state/);
		await expect(page.locator('main').textContent()).resolves.toContain('5 funding records.');

		await page.goto(`${server.url}/funding?fiscal_year=twenty&organization=nobody`);
		const alert = await page.locator('.usa-alert').textContent();
		expect(alert).toContain('There is no organization with that id');
		expect(alert).toContain('The year must be four digits');

		await page.goto(`${server.url}/es/funding`);
		await expect(page.locator('h1').textContent()).resolves.toContain('Quién financia qué');
		expect((await tableRows(page, 'Financiamiento por tipo de fuente')).map((r) => r[0])).toEqual(['Estatal', 'No indicado', 'Filantropía', 'Local']);
		expect(await checkAccessibility(browser, page, javaScriptEnabled)).toEqual([]);
		await context.close();
	});
});

it('says so on an indicator page when nobody is linked to it yet', async () => {
	const page = await browser.newPage();
	await page.goto(`${server.url}/indicators/obesity`);
	await expect(page.locator('#involved').textContent()).resolves.toContain('No organization, program or policy is linked to this indicator yet.');
	await page.close();
});
