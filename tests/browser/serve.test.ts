import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/databases.ts';
import { freePort, runCli, startServer } from '../support/server.ts';

/** A failure is one readable line on stderr and exit code 1, never a stack trace. */
function expectOneLineFailure(result: { code: number | null; stderr: string }, pattern: RegExp): void {
	expect(result.code).toBe(1);
	const lines = result.stderr.trim().split('\n');
	expect(lines, result.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^sac2050: /);
	expect(lines[0]).toMatch(pattern);
	expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('sac2050 serve on PostgreSQL', () => {
	const cleanups: Array<() => Promise<void>> = [];
	afterAll(async () => {
		for (const c of cleanups.reverse()) await c();
	});

	it('migrates, loads the region on first start and serves the home page', async () => {
		const database = await createTestDatabase('postgres');
		cleanups.push(() => database.drop());
		const server = await startServer({ DATABASE_URL: database.url });
		cleanups.push(() => server.stop());
		expect(server.output()).toContain('First start');
		const html = await (await fetch(server.url + '/')).text();
		expect(html).toContain('How are we doing, Sacramento?');
		expect(html.match(/class="dash-area"/g)).toHaveLength(6);
	});
});

describe('sac2050 serve with bad configuration', () => {
	it('names a port that is already in use', async () => {
		const port = await freePort();
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-port-'));
		try {
			const result = await runCli(['serve', '--host', '127.0.0.1'], { PORT: String(port), DATABASE_URL: `file:${dir}/x.db` });
			expectOneLineFailure(result, new RegExp(`Port ${port} .*already in use.*PORT`));
		} finally {
			blocker.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('names an unsupported DATABASE_URL', async () => {
		expectOneLineFailure(await runCli(['serve'], { DATABASE_URL: 'mysql://localhost/sac' }), /DATABASE_URL .*not supported/);
	});

	it('names an unreachable PostgreSQL server', async () => {
		const port = await freePort();
		expectOneLineFailure(
			await runCli(['migrate'], { DATABASE_URL: `postgres://127.0.0.1:${port}/sac` }),
			new RegExp(`Cannot connect to PostgreSQL at 127.0.0.1:${port}/sac: connection refused`)
		);
	});

	it('names a data folder it cannot write', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-ro-'));
		const blocker = path.join(dir, 'not-a-folder');
		fs.writeFileSync(blocker, 'a file where the data folder should be');
		try {
			expectOneLineFailure(await runCli(['serve'], { DATABASE_URL: `file:${blocker}/sac2050.db` }), /Cannot write the SQLite database at .*writable/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('names a PORT that is not a number', async () => {
		expectOneLineFailure(await runCli(['serve'], { PORT: 'eighty' }), /PORT "eighty" is not a port number/);
	});
});

describe('sac2050 CLI', () => {
	it('has --help for every command', async () => {
		const top = await runCli(['--help']);
		expect(top.code).toBe(0);
		for (const command of ['migrate', 'seed', 'backup', 'serve']) {
			expect(top.stdout).toContain(command);
			const help = await runCli([command, '--help']);
			expect(help.code, command).toBe(0);
			expect(help.stdout).toContain(`Usage: sac2050 ${command}`);
		}
	});

	it('migrates, seeds and backs up a SQLite database; refuses backup on PostgreSQL with what to do', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-cli-'));
		const env = { DATABASE_URL: `file:${dir}/sac.db` };
		try {
			const migrate = await runCli(['migrate'], env);
			expect(migrate.code, migrate.stderr).toBe(0);
			expect(migrate.stdout).toContain('Applied 001-catalog-and-data');
			const seed = await runCli(['seed'], env);
			expect(seed.code, seed.stderr).toBe(0);
			expect(seed.stdout).toMatch(/6 areas, 50 indicators, 6 geographies added; sample data loaded for \d+ indicators/);
			const again = await runCli(['seed'], env);
			expect(again.stdout).toMatch(/0 areas, 0 indicators, 0 geographies added; sample data loaded for 0 indicators/);
			const backup = await runCli(['backup', `${dir}/copy.db`], env);
			expect(backup.code, backup.stderr).toBe(0);
			expect(fs.statSync(`${dir}/copy.db`).size).toBeGreaterThan(10_000);
			// The copy is a working database with the same catalog.
			const copy = await runCli(['seed'], { DATABASE_URL: `file:${dir}/copy.db` });
			expect(copy.stdout).toMatch(/0 areas, 0 indicators/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		const database = await createTestDatabase('postgres');
		try {
			expectOneLineFailure(await runCli(['backup', '/tmp/x.db'], { DATABASE_URL: database.url }), /use pg_dump/);
		} finally {
			await database.drop();
		}
	});

	it('rejects an unknown command with a usage hint', async () => {
		const result = await runCli(['frobnicate']);
		expect(result.code).not.toBe(0);
		expect(result.stderr).toContain("unknown command 'frobnicate'");
	});
});
