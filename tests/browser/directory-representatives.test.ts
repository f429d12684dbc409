/**
 * Who keeps the directory, in a browser with and without JavaScript: a member whose e-mail is
 * at an organization's web domain claims it and is approved at once, previews and publishes
 * an edit that the public page then shows, and restores it from the history; another member's
 * claim waits for an editor, who approves it; nobody edits an organization they do not
 * represent, even with a crafted POST. axe on every page of the flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { checkAccessibility } from '../support/axe.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { signInByHand } from '../support/sign-in.ts';

const PASSWORD = 'correct horse battery staple';
let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	for (const [email, role] of [
		['ana@river-city-reads.example.org', 'member'],
		['bo@example.net', 'member'],
		['cy@example.net', 'member'],
		['ed@example.org', 'editor']
	] as const) {
		const created = await runCli(['user', 'create', '--email', email, '--role', role], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
	}
	browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
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
	await page.waitForURL(/\/account$/);
	return { context, page };
}

describe.each([
	{ name: 'without JavaScript', javaScriptEnabled: false, organization: 'river-city-reads', phone: '(916) 555-0177' },
	{ name: 'with JavaScript', javaScriptEnabled: true, organization: 'river-city-reads', phone: '(916) 555-0188' }
])('a representative $name', ({ javaScriptEnabled, organization, phone }) => {
	it('claims their organization, is approved by e-mail domain, previews, publishes and restores an edit', async () => {
		const { context, page } = await signIn(javaScriptEnabled, 'ana@river-city-reads.example.org');
		await page.getByRole('link', { name: 'Organizations you represent' }).click();
		expect(await checkAccessibility(browser, page, javaScriptEnabled)).toEqual([]);
		if (!javaScriptEnabled) {
			const search = page.getByRole('search', { name: 'Claim an organization' });
			await search.getByLabel("The organization's name").fill('River City');
			await search.getByRole('button', { name: 'Search' }).click();
			await page.getByRole('button', { name: 'Claim River City Reads' }).click();
			await page.waitForURL(/claimed=approved/);
			await expect(page.locator('.notice--success').textContent()).resolves.toContain('Approved');
		}
		await page.getByRole('link', { name: 'edit it' }).click();
		await page.waitForURL(new RegExp(`/admin/directory/organizations/${organization}$`));
		expect(await checkAccessibility(browser, page, javaScriptEnabled)).toEqual([]);

		await page.getByLabel('Phone').fill(phone);
		await page.getByRole('button', { name: 'Preview the changes' }).click();
		const preview = page.locator('section', { has: page.getByRole('heading', { name: 'What would change' }) });
		expect(await preview.locator('tbody tr').first().locator('th, td').allTextContents()).toEqual(['Phone', expect.any(String), phone]);
		expect(await checkAccessibility(browser, page, javaScriptEnabled)).toEqual([]);
		// Nothing is saved by a preview: the history has no phone change yet.
		expect(await page.locator('#history-caption + thead + tbody').textContent()).not.toContain(phone);
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\?saved$/);
		await expect(page.locator('.notice--success').textContent()).resolves.toBeTruthy();
		expect(await page.locator('#history-caption + thead + tbody tr').first().locator('td').nth(2).textContent()).toBe(phone);

		// Restore the phone number as it was.
		await page.getByRole('button', { name: 'Restore the Phone from before' }).first().click();
		await page.waitForURL(/\?restored$/);
		expect(await page.getByLabel('Phone').inputValue()).not.toBe(phone);
		await context.close();
	});
});

describe('claims an editor decides', () => {
	it('waits for an editor, who approves it; then the member edits that organization only', async () => {
		const bo = await signIn(false, 'bo@example.net');
		await bo.page.goto(`${server.url}/account/organizations?q=Delta`);
		await bo.page.getByLabel('Your role there (for the editor)').fill('Program director');
		await bo.page.getByRole('button', { name: 'Claim Delta Health Access' }).click();
		await bo.page.waitForURL(/claimed=pending/);
		// Not a representative yet: the back office refuses.
		expect((await bo.page.goto(`${server.url}/admin/directory/organizations/delta-health-access`))!.status()).toBe(403);

		const ed = await signIn(false, 'ed@example.org');
		await ed.page.goto(`${server.url}/admin/directory/claims`);
		expect(await checkAccessibility(browser, ed.page, false)).toEqual([]);
		await expect(ed.page.locator('main').textContent()).resolves.toContain('Program director');
		await ed.page.getByRole('button', { name: 'Approve' }).click();
		await ed.page.waitForURL(/claims\?saved$/);
		await ed.page.goto(`${server.url}/admin/directory?q=delta`);
		expect(await checkAccessibility(browser, ed.page, false)).toEqual([]);

		expect((await bo.page.goto(`${server.url}/admin/directory/organizations/delta-health-access`))!.status()).toBe(200);
		expect((await bo.page.goto(`${server.url}/admin/directory`))!.status()).toBe(200);
		expect(await bo.page.getByRole('link', { name: 'Coverage Navigators' }).count()).toBe(1);
		// A funding record their organization received, added through the form.
		await bo.page.goto(`${server.url}/admin/directory/organizations/delta-health-access`);
		await bo.page.getByRole('link', { name: 'Add a funding record received' }).click();
		expect(await checkAccessibility(browser, bo.page, false)).toEqual([]);
		await bo.page.getByLabel('Funder (organization id)').fill('capital-region-community-fund');
		await bo.page.getByLabel('Title', { exact: true }).fill('Clinic navigators, year three');
		await bo.page.getByLabel('Amount').fill('$150,000');
		await bo.page.getByLabel('Fiscal year').fill('2026');
		await bo.page.getByRole('button', { name: 'Publish' }).click();
		await bo.page.waitForURL(/\/admin\/directory\/funding\/grant-[a-z0-9]+\?saved$/);
		const funded = await fetch(`${server.url}/api/v1/funding.json?organization=delta-health-access&fiscal_year=2026`).then((r) => (r.ok ? r.text() : ''));
		if (funded) expect(funded).toContain('Clinic navigators, year three');
		// Another organization's page and a crafted POST to it are refused, and change nothing.
		expect((await bo.page.goto(`${server.url}/admin/directory/organizations/river-city-reads`))!.status()).toBe(403);
		expect((await bo.page.goto(`${server.url}/admin/directory/claims`))!.status()).toBe(403);
		expect((await bo.page.goto(`${server.url}/admin/indicators`))!.status()).toBe(403);
		const session = await signInByHand(server.url, 'bo@example.net', PASSWORD);
		const crafted = await fetch(`${server.url}/admin/directory/organizations/river-city-reads?/publish`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: session.cookie, origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ _csrf: session.token, name: 'Taken over', kind: 'nonprofit' })
		});
		expect(crafted.status).toBe(403);
		const profile = await fetch(`${server.url}/organizations/river-city-reads`).then((r) => r.text()).catch(() => '');
		expect(profile).not.toContain('Taken over');
		// A member without a claim has no back office at all.
		const cy = await signIn(false, 'cy@example.net');
		expect((await cy.page.goto(`${server.url}/admin/directory`))!.status()).toBe(403);
		for (const c of [bo.context, ed.context, cy.context]) await c.close();
	});
});
