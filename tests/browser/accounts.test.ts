import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { sql } from 'kysely';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { launchBrowser } from '../support/browser.ts';
import { axeViolations } from '../support/axe.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

/**
 * The account pages end to end: a real server sending through a real SMTP connection to a
 * local SMTP server, links followed from the messages that arrive. Rate limits count per
 * address (all of this runs from 127.0.0.1) and per account, so each test uses its own
 * accounts and the rate-limit test runs last.
 */

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new long password';
const SAME_ANSWER = 'The e-mail address or the password is not right. Check both and try again, or reset your password.';

let database: TestDatabase;
let db: Db;
let smtp: TestSmtpServer;
let server: RunningServer;
let browser: Browser;
/** The address links in e-mail use (ORIGIN unset: http://localhost:<port served>). */
let base: string;
let signUps = 0;

beforeAll(async () => {
	smtp = await startSmtpServer();
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url, SMTP_URL: smtp.url, SAC2050_OUTBOX_DIR: undefined });
	base = `http://localhost:${server.port}`;
	db = await openDatabase(database.url);
	for (const email of ['states-js@example.org', 'states-nojs@example.org']) {
		const created = await runCli(['user', 'create', '--email', email, '--role', 'member'], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
	}
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await db?.close();
	await server?.stop();
	await smtp?.stop();
	await database?.drop();
});

/** A browser context with or without the app's JavaScript (blocked scripts: the server-rendered page). */
async function newContext(javaScriptEnabled: boolean): Promise<BrowserContext> {
	const context = await browser.newContext();
	if (!javaScriptEnabled) await context.route('**/*.js', (route) => route.abort());
	return context;
}

/**
 * Opens a page and waits until the app's scripts have loaded and hydrated, so what the test
 * types is not reset by hydration.
 */
async function open(page: Page, url: string): Promise<void> {
	await page.goto(url, { waitUntil: 'networkidle' });
}

async function expectAccessible(page: Page, label: string): Promise<void> {
	expect(await axeViolations(page), `${label} (${page.url()})`).toEqual([]);
}

/** Clicks a form's submit button and returns the response to the POST. */
async function submit(page: Page, button: string): Promise<Response> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
		page.locator('main').getByRole('button', { name: button }).click()
	]);
	await page.waitForLoadState('networkidle');
	return response;
}

async function signIn(page: Page, email: string, password: string): Promise<Response> {
	await open(page, base + '/sign-in');
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	return submit(page, 'Sign in');
}

async function signUp(page: Page, name: string, email: string, password = PASSWORD): Promise<Response> {
	await open(page, base + '/sign-up');
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password').fill(password);
	const response = await submit(page, 'Create account');
	if (response.status() === 200) signUps++;
	return response;
}

async function askForReset(page: Page, email: string): Promise<Response> {
	await open(page, base + '/forgot-password');
	await page.getByLabel('E-mail address').fill(email);
	return submit(page, 'Send the link');
}

