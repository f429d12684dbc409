import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { axeViolations } from '../support/axe.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';

/**
 * The back office end to end, with and without JavaScript: an admin made on the command line
 * signs in through the page, edits an indicator's 2050 target (a mistake first, then right)
 * and sees it on the public page, changes a person's role, and finds both in the audit log.
 * Every admin page is checked with axe on the way.
 */

const PASSWORD = 'correct horse battery staple';
const ADMIN = 'admin@example.org';
const PERSON = 'pat@example.org';

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
let outbox: string;
/** A small Open SDG repository whose two indicators name no goal, area or tag: imported into no area. */
let repository: string;
const UNPLACED = [
	{ id: 'local-parks', name: 'Park acres per 1,000 residents' },
	{ id: 'local-libraries', name: 'Library visits per resident' }
];

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-admin-outbox-'));
	server = await startServer({ DATABASE_URL: database.url, SMTP_URL: undefined, SAC2050_OUTBOX_DIR: outbox });
	for (const [email, role] of [
		[ADMIN, 'admin'],
		[PERSON, 'member']
	] as const) {
		const created = await runCli(['user', 'create', '--email', email, '--role', role], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
	}
	repository = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-unplaced-'));
	for (const dir of ['data', 'meta']) fs.mkdirSync(path.join(repository, dir));
	for (const [i, { id, name }] of UNPLACED.entries()) {
		fs.writeFileSync(path.join(repository, 'data', `indicator_${id}.csv`), `Year,Value\n2020,${10 + i}\n2022,${12 + i}\n`);
		fs.writeFileSync(path.join(repository, 'meta', `${id}.md`), ['---', `indicator_name: ${name}`, 'computation_units: per resident', '---', ''].join('\n'));
	}
	const imported = await runCli(['import', 'opensdg', repository], { DATABASE_URL: database.url });
	expect(imported.code, imported.stderr).toBe(0);
	expect(imported.stdout).toContain('In no area yet, shown under "Other indicators" (2): local-libraries, local-parks.');
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await database?.drop();
	fs.rmSync(outbox, { recursive: true, force: true });
	if (repository) fs.rmSync(repository, { recursive: true, force: true });
});

/** Without JavaScript: the app's scripts are blocked, so the page is the server-rendered one (axe still runs). */
async function newContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
	const context = await browser.newContext();
	if (!javaScriptEnabled) await context.route(/\/_app\/.*\.js$/, (route) => route.abort());
	return context;
}

async function expectAccessible(page: Page, label: string): Promise<void> {
	expect(await axeViolations(page), `${label} (${page.url()})`).toEqual([]);
}

async function submit(page: Page, button: string | RegExp): Promise<Response> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST'),
		page.getByRole('button', { name: button }).click()
	]);
	await page.waitForLoadState('load');
	// With JavaScript the form is sent by the app; wait for it to show the result.
	await page.waitForLoadState('networkidle');
	return response;
}

