import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { MAX_CSV_BYTES } from '#lib/indicators/server/import-csv.ts';
import { chartPng } from '#lib/indicators/server/chart-image.ts';

/**
 * The whole data upload flow as a data steward meets it, with and without JavaScript: sign
 * in, upload a CSV with a bad row, read the error, fix it, publish, see the public page
 * change; oversize uploads; a member crafting the POSTs by hand.
 */

const PASSWORD = 'a steward password 2050';
const EDITOR = 'steward@example.org';
const MEMBER = 'member@example.org';
const UPLOAD = '/admin/indicators/energy/upload';
const DRAFT_URL = /\/admin\/indicators\/energy\/upload\/[A-Za-z0-9_-]{43}$/;

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
/** The steward's signed-in sessions, with and without JavaScript (sign-ins are rate-limited per account). */
const steward = new Map<boolean, Page>();

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	for (const [email, role] of [
		[EDITOR, 'editor'],
		[MEMBER, 'member']
	] as const) {
		const created = await runCli(['user', 'create', '--email', email, '--role', role], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
	}
	browser = await launchBrowser();
	for (const javaScriptEnabled of [true, false]) steward.set(javaScriptEnabled, (await signIn(javaScriptEnabled, EDITOR)).page);
});

afterAll(async () => {
	for (const page of steward.values()) await page.context().close();
	await browser?.close();
	await server?.stop();
	await database?.drop();
});

async function signIn(javaScriptEnabled: boolean, email: string): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ javaScriptEnabled });
	const page = await context.newPage();
	await page.goto(server.url + '/sign-in');
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 15_000 }).catch(async () => {
		throw new Error(`${email} could not sign in: ${await page.locator('main').innerText()}`);
	});
	return { context, page };
}

function csv(rows: Array<[number, string]>): Buffer {
	return Buffer.from(['Year,GeoCode,Value', ...rows.map(([year, value]) => `${year},,${value}`)].join('\n') + '\n');
}

async function upload(page: Page, name: string, content: Buffer): Promise<void> {
	await page.goto(server.url + UPLOAD);
	await page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: content });
	await page.getByRole('button', { name: 'Upload and preview' }).click();
	await page.waitForLoadState('load');
}

/** The revision numbers of the indicator, newest first, as the history page lists them. */
async function revisionNumbers(page: Page): Promise<string[]> {
	await page.goto(server.url + '/admin/indicators/energy/revisions');
	return page.locator('#revisions-table tbody th a').allTextContents();
}

