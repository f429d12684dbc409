import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { readOutbox } from '#lib/server/mail/mailer.ts';
import { axeViolations } from '../support/axe.ts';
import { launchBrowser } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

/**
 * Chart files (chart.svg, chart.png) and mail that cannot go out, against the built server:
 * the SVG's own Content-Security-Policy, one address per language for the chart files (and
 * what the page cache keeps for each language's page), and the account forms when the SMTP
 * server refuses or the outbox folder cannot be written.
 */

const ID = 'air-quality-pm25';
const PASSWORD = 'correct horse battery staple';
type Language = 'en' | 'es';
/** A phrase of the "could not be sent" message in each language. */
const NOT_SENT: Record<Language, string> = { en: 'could not be sent', es: 'no se pudo enviar' };
/** The chart's axis label, a Paraglide message drawn into the file. */
const YEAR: Record<Language, string> = { en: '>Year<', es: '>Año<' };
const OTHER: Record<Language, Language> = { en: 'es', es: 'en' };

let smtp: TestSmtpServer;
let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
/** The address the server knows itself by (ORIGIN unset): http://localhost:<port>. */
let base: string;

beforeAll(async () => {
	smtp = await startSmtpServer();
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url, SMTP_URL: smtp.url, SAC2050_OUTBOX_DIR: undefined });
	base = `http://localhost:${server.port}`;
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await smtp?.stop();
	await database?.drop();
});

function fetchIn(url: string, language: Language): Promise<globalThis.Response> {
	return fetch(url, { headers: { 'Accept-Language': language } });
}

/** The chart file links on a rendered indicator page, as the page writes them. */
function chartLinks(html: string): { svg: string; png: string } {
	const link = (format: string) => {
		const found = new RegExp(`href="(/indicators/${ID}/chart\\.${format}[^"]*)"`).exec(html)?.[1];
		expect(found, `a chart.${format} link`).toBeDefined();
		return found!.replaceAll('&amp;', '&');
	};
	return { svg: link('svg'), png: link('png') };
}