async function alertText(page: Page): Promise<string> {
	return ((await page.getByRole('alert').textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('accounts through real SMTP', () => {
	it('signs up, confirms the address from the e-mail, signs out and in again', async () => {
		const context = await newContext(true);
		const page = await context.newPage();
		await open(page, base + '/sign-up');
		await expectAccessible(page, 'sign-up');
		expect((await signUp(page, 'Alice Rivera', 'Alice@Example.org')).status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toBe('Check your e-mail');
		await expectAccessible(page, 'sign-up sent');

		// Not confirmed yet: the right password does not sign in, and a new link is sent.
		const mail = await smtp.nextMessage('alice@example.org');
		expect(mail.subject).toBe('Confirm your e-mail address for Sac2050');
		expect((await signIn(page, 'alice@example.org', PASSWORD)).status()).toBe(403);
		expect(await alertText(page)).toContain('Confirm your e-mail address first');
		await smtp.nextMessage('alice@example.org');

		await open(page, linkIn(mail, `${base}/verify-email?token=`));
		await expect(page.getByRole('status').textContent()).resolves.toBe('Your e-mail address is confirmed and you are signed in.');
		await expectAccessible(page, 'verify-email');
		await page.getByRole('link', { name: 'Continue to your account' }).click();
		await page.waitForURL(base + '/account');
		await expect(page.locator('main').textContent()).resolves.toContain('Signed in as Alice Rivera (alice@example.org).');
		await expectAccessible(page, 'account');

		const session = (await context.cookies(base)).find((c) => c.name === 'sac2050.session_token');
		expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
		const csrf = (await context.cookies(base)).find((c) => c.name === 'sac2050.csrf');
		expect(csrf).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

		await submit(page, 'Sign out');
		expect(new URL(page.url()).pathname).toBe('/');
		expect((await context.cookies(base)).find((c) => c.name === 'sac2050.session_token')).toBeUndefined();
		await open(page, base + '/account');
		expect(new URL(page.url()).pathname).toBe('/sign-in');

		expect((await signIn(page, 'alice@example.org', PASSWORD)).status()).toBe(303);
		await page.waitForURL(base + '/account');
		await submit(page, 'Sign out');
		await context.close();
	});

	it('answers a wrong password and an unknown address with the same message', async () => {
		const context = await newContext(true);
		const page = await context.newPage();
		const wrong = await signIn(page, 'alice@example.org', 'not the password at all');
		const wrongText = await alertText(page);
		const unknown = await signIn(page, 'nobody-here@example.org', 'not the password at all');
		const unknownText = await alertText(page);
		expect(wrong.status()).toBe(400);
		expect(unknown.status()).toBe(wrong.status());
		expect(wrongText).toBe(unknownText);
		expect(wrongText).toContain(SAME_ANSWER);
		// What was typed stays in the form; nothing else differs between the two pages.
		expect(await page.getByLabel('E-mail address').inputValue()).toBe('nobody-here@example.org');
		await context.close();
	});

	it('resets a forgotten password from the e-mail; the used link then explains itself', async () => {
		const context = await newContext(true);
		const page = await context.newPage();
		await open(page, base + '/forgot-password');
		await expectAccessible(page, 'forgot-password');
		expect((await askForReset(page, 'alice@example.org')).status()).toBe(200);
		await expect(page.getByRole('status').textContent()).resolves.toContain('If there is an account for alice@example.org');
		await expectAccessible(page, 'forgot-password sent');
		const mail = await smtp.nextMessage('alice@example.org');
		expect(mail.subject).toBe('Reset your Sac2050 password');
		const link = linkIn(mail, `${base}/reset-password?token=`);

		// An address without an account gets the same page and no e-mail.
		await askForReset(page, 'nobody-here@example.org');
		await expect(page.getByRole('status').textContent()).resolves.toContain('If there is an account for nobody-here@example.org');
		expect(smtp.pending('nobody-here@example.org')).toBe(0);

		await open(page, link);
		await expectAccessible(page, 'reset-password');
		await page.getByLabel('New password').fill('short');
		expect((await submit(page, 'Save the new password')).status()).toBe(400);
		expect(await alertText(page)).toContain('The password is too short');
		await page.getByLabel('New password').fill(NEW_PASSWORD);
		await submit(page, 'Save the new password');
		expect(page.url()).toBe(base + '/sign-in?reset=done');
		await expect(page.getByRole('status').textContent()).resolves.toBe('Your password was changed. Sign in with the new one.');

		expect((await signIn(page, 'alice@example.org', PASSWORD)).status()).toBe(400);
		expect((await signIn(page, 'alice@example.org', NEW_PASSWORD)).status()).toBe(303);
		await page.waitForURL(base + '/account');

		await open(page, link);
		expect(await alertText(page)).toBe('This reset link has already been used or is not a valid link: each link works only once. Ask for a new one below.');
		const again = page.getByRole('link', { name: 'Ask for a new reset link' });
		expect(await again.getAttribute('href')).toBe('/forgot-password');
		await expect(page.locator('form input[name="password"]').count()).resolves.toBe(0);
		await expectAccessible(page, 'reset-password used');
		await context.close();
	});

	it('explains an expired reset link, opened or submitted after it expired (without JavaScript)', async () => {
		const context = await newContext(false);
		const page = await context.newPage();
		await askForReset(page, 'alice@example.org');
		const link = linkIn(await smtp.nextMessage('alice@example.org'), `${base}/reset-password?token=`);
		await open(page, link);
		await expectAccessible(page, 'reset-password without JS');

		// The hour passes while the page is open.
		const user = await db.kysely.selectFrom('auth_user').select('id').where('email', '=', 'alice@example.org').executeTakeFirstOrThrow();
		const past = new Date(Date.now() - 60_000).toISOString();
		const changed = await sql`update auth_verification set expires_at = ${past} where value = ${user.id}`.execute(db.kysely);
		expect(Number(changed.numAffectedRows)).toBeGreaterThan(0);

		await page.getByLabel('New password').fill('yet another long password');
		expect((await submit(page, 'Save the new password')).status()).toBe(400);
		const expired = 'This reset link has expired: links work for 60 minutes. Ask for a new one below.';
		expect(await alertText(page)).toBe(expired);
		await open(page, link);
		expect(await alertText(page)).toBe(expired);
		expect(await page.getByRole('link', { name: 'Ask for a new reset link' }).getAttribute('href')).toBe('/forgot-password');
		await expectAccessible(page, 'reset-password expired');
		// The password did not change.
		expect((await signIn(page, 'alice@example.org', NEW_PASSWORD)).status()).toBe(303);
		await context.close();
	});

	describe.each([
		{ name: 'with JavaScript', javaScriptEnabled: true, email: 'states-js@example.org' },
		{ name: 'without JavaScript', javaScriptEnabled: false, email: 'states-nojs@example.org' }
	])('every account page and message $name', ({ javaScriptEnabled, email }) => {
		it('has no axe violations', async () => {
			const context = await newContext(javaScriptEnabled);
			const page = await context.newPage();
			const suffix = javaScriptEnabled ? 'js' : 'no-js';

			await open(page, base + '/sign-in');
			await expectAccessible(page, `sign-in ${suffix}`);
			await page.getByRole('button', { name: 'Sign in' }).click();
			await page.waitForLoadState('networkidle');
			expect(await alertText(page)).toContain('Enter an e-mail address');
			await expectAccessible(page, `sign-in errors ${suffix}`);
			await signIn(page, email, 'not the password at all');
			expect(await alertText(page)).toContain(SAME_ANSWER);
			await expectAccessible(page, `sign-in wrong ${suffix}`);

			await open(page, base + '/sign-up');
			await expectAccessible(page, `sign-up ${suffix}`);
			await page.getByLabel('Password').fill('short');
			await submit(page, 'Create account');
			expect(await alertText(page)).toContain('The password is too short');
			await expectAccessible(page, `sign-up errors ${suffix}`);
			// An address that has an account: the same answer as a new one; its owner gets a note.
			expect((await signUp(page, 'Someone', email)).status()).toBe(200);
			await expect(page.locator('h1').textContent()).resolves.toBe('Check your e-mail');
			await expectAccessible(page, `sign-up sent ${suffix}`);
			expect((await smtp.nextMessage(email)).subject).toBe('Someone tried to sign up with your e-mail address');

			await open(page, base + '/forgot-password');
			await expectAccessible(page, `forgot-password ${suffix}`);
			await submit(page, 'Send the link');
			expect(await alertText(page)).toContain('Enter an e-mail address');
			await expectAccessible(page, `forgot-password errors ${suffix}`);

			for (const path of ['/reset-password', '/reset-password?token=not-a-token', '/verify-email?token=not-a-token', '/verify-email']) {
				await open(page, base + path);
				await expectAccessible(page, `${path} ${suffix}`);
			}

			expect((await signIn(page, email, PASSWORD)).status()).toBe(303);
			await page.waitForURL(base + '/account');
			await expectAccessible(page, `account ${suffix}`);
			await context.close();
		});
	});

	it('sends security headers with a Content-Security-Policy on the account pages', async () => {
		for (const path of ['/sign-in', '/sign-up', '/forgot-password', '/reset-password?token=x', '/verify-email?token=x']) {
			const response = await fetch(server.url + path);
			expect(response.status, path).toBe(200);
			const csp = response.headers.get('content-security-policy') ?? '';
			for (const directive of ["default-src 'self'", "script-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"]) {
				expect(csp, path).toContain(directive);
			}
			expect(response.headers.get('x-frame-options')).toBe('DENY');
			expect(response.headers.get('x-content-type-options')).toBe('nosniff');
			expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
			expect(response.headers.get('cache-control')).toBe('private, no-store');
			const csrfCookie = response.headers.getSetCookie().find((c) => c.startsWith('sac2050.csrf='));
			expect(csrfCookie).toMatch(/; HttpOnly/i);
			expect(csrfCookie).toMatch(/; SameSite=Lax/i);
			expect(csrfCookie).not.toMatch(/; Secure/i);
		}
	});

	it('refuses a form posted from another site, and a form without its token', async () => {
		// A real cross-site form in the browser: a page on another site that posts to the sign-out action.
		const context = await newContext(true);
		const page = await context.newPage();
		await signIn(page, 'states-js@example.org', PASSWORD);
		await page.waitForURL(base + '/account');
		// Another site: its own server and host, with a form that posts to our sign-out action.
		const evil = http.createServer((_req, res) => {
			res.setHeader('content-type', 'text/html; charset=utf-8');
			res.end(`<!doctype html><html lang="en"><title>Win a prize</title><form method="post" action="${base}/sign-out"><button>Claim</button></form></html>`);
		});
		await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
		await open(page, `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.getByRole('button', { name: 'Claim' }).click()
		]);
		evil.close();
		expect(response.status()).toBe(403);
		await open(page, base + '/account');
		expect(page.url()).toBe(base + '/account');
		await context.close();

		const cookieAndToken = async () => {
			const response = await fetch(server.url + '/sign-in');
			const token = /name="_csrf" value="([\w-]+)"/.exec(await response.text())?.[1];
			const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sac2050.csrf='))!.split(';')[0]!;
			return { cookie, token: token! };
		};
		const { cookie, token } = await cookieAndToken();
		const body = (fields: Record<string, string>) => new URLSearchParams({ email: 'states-js@example.org', password: PASSWORD, ...fields });
		const post = (headers: Record<string, string>, fields: Record<string, string>) =>
			fetch(server.url + '/sign-in', {
				method: 'POST',
				redirect: 'manual',
				headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
				body: body(fields)
			});

		const crossSite = await post({ origin: 'https://evil.example' }, { _csrf: token });
		expect(crossSite.status).toBe(403);
		expect(crossSite.headers.getSetCookie().some((c) => c.startsWith('sac2050.session_token='))).toBe(false);

		// Same origin but no token (or a wrong one): our own refusal page, with its own CSP.
		for (const fields of [{}, { _csrf: 'x'.repeat(43) }] as Array<Record<string, string>>) {
			const refused = await post({ origin: server.url }, fields);
			expect(refused.status).toBe(403);
			expect(await refused.text()).toContain('This form could not be sent');
			expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");
			expect(refused.headers.getSetCookie().some((c) => c.startsWith('sac2050.session_token='))).toBe(false);
		}
		// With both it goes through, so the refusals above were about the token and the origin.
		const accepted = await post({ origin: server.url }, { _csrf: token });
		expect(accepted.status).toBe(303);
		expect(accepted.headers.getSetCookie().some((c) => c.startsWith('sac2050.session_token='))).toBe(true);
	});

	it('marks cookies Secure and sends HSTS when ORIGIN is https', async () => {
		const origin = 'https://sac2050.example.org';
		const created = await runCli(['user', 'create', '--email', 'https@example.org', '--role', 'member'], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
		const secure = await startServer({ DATABASE_URL: database.url, SMTP_URL: smtp.url, ORIGIN: origin });
		try {
			const page = await fetch(secure.url + '/sign-in');
			expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
			const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('sac2050.csrf='))!;
			expect(csrfCookie).toMatch(/; HttpOnly/);
			expect(csrfCookie).toMatch(/; Secure/);
			const token = /name="_csrf" value="([\w-]+)"/.exec(await page.text())![1]!;
			const response = await fetch(secure.url + '/sign-in', {
				method: 'POST',
				redirect: 'manual',
				headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin, cookie: csrfCookie.split(';')[0]! },
				body: new URLSearchParams({ _csrf: token, email: 'https@example.org', password: PASSWORD })
			});
			expect(response.status).toBe(303);
			const session = response.headers.getSetCookie().find((c) => c.startsWith('sac2050.session_token='));
			expect(session).toBeDefined();
			expect(session).toMatch(/; HttpOnly/i);
			expect(session).toMatch(/; SameSite=Lax/i);
			expect(session).toMatch(/; Secure/i);
		} finally {
			await secure.stop();
		}
	});

	it('answers too many sign-in, sign-up and reset attempts with a clear 429 page', async () => {
		const tooMany = /^There is a problem Too many attempts\. Wait \d+ minutes and try again\.$/;
		const js = await newContext(true);
		const page = await js.newPage();

		// Sign-in: 5 attempts per account in 15 minutes.
		for (let i = 1; i <= 5; i++) {
			expect((await signIn(page, 'limited@example.org', `wrong password ${i}`)).status(), `attempt ${i}`).toBe(400);
		}
		expect((await signIn(page, 'limited@example.org', 'wrong password 6')).status()).toBe(429);
		expect(await alertText(page)).toMatch(tooMany);
		await expectAccessible(page, 'sign-in 429');

		// Reset: 3 requests per account in an hour.
		for (let i = 1; i <= 3; i++) expect((await askForReset(page, 'limited@example.org')).status(), `reset ${i}`).toBe(200);
		expect((await askForReset(page, 'limited@example.org')).status()).toBe(429);
		expect(await alertText(page)).toMatch(tooMany);
		await expectAccessible(page, 'forgot-password 429');

		// Sign-up: 5 per address in an hour (this file has made some already).
		expect(signUps).toBeLessThan(5);
		const noJs = await newContext(false);
		const noJsPage = await noJs.newPage();
		let n = 0;
		while (signUps < 5) expect((await signUp(noJsPage, 'Limited', `limited-${++n}@example.org`)).status()).toBe(200);
		expect((await signUp(noJsPage, 'Limited', 'limited-last@example.org')).status()).toBe(429);
		expect(await alertText(noJsPage)).toMatch(tooMany);
		// The form keeps what was typed.
		expect(await noJsPage.getByLabel('E-mail address').inputValue()).toBe('limited-last@example.org');
		await expectAccessible(noJsPage, 'sign-up 429 without JS');
		expect(smtp.pending('limited-last@example.org')).toBe(0);
		await noJs.close();
		await js.close();
	});
});

describe('a server stopped right after promising an e-mail', () => {
	it('sends the password-reset link before it exits, even through a slow mail relay', async () => {
		const slow = await startSmtpServer({ answerAfterMs: 1_500 });
		const own = await createTestDatabase('sqlite');
		const created = await runCli(['user', 'create', '--email', 'leaving@example.org', '--role', 'member'], { DATABASE_URL: own.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
		const leaving = await startServer({ DATABASE_URL: own.url, SMTP_URL: slow.url, SAC2050_OUTBOX_DIR: undefined });
		try {
			const form = await fetch(leaving.url + '/forgot-password');
			const cookie = form.headers.getSetCookie().find((c) => c.startsWith('sac2050.csrf='))!.split(';')[0]!;
			const token = /name="_csrf" value="([\w-]+)"/.exec(await form.text())![1]!;
			const answer = await fetch(leaving.url + '/forgot-password', {
				method: 'POST',
				headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: leaving.url, cookie },
				body: new URLSearchParams({ _csrf: token, email: 'leaving@example.org' })
			});
			expect(answer.status).toBe(200);
			// The answer came before the relay accepted the message; the server is told to stop now.
			expect(slow.pending('leaving@example.org')).toBe(0);
			await leaving.stop();
			const mail = await slow.nextMessage('leaving@example.org', 5_000);
			expect(linkIn(mail, `http://localhost:${leaving.port}/reset-password?token=`)).toMatch(/token=[\w-]+/);
		} finally {
			await leaving.stop();
			await slow.stop();
			await own.drop();
		}
	});
});