async function publicTableRow(page: Page, period: string): Promise<string | null> {
	await page.goto(server.url + '/indicators/energy');
	const row = page.locator('#data-caption').locator('xpath=..').locator('tbody tr').filter({ has: page.locator(`th:text-is("${period}")`) });
	return (await row.count()) ? row.locator('td').first().textContent() : null;
}

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true, value: '46.25' },
	{ name: 'without JavaScript', javaScriptEnabled: false, value: '47.5' }
])('data upload $name', ({ name, javaScriptEnabled, value }) => {
	it('shows the bad row, refuses it, publishes the fixed file and the public page changes', async () => {
		const page = steward.get(javaScriptEnabled)!;
		const chartBefore = await (await page.request.get(server.url + '/indicators/energy/chart.svg')).text();
		const revisionsBefore = await revisionNumbers(page);

		await page.goto(server.url + UPLOAD);
		await expect(page.locator('h1').textContent()).resolves.toBe('Upload data: Energy');
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `upload page ${name}`).toEqual([]);

		// A file with a bad row: every error is listed with its line and column, and there is no Publish button.
		await upload(page, 'energy.csv', csv([[2023, '41.5'], [2024, 'n/a'], [2025, value]]));
		expect(page.url()).toMatch(DRAFT_URL);
		await expect(page.locator('#upload-errors-heading').textContent()).resolves.toBe('This file has errors (1) and cannot be published');
		const errorRow = page.locator('#error-table tbody tr');
		expect(await errorRow.count()).toBe(1);
		await expect(errorRow.locator('th').textContent()).resolves.toBe('3');
		await expect(errorRow.locator('td').first().textContent()).resolves.toBe('Value');
		expect(await errorRow.locator('td').nth(1).textContent()).toMatch(/"n\/a" is not a number/);
		expect(await errorRow.locator('td').nth(2).textContent()).toMatch(/Leave the Value cell empty/);
		expect(await page.getByRole('button', { name: 'Publish as new revision' }).count()).toBe(0);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `preview with errors ${name}`).toEqual([]);

		// Publishing it anyway, by hand, is refused by the server.
		const token = await page.locator('input[name="_csrf"]').first().inputValue();
		const forced = await page.request.post(page.url() + '?/publish', { form: { _csrf: token }, headers: { origin: server.url, accept: 'text/html' }, maxRedirects: 0 });
		expect(forced.status()).toBe(409);
		expect(await revisionNumbers(page)).toEqual(revisionsBefore);

		// The fixed file: previewed, then published.
		await upload(page, 'energy.csv', csv([[2023, '41.5'], [2024, '44'], [2025, value]]));
		expect(page.url()).toMatch(DRAFT_URL);
		await expect(page.locator('#upload-ok-heading').textContent()).resolves.toBe('No errors found');
		expect(await page.locator('#rows-table tbody tr').count()).toBe(3);
		expect(await page.locator('#series-table tbody tr').count()).toBe(1);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `preview ${name}`).toEqual([]);
		await page.getByRole('button', { name: 'Publish as new revision' }).click();
		await page.waitForURL(/\/admin\/indicators\/energy\/revisions\/\d+\?published$/);
		expect((await page.locator('#revision-done').textContent())?.trim()).toMatch(/^Published as revision \d+\. The public pages show the new data now\.$/);
		// The summary says where the indicator shows.
		expect((await page.locator('#revision-placement').textContent())?.trim()).toBe('The home page shows this indicator under Environmental Sustainability.');
		expect(await page.locator('#diff-table tbody tr').count()).toBeGreaterThan(0);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `revision page ${name}`).toEqual([]);
		expect(await revisionNumbers(page)).toHaveLength(revisionsBefore.length + 1);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `revision list ${name}`).toEqual([]);

		// The public page shows the new data: the table has the new value and the chart is redrawn.
		expect(await publicTableRow(page, '2025')).toBe(value);
		expect(await publicTableRow(page, '2010')).toBeNull();
		const chartAfter = await (await page.request.get(server.url + '/indicators/energy/chart.svg')).text();
		expect(chartAfter).not.toBe(chartBefore);
	});

	it('refuses an upload over the size limit before reading it, naming the limit', async () => {
		const page = steward.get(javaScriptEnabled)!;
		const before = await revisionNumbers(page);
		// Just over the file limit: the request is read, the file is not parsed.
		await upload(page, 'big.csv', Buffer.alloc(MAX_CSV_BYTES + 1, 'a'));
		expect(new URL(page.url()).pathname).toBe(UPLOAD);
		expect(new URL(page.url()).searchParams.has('too_large')).toBe(false);
		expect(await page.locator('#upload-problem').textContent()).toMatch(/The file \(20\.0 MB\) is over the 20 MB limit for one upload, so it was not read\./);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `upload refused ${name}`).toEqual([]);
		// Far over it: refused from the request's size alone, before any of it is read.
		await upload(page, 'bigger.csv', Buffer.alloc(MAX_CSV_BYTES + 2 * 1024 * 1024, 'a'));
		expect(new URL(page.url()).pathname).toBe(UPLOAD);
		expect(new URL(page.url()).searchParams.has('too_large')).toBe(true);
		expect(await page.locator('#upload-problem').textContent()).toMatch(/The upload \(22\.0 MB\) is over the 20 MB limit for one file, so it was not read\./);
		expect(await revisionNumbers(page)).toEqual(before);
	});

	it('lets the steward keep the last of two lines for one observation, then publishes it', async () => {
		const page = steward.get(javaScriptEnabled)!;
		await upload(page, 'energy.csv', csv([[2023, '40'], [2024, '41'], [2024, '43'], [2025, value]]));
		expect(page.url()).toMatch(DRAFT_URL);
		expect(await page.locator('#error-table tbody tr').count()).toBe(1);
		expect(await page.locator('#error-table tbody tr td').nth(1).textContent()).toMatch(/Lines 3 and 4 are the same observation/);
		expect(await page.getByRole('button', { name: 'Publish as new revision' }).count()).toBe(0);

		await page.getByLabel('Keep the last of the two lines, with a warning naming both').check();
		await page.getByRole('button', { name: 'Check again with this choice' }).click();
		await page.waitForLoadState('load');
		expect(page.url()).toMatch(DRAFT_URL);
		await expect(page.locator('#upload-ok-heading').textContent()).resolves.toBe('No errors found');
		expect(await page.locator('#warning-table tbody tr').allTextContents()).toEqual([expect.stringMatching(/Lines 3 and 4 are the same observation/)]);
		expect(await page.locator('#rows-table tbody tr').count()).toBe(3);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `duplicates kept ${name}`).toEqual([]);
		await page.getByRole('button', { name: 'Publish as new revision' }).click();
		await page.waitForURL(/\/admin\/indicators\/energy\/revisions\/\d+\?published$/);
		// Written with the decimals of the rest of the data (43.0 or 43.00).
		expect(Number(await publicTableRow(page, '2024'))).toBe(43);
	});

	it('refuses a file that is not CSV text, naming what it is in the page language', async () => {
		const page = steward.get(javaScriptEnabled)!;
		const before = await revisionNumbers(page);
		const png = chartPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>', 20);
		await upload(page, 'energy.csv', png);
		expect(new URL(page.url()).pathname).toBe(UPLOAD);
		expect(await page.locator('#upload-problem').textContent()).toMatch(/The file is a PNG image, not a CSV file\. Choose the CSV file that holds the data/);
		expect(await page.locator('#upload-problem').textContent()).not.toMatch(/PNG\uFFFD|\uFFFD/);
		expect(await checkAccessibility(browser, page, javaScriptEnabled), `not a CSV ${name}`).toEqual([]);
		// The same refusal for a Spanish reader.
		const token = await page.locator('input[name="_csrf"]').first().inputValue();
		const spanish = await page.request.post(server.url + UPLOAD, {
			multipart: { _csrf: token, file: { name: 'energia.csv', mimeType: 'text/csv', buffer: png } },
			headers: { origin: server.url, accept: 'text/html', 'accept-language': 'es' },
			maxRedirects: 0
		});
		expect(spanish.status()).toBe(400);
		expect(await spanish.text()).toContain('El archivo es una imagen PNG, no un archivo CSV.');
		expect(await revisionNumbers(page)).toEqual(before);
	});
});

