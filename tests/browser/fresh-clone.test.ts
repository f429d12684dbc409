import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/databases.ts';
import { runCli } from '../support/server.ts';

// A newcomer's first minutes: a fresh clone of the committed project with its dependencies
// installed (node_modules linked from this checkout, since `npm ci` is what CI itself ran)
// and nothing built or generated yet. Every command must work there.
describe('the command-line tool on a fresh clone, before any build', () => {
	let clone: string;
	beforeAll(() => {
		clone = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-clone-'));
		execFileSync('git', ['clone', '--quiet', '--shared', PROJECT_DIR, clone]);
		fs.symlinkSync(path.join(PROJECT_DIR, 'node_modules'), path.join(clone, 'node_modules'));
	});
	afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

	it('migrates and creates the first admin with no build and no generated files', async () => {
		expect(fs.existsSync(path.join(clone, 'src/lib/paraglide'))).toBe(false);
		const env = { DATABASE_URL: `file:${path.join(clone, 'data/fresh.db')}`, SAC2050_PASSWORD: 'a long enough passphrase 42' };

		const migrate = await runCli(['migrate'], env, 180_000, clone);
		expect(migrate.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
		expect(migrate.code, migrate.stderr).toBe(0);
		expect(migrate.stdout).toMatch(/^Applied \d{3}-/);
		expect(fs.existsSync(path.join(clone, 'src/lib/paraglide/messages.js'))).toBe(true);

		const admin = await runCli(['user', 'create', '--email', 'first@example.org', '--role', 'admin'], env, 60_000, clone);
		expect(admin.code, admin.stderr).toBe(0);
		expect(admin.stdout).toContain('Created first@example.org (admin)');
		// Compiled once: the second command does not compile again.
		expect(admin.stderr).not.toContain('compiling the interface text');
	}, 300_000);
});