describe('chart files', () => {
	it('give SVG files a policy that allows nothing, and Chromium still draws the chart under it', async () => {
		for (const target of [`/indicators/${ID}/chart.svg?lang=en`, `/indicators/${ID}/chart.svg`, '/favicon.svg']) {
			const response = await fetch(server.url + target);
			expect(response.status, target).toBe(200);
			expect(response.headers.get('content-type'), target).toMatch(/^image\/svg\+xml/);
			const csp = response.headers.get('content-security-policy') ?? '';
			expect(csp, target).toContain("default-src 'none'");
			expect(csp, target).toContain("frame-ancestors 'none'");
			expect(csp, target).not.toMatch(/unsafe|\*|'self'/);
			expect(response.headers.get('x-content-type-options'), target).toBe('nosniff');
		}
		const png = await fetch(`${server.url}/indicators/${ID}/chart.png?lang=en`);
		expect(png.headers.get('content-type')).toBe('image/png');
		expect(png.headers.get('x-content-type-options')).toBe('nosniff');

		const context = await browser.newContext();
		const page = await context.newPage();
		const refused: string[] = [];
		page.on('console', (message) => {
			if (/Content Security Policy|Refused/i.test(message.text())) refused.push(message.text());
		});
		const opened = await page.goto(`${server.url}/indicators/${ID}/chart.svg?lang=en`);
		expect(opened?.status()).toBe(200);
		expect(await page.locator('svg > *').count()).toBeGreaterThan(10);
		expect(await page.locator('text').count()).toBeGreaterThan(5);
		expect(refused).toEqual([]);
		await context.close();
	});

	it("links each language's page to its own chart files, and the page cache keeps each language's page", async () => {
		const pages: Partial<Record<Language, string>> = {};
		for (const language of ['en', 'es'] as const) {
			const url = `${server.url}/indicators/${ID}?compare=GeoCode`;
			const first = await fetchIn(url, language);
			expect(first.status).toBe(200);
			const firstBody = await first.text();
			const again = await fetchIn(url, language);
			expect(again.headers.get('x-sac2050-cache'), language).toBe('hit');
			expect(again.headers.get('content-language') ?? language).toBe(language);
			const body = await again.text();
			expect(body).toBe(firstBody);
			pages[language] = body;

			const links = chartLinks(body);
			for (const href of [links.svg, links.png]) {
				const params = new URL(href, server.url).searchParams;
				expect(params.get('lang'), href).toBe(language);
				// …after the view the page shows, so the file draws the same comparison.
				expect(params.get('compare'), href).toBe('GeoCode');
				expect(params.getAll('GeoCode').length, href).toBeGreaterThan(2);
			}
		}
		expect(pages.en).not.toBe(pages.es);

		// Each chart address is the same file whoever asks: the language is the address's.
		const files: Record<string, string> = {};
		for (const language of ['en', 'es'] as const) {
			const links = chartLinks(pages[language]!);
			for (const asker of ['en', 'es'] as const) {
				const svg = await fetchIn(server.url + links.svg, asker);
				expect(svg.headers.get('content-language'), `${language} chart asked in ${asker}`).toBe(language);
				expect(svg.headers.get('vary') ?? '', 'no Vary: the address names the language').not.toMatch(/accept-language|cookie/i);
				expect(svg.headers.get('cache-control')).toBe('public, max-age=300');
				const text = await svg.text();
				expect(text).toContain(YEAR[language]);
				expect(text).not.toContain(YEAR[OTHER[language]]);
				files[`${language}:${asker}`] = text;

				const png = await fetchIn(server.url + links.png, asker);
				expect(png.headers.get('content-language')).toBe(language);
				expect(png.headers.get('vary') ?? '').not.toMatch(/accept-language|cookie/i);
				files[`png ${language}:${asker}`] = Buffer.from(await png.arrayBuffer()).toString('base64');
			}
		}
		expect(files['en:es']).toBe(files['en:en']);
		expect(files['es:en']).toBe(files['es:es']);
		expect(files['en:en']).not.toBe(files['es:es']);
		expect(files['png en:en']).not.toBe(files['png es:es']);
	});

	it("answers a chart address that names no language in the visitor's, and says it varies on what chose it", async () => {
		for (const format of ['svg', 'png']) {
			const url = `${server.url}/indicators/${ID}/chart.${format}`;
			for (const language of ['en', 'es'] as const) {
				const response = await fetchIn(url, language);
				expect(response.headers.get('content-language'), `${format} ${language}`).toBe(language);
				const vary = (response.headers.get('vary') ?? '').toLowerCase();
				expect(vary, format).toContain('accept-language');
				expect(vary, format).toContain('cookie');
			}
			// The language cookie (set by the language switch) decides before Accept-Language.
			const byCookie = await fetch(url, { headers: { 'Accept-Language': 'en', Cookie: 'PARAGLIDE_LOCALE=es' } });
			expect(byCookie.headers.get('content-language')).toBe('es');
		}
	});
});

/** A browser context reading the site in `language` (the language cookie, as the switch sets it). */
async function contextIn(language: Language, origin: string): Promise<BrowserContext> {
	const context = await browser.newContext({ locale: language === 'es' ? 'es-ES' : 'en-US' });
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: language, url: origin }]);
	return context;
}

/** Fills a form's fields by id and sends it; the response to the POST. */
async function send(page: Page, url: string, fields: Record<string, string>): Promise<Response> {
	await page.goto(url, { waitUntil: 'networkidle' });
	for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
		page.locator('main form button[type="submit"]').click()
	]);
	await page.waitForLoadState('networkidle');
	return response;
}

