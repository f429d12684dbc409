import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_POSTGRES_ADMIN_URL } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { csrfSession, signInByHand } from '../support/sign-in.ts';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'admin@example.org';

async function signInRequest(base: string, session: { cookie: string; token: string }, language = 'en'): Promise<Response> {
	return fetch(base + '/sign-in', {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', 'accept-language': language, 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie: session.cookie },
		body: new URLSearchParams({ _csrf: session.token, email: EMAIL, password: PASSWORD })
	});
}

async function waitFor(what: () => boolean, ms = 10_000): Promise<void> {
	const until = Date.now() + ms;
	while (!what()) {
		if (Date.now() > until) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 50));
	}
}

function expectNoStack(text: string): void {
	expect(text).not.toMatch(/\n\s+at [^\n]*[(/]/);
}

describe('a SQLite database file deleted under the running server', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-vanish-'));
	const file = path.join(dir, 'sac2050.db');
	const env = { DATABASE_URL: `file:${file}` };
	const servers: RunningServer[] = [];
	afterAll(async () => {
		for (const s of servers) await s.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('refuses writes with a clear 503, keeps reads, says it loudly and keeps a rescue copy; a restart refuses to start empty', async () => {
		const server = await startServer(env);
		servers.push(server);
		expect(server.output()).toContain('First start');
		expect(fs.existsSync(`${file}.installed`)).toBe(true);
		const created = await runCli(['user', 'create', '--email', EMAIL, '--role', 'admin'], { ...env, SAC2050_PASSWORD: PASSWORD });
		expect(created.code, created.stderr).toBe(0);
		await signInByHand(server.url, EMAIL, PASSWORD);
		const session = await csrfSession(server.url);

		// What an operator's `rm data/sac2050.db*` does.
		for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });

		const refused = await signInRequest(server.url, session);
		const html = await refused.text();
		expect(refused.status, html.slice(0, 300)).toBe(503);
		expect(html).toContain('database file has vanished');
		expect(html).toContain('was not saved');
		expect(refused.headers.getSetCookie().some((c) => c.startsWith('sac2050.session_token='))).toBe(false);
		expectNoStack(html);
		const spanish = await signInRequest(server.url, session, 'es');
		expect(spanish.status).toBe(503);
		expect(await spanish.text()).toContain('El archivo de la base de datos del sitio ha desaparecido');

		// Reads go on from the file the server still has open: the last data, unchanged.
		const home = await fetch(server.url + '/');
		expect(home.status).toBe(200);
		expect(await home.text()).toContain('How are we doing, Sacramento?');

		expect(server.output()).toContain('DATABASE FILE GONE');
		expect(server.output()).toMatch(/was deleted while Sac2050 had it open/);
		expect(server.output()).toMatch(/\[POST \/sign-in\] refused with 503/);
		await waitFor(() => /copied to (\S+): stop Sac2050/.test(server.output()));
		const rescue = /copied to (\S+): stop Sac2050/.exec(server.output())![1]!;
		expect(path.dirname(rescue)).toBe(dir);
		const copy = new Database(rescue, { readonly: true });
		expect(copy.prepare('select email from auth_user').pluck().all()).toContain(EMAIL);
		copy.close();
		await server.stop();

		// The next start does not say "First start" over it: it refuses, and creates nothing.
		await expect(startServer(env)).rejects.toThrow(/server exited with 1[\s\S]*is missing, but .*sac2050\.db\.installed says Sac2050 was installed there[\s\S]*--new-database/);
		const migrate = await runCli(['migrate'], env);
		expect(migrate.code).toBe(1);
		expect(migrate.stderr.trim().split('\n')).toHaveLength(1);
		expect(migrate.stderr).toMatch(/^sac2050: The SQLite database .* is missing/);
		expect(fs.existsSync(file)).toBe(false);

		// The rescue copy put back: the accounts are there, nothing is seeded over them.
		fs.renameSync(rescue, file);
		const restored = await startServer(env);
		servers.push(restored);
		expect(restored.output()).not.toContain('First start');
		await signInByHand(restored.url, EMAIL, PASSWORD);
		await restored.stop();
	});

	it('starts a new, empty database in place of a vanished one only when told, and says so', async () => {
		for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
		const migrate = await runCli(['migrate', '--new-database'], env);
		expect(migrate.code, migrate.stderr).toBe(0);
		expect(migrate.stderr).toMatch(/NEW DATABASE at .*sac2050\.db \(--new-database\): the database installed there on .* is not this one/);
		// From now on the new database is the installed one.
		const again = await runCli(['migrate'], env);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toBe('');
	});

	it('refuses an empty database file put where the installed one was', async () => {
		for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
		new Database(file).close();
		const migrate = await runCli(['migrate'], env);
		expect(migrate.code).toBe(1);
		expect(migrate.stderr).toMatch(/is empty, but .*\.installed says a Sac2050 database was installed there on .*: the file was replaced by a new one/);
	});
});

describe('a PostgreSQL database dropped under the running server', () => {
	it('answers 503 with a clear message and logs one line, no stack trace', async () => {
		const database = await createTestDatabase('postgres');
		const server = await startServer({ DATABASE_URL: database.url });
		try {
			const session = await csrfSession(server.url);
			const name = new URL(database.url).pathname.slice(1);
			const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
			await admin.connect();
			await admin.query(`drop database ${name} with (force)`);
			await admin.end();

			const refused = await signInRequest(server.url, session);
			const html = await refused.text();
			expect(refused.status, html.slice(0, 300)).toBe(503);
			expect(html).toContain("The site's database cannot be reached");
			expectNoStack(html);
			// Past the page cache (the address is new), a page that reads the database.
			const page = await fetch(server.url + '/search?q=vanished');
			expect(page.status).toBe(503);
			expectNoStack(await page.text());
			const api = await fetch(server.url + '/api/v1/indicators?vanished=1');
			expect(api.status).toBe(503);
			expect((await api.json()).error.code).toBe('service_unavailable');
			await waitFor(() => /cannot be used/.test(server.output()));
			expect(server.output()).toMatch(/failed: the database .* cannot be used \(.*\)\. If it was dropped, restore it/);
			expectNoStack(server.output());
		} finally {
			await server.stop();
			await database.drop();
		}
	});
});