async function signIn(page: Page): Promise<void> {
	await page.goto(server.url + '/sign-in?next=/admin');
	// With JavaScript, let the page hydrate first: it would reset fields typed before.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('E-mail address').fill(ADMIN);
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	const response = await submit(page, 'Sign in');
	expect(response.status(), (await page.locator('main').textContent()) ?? '').toBeLessThan(400);
	await page.waitForURL(server.url + '/admin');
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe.each([
	{ name: 'with JavaScript', javaScriptEnabled: true, target: '2.75', role: 'Editor (data steward)' },
	{ name: 'without JavaScript', javaScriptEnabled: false, target: '3.5', role: 'Reviewer' }
])('the back office $name', ({ javaScriptEnabled, target, role }) => {
	it('edits a 2050 target, changes a role, and shows both in the audit log', async () => {
		const context = await newContext(javaScriptEnabled);
		const page = await context.newPage();
		await signIn(page);
		// The header links to the back office; the home lists this role's sections.
		expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Back office' }).count()).toBe(1);
		await expect(page.locator('h1').textContent()).resolves.toBe('Back office');
		const sections = page.getByRole('navigation', { name: 'Back office sections' });
		expect(await sections.getByRole('link').allTextContents()).toEqual(['Indicators', 'Areas', 'Directory', 'Stories', 'Region settings', 'Users and roles', 'Audit log', 'Mail outbox']);
		await expectAccessible(page, 'admin home');

		await sections.getByRole('link', { name: 'Indicators' }).click();
		await page.waitForURL(server.url + '/admin/indicators');
		await expectAccessible(page, 'indicators');
		await page.getByRole('link', { name: 'Unemployment', exact: true }).click();
		await page.waitForURL(server.url + '/admin/indicators/unemployment');
		await expect(page.locator('h1').textContent()).resolves.toBe('Edit indicator: Unemployment');
		expect(await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link').allTextContents()).toEqual(['Back office', 'Indicators']);
		await expectAccessible(page, 'indicator form');

		// A mistake first: the error summary links to the field, which keeps what was typed.
		await page.getByLabel('Target value').fill('about three');
		await page.getByLabel('Target year').fill('2050');
		await page.getByRole('radio', { name: 'A community process' }).check();
		await page.getByLabel('Citation or address').fill('');
		expect((await submit(page, 'Save changes')).status()).toBe(400);
		const summary = page.getByRole('alert');
		expect(await summary.getByRole('link').allTextContents()).toEqual([
			'Target value must be a number, such as 12.5 or -3.',
			'Enter where the target comes from: the adopted plan (title and year) or the community process, with its web address if there is one.'
		]);
		expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#targetValue');
		await expect(page.getByLabel('Target value').inputValue()).resolves.toBe('about three');
		expect(await page.getByLabel('Target value').getAttribute('aria-describedby')).toContain('targetValue-error');
		expect(await page.getByLabel('Target value').getAttribute('aria-invalid')).toBe('true');
		await expectAccessible(page, 'indicator form with errors');

		await page.getByLabel('Target value').fill(target);
		await page.getByLabel('Citation or address').fill('Sacramento 2050 community visioning (2026), https://example.org/vision');
		const saved = await submit(page, 'Save changes');
		expect([200, 303]).toContain(saved.status());
		await page.waitForURL(server.url + '/admin/indicators/unemployment?saved');
		await expect(page.getByRole('status').first().textContent()).resolves.toBe('Your changes were saved.');
		await expect(page.getByLabel('Target value').inputValue()).resolves.toBe(target);
		await expectAccessible(page, 'indicator saved');

		// The public page shows the new target at once (its cached copy is gone with the data version).
		const reader = await browser.newContext();
		const publicPage = await reader.newPage();
		await publicPage.goto(server.url + '/indicators/unemployment');
		expect(await text(publicPage, '.progress-panel')).toContain(`Target ${target} (2050)`);
		expect(await text(publicPage, '.progress-panel')).toContain('From a community process: Sacramento 2050 community visioning (2026), https://example.org/vision');
		await reader.close();

		// A role change.
		await page.goto(server.url + '/admin/users');
		await expectAccessible(page, 'users');
		await page.getByLabel(`Role of ${PERSON}`).selectOption({ label: role });
		await submit(page, new RegExp(`^Change role\\W+${PERSON.replace('.', '\\.')}$`));
		await page.waitForURL(/\/admin\/users\?saved=/);
		await expect(page.getByRole('status').first().textContent()).resolves.toBe(`${PERSON} is now ${role}.`);
		// Nobody changes their own role: the admin's own row has no form.
		expect(await page.getByLabel(`Role of ${ADMIN}`).count()).toBe(0);
		await expectAccessible(page, 'users saved');

		// Both in the audit log, with the readable diff.
		await page.goto(server.url + '/admin/audit');
		await expectAccessible(page, 'audit');
		const summaries = await page.locator('.audit-entry h2').allTextContents();
		expect(summaries[0]).toMatch(new RegExp(`^Role of ${PERSON}: \\w+ → \\w+$`));
		expect(summaries[1]).toMatch(new RegExp(`^Edited indicator unemployment; headline target .+ → ${target.replace('.', '\\.')} by 2050$`));
		const edit = page.locator('.audit-entry').nth(1);
		await edit.locator('summary').click();
		const changed = await edit.locator('tbody tr').allTextContents();
		expect(changed).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^target\\.value.*${target.replace('.', '\\.')}$`))]));
		expect(await edit.locator('pre').last().textContent()).toContain('"origin": "community_process"');
		// Filtered by action.
		await page.goto(server.url + '/admin/audit?action=users.setRole');
		expect(await page.locator('.audit-entry h2').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Role of /)]));
		expect((await page.locator('.audit-entry h2').allTextContents()).every((s) => s.startsWith('Role of ') || s.startsWith('Created '))).toBe(true);
		await expectAccessible(page, 'audit filtered');
		await context.close();
	});

	it('edits an area and the region settings; every other admin page passes axe', async () => {
		const context = await newContext(javaScriptEnabled);
		const page = await context.newPage();
		await signIn(page);
		await page.goto(server.url + '/admin/areas');
		await expectAccessible(page, 'areas');
		await page.getByRole('link', { name: 'The Economy', exact: true }).click();
		await page.waitForURL(server.url + '/admin/areas/economy');
		await expectAccessible(page, 'area form');
		await page.getByLabel('Name (English)').fill('');
		expect((await submit(page, 'Save changes')).status()).toBe(400);
		expect(await page.getByRole('alert').getByRole('link').allTextContents()).toEqual(['Enter Name (English).']);
		await expectAccessible(page, 'area form with errors');
		const question = javaScriptEnabled ? 'Is the economy working for everyone?' : 'Can everyone earn a living?';
		await page.getByLabel('Name (English)').fill('The Economy');
		await page.getByLabel('Guiding question (English)').fill(question);
		await submit(page, 'Save changes');
		await page.waitForURL(server.url + '/admin/areas/economy?saved');
		const reader = await browser.newContext();
		const publicPage = await reader.newPage();
		await publicPage.goto(server.url + '/areas/economy');
		expect(await publicPage.locator('main').textContent()).toContain(question);

		await page.goto(server.url + '/admin/settings');
		await expectAccessible(page, 'settings');
		// Past the field's maxlength, as a hand-made request could be: the server refuses it too.
		const tooLong = 'x'.repeat(201);
		await page.getByLabel('Tagline (English)').evaluate((input) => input.removeAttribute('maxlength'));
		await page.getByLabel('Tagline (English)').fill(tooLong);
		expect((await submit(page, 'Save changes')).status()).toBe(400);
		expect(await page.getByRole('alert').getByRole('link').allTextContents()).toEqual(['Tagline (English) is too long: use at most 200 characters.']);
		await expect(page.getByLabel('Tagline (English)').inputValue()).resolves.toBe(tooLong);
		await expectAccessible(page, 'settings with errors');
		const tagline = javaScriptEnabled ? 'Measuring what matters, together' : 'Our region, by the numbers';
		const contact = `Write to hello@example.org (${javaScriptEnabled ? 'js' : 'no js'}).`;
		await page.getByLabel('Contact (English)').fill(contact);
		await page.getByLabel('Tagline (English)').fill(tagline);
		await submit(page, 'Save changes');
		await page.waitForURL(server.url + '/admin/settings?saved');
		await publicPage.goto(server.url + '/');
		await expect(publicPage.locator('.site-header__tagline').textContent()).resolves.toBe(tagline);
		expect(await publicPage.locator('footer').textContent()).toContain(contact);
		await reader.close();

		await page.goto(server.url + '/admin/outbox');
		await expectAccessible(page, 'outbox');
		await page.goto(server.url + '/admin/indicators?area=health');
		expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
		await expectAccessible(page, 'indicators filtered');
		await context.close();
	});
});

describe('the back office layout', () => {
	it('puts the breadcrumb above, the sections beside the content on a wide screen, and tables at full width without cut columns', async () => {
		const context = await newContext(true);
		const page = await context.newPage();
		await page.setViewportSize({ width: 1280, height: 900 });
		await signIn(page);
		await page.goto(server.url + '/admin/indicators');
		const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
		const container = await box('.admin__body');
		const crumbs = await box('.admin-breadcrumbs');
		const nav = await box('.admin-nav');
		const content = await box('.admin__content');
		// The breadcrumb runs across the top, over both columns.
		expect(crumbs.width).toBeGreaterThan(container.width * 0.95);
		expect(crumbs.y + crumbs.height).toBeLessThanOrEqual(Math.min(nav.y, content.y) + 1);
		// The sections sit beside the content, which takes the rest of the width.
		expect(nav.x + nav.width).toBeLessThanOrEqual(content.x);
		expect(content.width).toBeGreaterThan(container.width * 0.7);
		// Every column of the indicator list is inside the content: none is cut.
		const headers = await page.locator('.admin__content table th').evaluateAll((cells) => cells.map((cell) => ({ text: cell.textContent?.trim() ?? '', right: cell.getBoundingClientRect().right })));
		expect(headers.map((h) => h.text)).toContain('Headline target');
		for (const header of headers) expect(header.right, header.text).toBeLessThanOrEqual(content.x + content.width + 1);

		// On a phone the sections come first and the content below them, at the full width.
		await page.setViewportSize({ width: 390, height: 800 });
		const narrowNav = await box('.admin-nav');
		const narrowContent = await box('.admin__content');
		expect(narrowNav.y + narrowNav.height).toBeLessThanOrEqual(narrowContent.y + 1);
		expect(narrowContent.width).toBeGreaterThan(300);
		await context.close();
	});
});

describe('indicators in no area', () => {
	const crumbs = async (page: Page) => {
		const nav = page.getByRole('navigation', { name: 'Breadcrumb' });
		return { links: await nav.getByRole('link').allTextContents(), hrefs: await nav.getByRole('link').evaluateAll((a) => a.map((l) => l.getAttribute('href'))), current: await text(page, '.breadcrumbs [aria-current="page"]') };
	};

	it('shows them under "Other indicators", then an editor assigns two at once and they are on their area page', async () => {
		const [parks, libraries] = UNPLACED as [(typeof UNPLACED)[number], (typeof UNPLACED)[number]];
		const reader = await browser.newContext();
		const publicPage = await reader.newPage();
		// The breadcrumb never skips the area: "Other indicators" leads to that section of the home page.
		await publicPage.goto(server.url + `/indicators/${parks.id}`);
		expect(await crumbs(publicPage)).toEqual({ links: ['How are we doing?', 'Other indicators'], hrefs: ['/', '/#other-indicators'], current: parks.name });
		await publicPage.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Other indicators' }).click();
		await publicPage.waitForURL(server.url + '/#other-indicators');
		const other = publicPage.locator('#other-indicators');
		expect(await other.getByRole('heading', { level: 2 }).textContent()).toBe('Other indicators');
		expect(await other.getByRole('link', { name: parks.name }).count()).toBe(1);
		expect(await other.getByRole('link', { name: libraries.name }).count()).toBe(1);

		const context = await newContext(false);
		const page = await context.newPage();
		await signIn(page);
		// An upload for one of them says it is in no area yet, and leads to where it is assigned.
		await page.goto(server.url + `/admin/indicators/${parks.id}/upload`);
		await page.getByLabel('CSV file').setInputFiles({ name: 'parks.csv', mimeType: 'text/csv', buffer: Buffer.from('Year,Value\n2020,10\n2022,12\n2024,13\n') });
		await submit(page, 'Upload and preview');
		await submit(page, 'Publish as new revision');
		await page.waitForURL(new RegExp(`/admin/indicators/${parks.id}/revisions/\\d+\\?published$`));
		await expect(text(page, '#revision-placement')).resolves.toBe('This indicator is in no area yet: the home page shows it under “Other indicators”. Assign it to an area');
		await expectAccessible(page, 'upload summary of an indicator in no area');
		await page.getByRole('link', { name: 'Assign it to an area' }).click();
		await page.waitForURL(server.url + '/admin/indicators#unassigned');
		const section = page.locator('#unassigned');
		await expect(section.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('In no area yet (2)');
		await expectAccessible(page, 'indicators in no area');

		// Nothing checked and an area that is not offered (as a hand-made request could send): both refused, saying what to do.
		await page.getByLabel('Assign the checked indicators to').evaluate((select) => select.append(new Option('Nowhere', 'nowhere')));
		await page.getByLabel('Assign the checked indicators to').selectOption('nowhere');
		expect((await submit(page, 'Assign to the area')).status()).toBe(400);
		const summary = page.getByRole('alert');
		expect(await summary.getByRole('link').allTextContents()).toEqual([
			'Check at least one indicator, then choose its area and send the form again.',
			'There is no area “nowhere”: choose one of the areas in the list.'
		]);
		expect(await summary.getByRole('link').evaluateAll((a) => a.map((l) => l.getAttribute('href')))).toEqual(['#assign-indicators', '#assign-area']);
		expect(await page.getByRole('group', { name: 'Indicators in no area' }).getAttribute('aria-describedby')).toBe('assign-indicators-error');
		await expectAccessible(page, 'assign with errors');
		// One checked, no area chosen: the check is kept for the next try.
		await page.getByLabel(`${parks.name} (${parks.id})`).check();
		expect((await submit(page, 'Assign to the area')).status()).toBe(400);
		expect(await page.getByRole('alert').getByRole('link').allTextContents()).toEqual(['Choose the area to put the checked indicators in.']);
		expect(await page.getByLabel(`${parks.name} (${parks.id})`).isChecked()).toBe(true);

		await page.getByLabel(`${libraries.name} (${libraries.id})`).check();
		await page.getByLabel('Assign the checked indicators to').selectOption({ label: 'Health and Families' });
		expect((await submit(page, 'Assign to the area')).status()).toBe(303);
		await page.waitForURL(server.url + '/admin/indicators?moved=2&to=health-families');
		await expect(text(page, '[role="status"]')).resolves.toBe('Moved 2 indicators to Health and Families. See the area’s page');
		await expect(section.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('In no area yet (0)');
		await expect(text(page, '#unassigned p')).resolves.toBe('Every indicator is in an area.');
		await expectAccessible(page, 'assigned');

		// Both on the area's public page at once, and the breadcrumb names the area.
		await page.getByRole('link', { name: 'See the area’s page' }).click();
		await page.waitForURL(server.url + '/areas/health-families');
		for (const { name } of UNPLACED) expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(1);
		await publicPage.goto(server.url + `/indicators/${parks.id}`);
		expect(await crumbs(publicPage)).toEqual({ links: ['How are we doing?', 'Health and Families'], hrefs: ['/', '/areas/health-families'], current: parks.name });
		await publicPage.goto(server.url + '/');
		expect(await publicPage.locator('#other-indicators').count()).toBe(0);

		// From the full list, one of them moves on to another area.
		await page.goto(server.url + '/admin/indicators?area=health-families');
		await page.getByRole('checkbox', { name: `Select ${libraries.name}` }).check();
		await page.getByLabel('Move the checked indicators to').selectOption({ label: 'Public Safety' });
		await submit(page, 'Move to the area');
		await page.waitForURL(server.url + '/admin/indicators?moved=1&to=public-safety&area=health-families');
		await expect(text(page, '[role="status"]')).resolves.toBe('Moved 1 indicator to Public Safety. See the area’s page');
		expect(await page.getByRole('link', { name: libraries.name, exact: true }).count()).toBe(0);
		expect(await page.getByRole('link', { name: parks.name, exact: true }).count()).toBe(1);
		await expectAccessible(page, 'moved from the list');

		// Each move is in the audit log.
		await page.goto(server.url + '/admin/audit?action=catalog.edit');
		const summaries = await page.locator('.audit-entry h2').allTextContents();
		expect(summaries.slice(0, 3).sort()).toEqual([
			`Moved indicator ${libraries.id} to area health-families (from no area)`,
			`Moved indicator ${libraries.id} to area public-safety (from health-families)`,
			`Moved indicator ${parks.id} to area health-families (from no area)`
		]);
		await reader.close();
		await context.close();
	});
});