describe('revisions', () => {
	it('restores an earlier revision after a confirmation', async () => {
		const page = steward.get(false)!;
		const before = await revisionNumbers(page);
		await page.goto(server.url + '/admin/indicators/energy/revisions/1');
		await page.getByRole('link', { name: 'Restore this revision' }).click();
		await expect(page.locator('#restore-confirm-heading').textContent()).resolves.toBe('Restore revision 1?');
		expect(await checkAccessibility(browser, page, false), 'restore confirmation').toEqual([]);
		await page.getByRole('button', { name: 'Yes, restore revision 1' }).click();
		await page.waitForURL(/\/revisions\/\d+\?restored$/);
		expect((await page.locator('#revision-done').textContent())?.trim()).toMatch(/^Restored\./);
		expect(await revisionNumbers(page)).toHaveLength(before.length + 1);
		// Revision 1 is the region's sample data: 2010 is back on the public page.
		expect(await publicTableRow(page, '2010')).toBe('20.4');
	});

	it('refuses a member who crafts the publish and restore POSTs by hand, and changes nothing', async () => {
		const stewardPage = steward.get(true)!;
		await upload(stewardPage, 'energy.csv', csv([[2023, '50'], [2024, '51']]));
		const draftUrl = stewardPage.url();
		expect(draftUrl).toMatch(DRAFT_URL);
		const before = await revisionNumbers(stewardPage);

		const member = await signIn(true, MEMBER);
		// A member's own CSRF token, from the sign-out form every signed-in page has.
		const token = await member.page.locator('form[action="/sign-out"] input[name="_csrf"]').first().inputValue();
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const post = (url: string) => member.page.request.post(url, { form: { _csrf: token }, headers: { origin: server.url, accept: 'text/html' }, maxRedirects: 0 });
		expect((await post(draftUrl + '?/publish')).status()).toBe(403);
		expect((await post(draftUrl + '?/cancel')).status()).toBe(403);
		expect((await post(server.url + '/admin/indicators/energy/revisions/1?/restore')).status()).toBe(403);
		expect((await post(server.url + UPLOAD)).status()).toBe(403);
		expect((await member.page.request.get(server.url + '/admin/indicators/energy/revisions/1')).status()).toBe(403);
		expect((await member.page.request.get(draftUrl)).status()).toBe(403);
		await member.context.close();

		expect(await revisionNumbers(stewardPage)).toEqual(before);
		// The same request from the steward does publish: the refusal was the member's role.
		const stewardToken = await stewardPage.locator('form[action="/sign-out"] input[name="_csrf"]').first().inputValue();
		const published = await stewardPage.request.post(draftUrl + '?/publish', { form: { _csrf: stewardToken }, headers: { origin: server.url, accept: 'text/html' }, maxRedirects: 0 });
		expect(published.status()).toBe(303);
		expect(published.headers()['location']).toMatch(/\/revisions\/\d+\?published$/);
		expect(await revisionNumbers(stewardPage)).toHaveLength(before.length + 1);
	});
});
