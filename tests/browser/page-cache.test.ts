/**
 * The rendered-page cache against real servers (`sac2050 serve`, the built app): validators
 * and Cache-Control, signed-in people never served a shared or another person's page, and a
 * publish visible on the next request — on SQLite, on PostgreSQL, and on two servers that
 * share one PostgreSQL database.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { signInByHand } from '../support/sign-in.ts';

const INDICATOR = '/indicators/unemployment';
const PASSWORD = 'page-cache-test-password';

/** Creates an account with the CLI and signs in through the real form; returns the browser's Cookie header. */
async function signedIn(server: RunningServer, databaseUrl: string, email: string): Promise<string> {
	const created = await runCli(['user', 'create', '--email', email, '--role', 'editor'], { DATABASE_URL: databaseUrl, SAC2050_PASSWORD: PASSWORD });
	expect(created.code, created.stderr).toBe(0);
	const { cookie } = await signInByHand(server.url, email, PASSWORD);
	expect(cookie).toContain('sac2050.session_token=');
	return cookie;
}

/** Publishes a new revision of the indicator with the real CLI; returns the value the page should now show. */
async function publish(databaseUrl: string, value: string): Promise<void> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-page-cache-'));
	const file = path.join(dir, 'unemployment.csv');
	fs.writeFileSync(file, `Year,Value\n2021,3.1\n2022,${value}\n`);
	try {
		const result = await runCli(['import', 'csv', file, '--indicator', 'unemployment'], { DATABASE_URL: databaseUrl });
		expect(result.code, result.stderr).toBe(0);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Fetches `url` until its page contains `text`; returns how long after the call that took, in ms. */
async function seenWithin(url: string, text: string, limitMs: number): Promise<number> {
	const start = performance.now();
	for (;;) {
		const html = await (await fetch(url)).text();
		const elapsed = performance.now() - start;
		if (html.includes(text)) return elapsed;
		if (elapsed > limitMs) throw new Error(`${url} did not show "${text}" within ${limitMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Requests the page until it comes from the cache. */
async function cached(url: string, init: RequestInit = {}): Promise<{ headers: Headers; html: string }> {
	for (let i = 0; i < 5; i++) {
		const response = await fetch(url, init);
		const html = await response.text();
		if (response.headers.get('x-sac2050-cache') === 'hit') return { headers: response.headers, html };
	}
	throw new Error(`${url} never came from the cache`);
}

describe('page cache on SQLite', () => {
	let database: TestDatabase;
	let server: RunningServer;

	beforeAll(async () => {
		database = await createTestDatabase('sqlite');
		server = await startServer({ DATABASE_URL: database.url });
	});
	afterAll(async () => {
		await server?.stop();
		await database?.drop();
	});

	it('gives anonymous pages an ETag, answers If-None-Match with an empty 304, and says how CDNs may keep them', async () => {
		const first = await cached(server.url + INDICATOR);
		const etag = first.headers.get('etag');
		expect(etag).toMatch(/^"[\w-]+"$/);
		expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
		expect(first.headers.get('vary')).toBe('Accept-Language, Cookie');
		// The kept page carries the security headers it was rendered with.
		expect(first.headers.get('x-frame-options')).toBe('DENY');
		expect(first.headers.get('content-security-policy')).toBeTruthy();

		const again = await fetch(server.url + INDICATOR, { headers: { 'if-none-match': etag! } });
		expect(again.status).toBe(304);
		expect(again.headers.get('etag')).toBe(etag);
		expect(await again.text()).toBe('');

		const other = await fetch(server.url + INDICATOR, { headers: { 'if-none-match': '"something-else"' } });
		expect(other.status).toBe(200);
		expect((await other.text()).length).toBeGreaterThan(1000);

		const head = await fetch(server.url + INDICATOR, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.headers.get('etag')).toBe(etag);
	});

	it('keeps each language apart: cookie and Accept-Language', async () => {
		const english = await cached(server.url + '/');
		expect(english.html).toContain('lang="en"');
		for (const headers of [{ 'accept-language': 'es-MX,es;q=0.9' }, { cookie: 'PARAGLIDE_LOCALE=es' }] as Array<Record<string, string>>) {
			const spanish = await cached(server.url + '/', { headers });
			expect(spanish.html).toContain('lang="es"');
			expect(spanish.headers.get('etag')).not.toBe(english.headers.get('etag'));
		}
		const html = await (await fetch(server.url + '/', { headers: { 'accept-language': 'en-US' } })).text();
		expect(html).toContain('lang="en"');
	});

	it('files a page under the address it was asked for: a forged Host header gets a page of its own', async () => {
		const real = await cached(server.url + INDICATOR);
		// fetch() will not send another Host header: node:http will.
		const forged = await new Promise<{ cache: unknown; html: string }>((resolve, reject) => {
			const request = http.get(server.url + INDICATOR, { headers: { host: 'evil.example' } }, (response) => {
				let html = '';
				response.setEncoding('utf8').on('data', (chunk: string) => (html += chunk));
				response.on('end', () => resolve({ cache: response.headers['x-sac2050-cache'], html }));
			});
			request.on('error', reject);
		});
		expect(forged.cache).toBe('miss');
		expect(forged.html).toContain('evil.example');
		const after = await fetch(server.url + INDICATOR);
		expect(after.headers.get('etag')).toBe(real.headers.get('etag'));
		expect(await after.text()).not.toContain('evil.example');
	});

	it('gives a signed-in reader the shared page with their own header, never another person’s page', async () => {
		const anonymous = await cached(server.url + INDICATOR);
		const uncached = await startServer({ DATABASE_URL: database.url, SAC2050_PAGE_CACHE_MB: '0' });
		onTestFinished(() => uncached.stop());
		const alice = await signedIn(server, database.url, 'alice@example.org');
		const bob = await signedIn(server, database.url, 'bob@example.org');

		for (const [cookie, mine, theirs] of [
			[alice, 'alice@example.org', 'bob@example.org'],
			[bob, 'bob@example.org', 'alice@example.org']
		] as const) {
			for (let i = 0; i < 2; i++) {
				const account = await fetch(server.url + '/account', { headers: { cookie } });
				expect(account.status).toBe(200);
				expect(account.headers.get('cache-control')).toBe('private, no-store');
				const html = await account.text();
				expect(html).toContain(mine);
				expect(html).not.toContain(theirs);
			}
			// The page the cache holds, with this reader's links: account, and sign-out with their own token.
			const page = await fetch(server.url + INDICATOR, { headers: { cookie } });
			expect(page.status).toBe(200);
			expect(page.headers.get('x-sac2050-cache')).toBe('personal');
			expect(page.headers.get('cache-control')).toBe('private, no-store');
			expect(page.headers.get('etag')).toBeNull();
			expect(page.headers.get('content-security-policy')).toBe(anonymous.headers.get('content-security-policy'));
			const html = await page.text();
			const token = /sac2050\.csrf=([\w-]+)/.exec(cookie)![1]!;
			expect(html).toContain(`name="_csrf" value="${token}"`);
			expect(html).toContain('href="/account"');
			expect(html).not.toContain('href="/sign-in"');
			expect(html).not.toContain(theirs);

			// A view the cache does not hold yet: rendered once as anyone's page and kept, then
			// given to this reader with their links, and to the next anonymous reader from memory.
			const view = `${INDICATOR}?compare=${encodeURIComponent(mine)}`;
			const miss = await fetch(server.url + view, { headers: { cookie } });
			expect(miss.status).toBe(200);
			expect(miss.headers.get('x-sac2050-cache')).toBe('personal-miss');
			expect(miss.headers.get('cache-control')).toBe('private, no-store');
			const missHtml = await miss.text();
			expect(missHtml).toContain(`name="_csrf" value="${token}"`);
			expect(missHtml).not.toContain('href="/sign-in"');
			const shared = await fetch(server.url + view);
			expect(shared.headers.get('x-sac2050-cache')).toBe('hit');
			const sharedHtml = await shared.text();
			expect(sharedHtml).toContain('href="/sign-in"');
			expect(sharedHtml).not.toContain('href="/account"');
			expect(sharedHtml).not.toContain(token);
			const again = await fetch(server.url + view, { headers: { cookie } });
			expect(again.headers.get('x-sac2050-cache')).toBe('personal');
			expect(await again.text()).toBe(missHtml);
			// Exactly what a full render for this reader gives (a server of the same database without a page cache).
			const fresh = await fetch(uncached.url + view, { headers: { cookie } });
			expect(fresh.headers.get('x-sac2050-cache')).toBe('bypass');
			// (The embed snippet holds the server's own address.)
			expect((await fresh.text()).replaceAll(uncached.url, server.url)).toBe(missHtml);
		}

		// A public address that does not exist: the reader's own 404, nothing kept.
		for (let i = 0; i < 2; i++) {
			const missing = await fetch(server.url + '/indicators/no-such-indicator', { headers: { cookie: alice } });
			expect(missing.status).toBe(404);
			expect(missing.headers.get('cache-control')).toBe('private, no-store');
			const html = await missing.text();
			expect(html).toContain('href="/account"');
			expect(html).not.toContain('href="/sign-in"');
		}
		// An address that answers with a redirect and a cookie (the language switch) is answered once, for the reader.
		const language = await fetch(server.url + '/language/es?to=/', { headers: { cookie: alice }, redirect: 'manual' });
		expect(language.status).toBe(303);
		expect(language.headers.get('set-cookie')).toContain('PARAGLIDE_LOCALE=es');
		// The back office is never rendered as anyone's page on a reader's behalf.
		const admin = await fetch(server.url + '/admin', { headers: { cookie: alice }, redirect: 'manual' });
		expect(admin.status).toBe(200);
		expect(admin.headers.get('x-sac2050-cache')).toBe('bypass');

		// An invalid session gets the page rendered the usual way, as an anonymous reader.
		const forged = await fetch(server.url + INDICATOR, { headers: { cookie: 'sac2050.session_token=forged.value' } });
		expect(forged.status).toBe(200);
		expect(forged.headers.get('x-sac2050-cache')).toBe('bypass');
		expect(await forged.text()).toContain('href="/sign-in"');

		// And what they were shown is not given to the next anonymous reader.
		const next = await fetch(server.url + '/account', { redirect: 'manual' });
		expect(next.status).toBe(303);
		const after = await fetch(server.url + INDICATOR);
		expect(after.headers.get('etag')).toBe(anonymous.headers.get('etag'));
		const html = await after.text();
		expect(html).toContain('href="/sign-in"');
		expect(html).not.toContain('href="/account"');
	});

	it('shows a publish on the very next request', async () => {
		const before = await cached(server.url + INDICATOR);
		await publish(database.url, '8.76');
		const after = await fetch(server.url + INDICATOR);
		expect(after.headers.get('x-sac2050-cache')).toBe('miss');
		expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
		expect(await after.text()).toContain('8.76');
		// The old validator no longer gets a 304.
		const revalidated = await fetch(server.url + INDICATOR, { headers: { 'if-none-match': before.headers.get('etag')! } });
		expect(revalidated.status).toBe(200);
	});
});

describe('page cache on PostgreSQL, two servers sharing one database', () => {
	let database: TestDatabase;
	const servers: RunningServer[] = [];

	beforeAll(async () => {
		database = await createTestDatabase('postgres');
		// The first start migrates and seeds; the second finds it done.
		servers.push(await startServer({ DATABASE_URL: database.url }));
		servers.push(await startServer({ DATABASE_URL: database.url }));
	});
	afterAll(async () => {
		for (const server of servers) await server.stop();
		await database?.drop();
	});

	it('shows a publish on each server at once, then from its cache again', async () => {
		for (const value of ['5.43', '6.54']) {
			for (const server of servers) await cached(server.url + INDICATOR);
			await publish(database.url, value);
			for (const server of servers) {
				// The design answers within a second (LISTEN/NOTIFY, polling as the fallback); the
				// limit here only stops a hang, since a busy CI machine can stretch any delay.
				await seenWithin(server.url + INDICATOR, value, 10_000);
				const again = await cached(server.url + INDICATOR);
				expect(again.html).toContain(value);
			}
		}
	});
});