async function alertText(page: Page): Promise<string> {
	return ((await page.getByRole('alert').textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Tries a form in `language` while mail cannot go out: a 503 that says so, with the form
 * still there to send again (and, with `axe`, no accessibility violations on that page).
 */
async function expectNotSent(origin: string, language: Language, url: string, fields: Record<string, string>, axe = true): Promise<void> {
	const context = await contextIn(language, origin);
	const page = await context.newPage();
	const response = await send(page, url, fields);
	expect(response.status(), `${url} in ${language}`).toBe(503);
	expect(await page.locator('html').getAttribute('lang')).toBe(language);
	const alert = await alertText(page);
	expect(alert, `${url} in ${language}`).toContain(NOT_SENT[language]);
	expect(alert).not.toContain(NOT_SENT[OTHER[language]]);
	// The form is still there, filled in, to send again.
	await expect(page.locator('main form button[type="submit"]').isVisible()).resolves.toBe(true);
	if (fields.email) await expect(page.locator('#email').inputValue()).resolves.toBe(fields.email);
	if (axe) expect(await axeViolations(page), `${url} in ${language}`).toEqual([]);
	await context.close();
}

async function sendIn(origin: string, language: Language, url: string, fields: Record<string, string>): Promise<{ status: number; heading: string; alert: string }> {
	const context = await contextIn(language, origin);
	const page = await context.newPage();
	const response = await send(page, url, fields);
	const result = {
		status: response.status(),
		heading: (await page.locator('h1').textContent()) ?? '',
		alert: (await page.getByRole('alert').count()) ? await alertText(page) : ''
	};
	await context.close();
	return result;
}

const signUpFields = (email: string) => ({ name: 'Mail Tester', email, password: PASSWORD });

describe('mail the SMTP server refuses', () => {
	it('sign-up says the confirmation was not sent, in English and Spanish, and trying again makes the account', async () => {
		smtp.refuse('connection');
		await expectNotSent(base, 'en', `${base}/sign-up`, signUpFields('refused-en@example.org'));
		smtp.refuse('recipient');
		await expectNotSent(base, 'es', `${base}/sign-up`, signUpFields('refused-es@example.org'));
		smtp.refuse(false);
		expect(smtp.messages).toEqual([]);

		// Nothing was left behind: the retry is a new sign-up, confirmed by its own message
		// (not "someone tried to sign up with your address").
		const en = await sendIn(base, 'en', `${base}/sign-up`, signUpFields('refused-en@example.org'));
		expect(en).toMatchObject({ status: 200, heading: 'Check your e-mail' });
		expect((await smtp.nextMessage('refused-en@example.org')).subject).toBe('Confirm your e-mail address for Sac2050');
		const es = await sendIn(base, 'es', `${base}/sign-up`, signUpFields('refused-es@example.org'));
		expect(es.status).toBe(200);
		expect((await smtp.nextMessage('refused-es@example.org')).subject).toBe('Confirme su correo electrónico para Sac2050');
	}, 120_000);

	it('the contact form says a refused message was not sent (503), in English and Spanish, and sends it Reply-To the sender once mail goes out', async () => {
		const fields = { name: 'Ana Pérez', email: 'ana@example.org', message: 'The 2019 value for Yolo County looks wrong.' };
		const sendContact = async (language: Language) => {
			const context = await contextIn(language, base);
			const page = await context.newPage();
			await page.goto(`${base}/contact`, { waitUntil: 'networkidle' });
			for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
			await page.locator('#topic').selectOption('correction');
			const [response] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
				page.locator('main form button[type="submit"]').click()
			]);
			await page.waitForLoadState('networkidle');
			return { context, page, status: response.status() };
		};
		const arrived = smtp.messages.length;
		for (const [language, mode] of [['en', 'connection'], ['es', 'recipient']] as const) {
			smtp.refuse(mode);
			const { context, page, status } = await sendContact(language);
			expect(status, language).toBe(503);
			const alert = await alertText(page);
			expect(alert).toContain(NOT_SENT[language]);
			expect(await page.getByRole('status').count()).toBe(0);
			// What was typed is still there, to send again.
			await expect(page.locator('#message').inputValue()).resolves.toBe(fields.message);
			await expect(page.locator('#topic').inputValue()).resolves.toBe('correction');
			expect(await axeViolations(page), language).toEqual([]);
			await context.close();
		}
		smtp.refuse(false);
		expect(smtp.messages).toHaveLength(arrived);

		const { context, page, status } = await sendContact('en');
		expect(status).toBe(200);
		expect(await page.getByRole('status').textContent()).toContain('Your message was sent');
		await context.close();
		const mail = await smtp.nextMessage('contact@sac2050.org');
		expect(mail.subject).toBe('[Sacramento contact] A correction to the data: Ana Pérez');
		expect(mail.raw).toMatch(/^Reply-To: .*<ana@example\.org>/im);
		expect(mail.text).toContain(fields.message);
	}, 120_000);

	it('a reset request says the link was not sent, alike for an address with an account and one without', async () => {
		const created = await runCli(['user', 'create', '--email', 'reset-refused@example.org', '--role', 'member'], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
		smtp.refuse('connection');
		await expectNotSent(base, 'en', `${base}/forgot-password`, { email: 'reset-refused@example.org' });
		await expectNotSent(base, 'es', `${base}/forgot-password`, { email: 'reset-refused@example.org' });
		await expectNotSent(base, 'en', `${base}/forgot-password`, { email: 'no-account@example.org' });
		smtp.refuse(false);

		const retry = await sendIn(base, 'en', `${base}/forgot-password`, { email: 'reset-refused@example.org' });
		expect(retry.status).toBe(200);
		expect((await smtp.nextMessage('reset-refused@example.org')).subject).toBe('Reset your Sac2050 password');
	}, 120_000);

	it('signing in to an unconfirmed account says when the new confirmation link could not be sent', async () => {
		const email = 'unconfirmed@example.org';
		expect((await sendIn(base, 'en', `${base}/sign-up`, signUpFields(email))).status).toBe(200);
		await smtp.nextMessage(email);
		smtp.refuse('recipient');
		await expectNotSent(base, 'en', `${base}/sign-in`, { email, password: PASSWORD });
		await expectNotSent(base, 'es', `${base}/sign-in`, { email, password: PASSWORD });
		smtp.refuse(false);

		const retry = await sendIn(base, 'en', `${base}/sign-in`, { email, password: PASSWORD });
		expect(retry.status).toBe(403);
		expect(retry.alert).toContain('we have sent a new confirmation link');
		expect((await smtp.nextMessage(email)).subject).toBe('Confirm your e-mail address for Sac2050');
	}, 120_000);
});

describe('an outbox folder that cannot be written', () => {
	let outboxDatabase: TestDatabase;
	let outboxServer: RunningServer;
	let outboxBase: string;
	/** The outbox is a folder inside `blocker`, a plain file: nobody, root included, can make it. */
	let blocker: string;
	let outbox: string;

	beforeAll(async () => {
		const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-outbox-'));
		blocker = path.join(parent, 'mail');
		outbox = path.join(blocker, 'outbox');
		fs.writeFileSync(blocker, '');
		outboxDatabase = await createTestDatabase('sqlite');
		outboxServer = await startServer({ DATABASE_URL: outboxDatabase.url, SMTP_URL: undefined, SAC2050_OUTBOX_DIR: outbox });
		outboxBase = `http://localhost:${outboxServer.port}`;
	});

	afterAll(async () => {
		await outboxServer?.stop();
		await outboxDatabase?.drop();
		if (blocker) fs.rmSync(path.dirname(blocker), { recursive: true, force: true });
	});

	it('sign-up and reset say the message was not written, in English and Spanish; once it can be, the retry goes through', async () => {
		const created = await runCli(['user', 'create', '--email', 'outbox-reset@example.org', '--role', 'member'], { DATABASE_URL: outboxDatabase.url, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
		for (const language of ['en', 'es'] as const) {
			// The same pages as with SMTP refusing: their accessibility is checked there.
			await expectNotSent(outboxBase, language, `${outboxBase}/sign-up`, signUpFields(`outbox-${language}@example.org`), false);
			await expectNotSent(outboxBase, language, `${outboxBase}/forgot-password`, { email: 'outbox-reset@example.org' }, false);
		}
		expect(outboxServer.output()).toMatch(/Writing e-mail to the outbox .* failed/);

		fs.rmSync(blocker);
		for (const language of ['en', 'es'] as const) {
			expect((await sendIn(outboxBase, language, `${outboxBase}/sign-up`, signUpFields(`outbox-${language}@example.org`))).status).toBe(200);
		}
		expect((await sendIn(outboxBase, 'en', `${outboxBase}/forgot-password`, { email: 'outbox-reset@example.org' })).status).toBe(200);
		const written = async () => readOutbox(outbox).map((m) => `${m.to}: ${m.subject.replace(/\s+/g, ' ')}`).sort();
		await expect.poll(written).toEqual([
			'outbox-en@example.org: Confirm your e-mail address for Sac2050',
			'outbox-es@example.org: Confirme su correo electrónico para Sac2050',
			'outbox-reset@example.org: Reset your Sac2050 password'
		]);
	}, 120_000);
});
