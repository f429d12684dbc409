import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { publishIndicatorCsv, validateIndicatorCsv } from '#lib/indicators/server/import-csv.ts';
import { listRevisions, readCurrentObservations } from '#lib/indicators/server/store.ts';
import { now } from '#lib/server/db/values.ts';
import { DIALECTS, PROJECT_DIR, createTestDatabase, type TestDatabase } from '../support/databases.ts';

/** A CSV large enough that its import is still writing when the process is killed. */
function writeLargeCsv(file: string, groups: number): void {
	const lines = ['Year,Group,Value'];
	for (let g = 0; g < groups; g++) for (let year = 2000; year < 2020; year++) lines.push(`${year},g${g},${(g % 97) + year / 1000}`);
	fs.writeFileSync(file, lines.join('\n') + '\n');
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const start = Date.now();
	while (Date.now() - start < timeoutMs) {
		if (await condition()) return;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error('condition not met in time');
}

describe.each(DIALECTS)('an import killed half-way on %s', (dialect) => {
	let test: TestDatabase;
	let db: Db;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-kill-'));
	const bigFile = path.join(dir, 'big.csv');

	beforeAll(async () => {
		test = await createTestDatabase(dialect);
		db = await openDatabase(test.url);
		await migrateToLatest(db);
		const timestamp = now();
		await db.kysely
			.insertInto('indicator')
			.values({
				id: 'crash-test', area_id: null, position: 0, name: 'Crash test', description: '', unit: '', direction: 'positive',
				source_name: '', source_url: '', translations: '{}', metadata: '{}', progress_config: '{}', graph_type: 'line',
				reporting_status: 'complete', is_sample: 0, current_revision_id: null, created_at: timestamp, updated_at: timestamp
			})
			.execute();
		const first = validateIndicatorCsv('Year,Value\n2015,1\n2016,2\n2017,3\n', 'first.csv');
		await publishIndicatorCsv(db, 'crash-test', first, { author: 'test' });
		// SQLite keeps up to 64 MiB of a transaction's pages in memory (connect.ts cache_size) and
		// writes them to the WAL when it commits; only a transaction larger than that writes to
		// the WAL while it is still open, which is when this test must kill it (18 MB: under
		// the 20 MB limit of one CSV upload).
		writeLargeCsv(bigFile, dialect === 'sqlite' ? 48_000 : 30_000);
	});

	afterAll(async () => {
		await db.close();
		await test.drop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('leaves the previous data and history exactly as they were', async () => {
		const before = await readCurrentObservations(db.kysely, 'crash-test');
		const child = spawn(process.execPath, ['src/cli/sac2050.ts', 'import', 'csv', bigFile, '--indicator', 'crash-test'], {
			cwd: PROJECT_DIR,
			env: { ...process.env, DATABASE_URL: test.url },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		child.stderr!.on('data', (d) => (stderr += d));
		const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
		const stillRunning = () => {
			if (child.exitCode !== null) throw new Error(`the import ended before it could be killed: ${stderr}`);
		};

		// Kill it while its transaction is writing observations.
		if (dialect === 'sqlite') {
			const wal = `${(parseDatabaseUrl(test.url) as { file: string }).file}-wal`;
			const walAtStart = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
			await waitFor(async () => {
				stillRunning();
				return fs.existsSync(wal) && fs.statSync(wal).size > walAtStart + 4 * 1024 * 1024;
			}, 60_000);
		} else {
			await waitFor(async () => {
				stillRunning();
				const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stat_activity
					where datname = current_database() and pid <> pg_backend_pid() and query ilike 'insert into observation%'`.execute(db.kysely);
				return Number(rows[0]!.n) > 0;
			}, 60_000);
		}
		child.kill('SIGKILL');
		expect(await exited).toBe('SIGKILL');

		// A fresh connection, as after a restart.
		await db.close();
		db = await openDatabase(test.url);
		if (dialect === 'sqlite') {
			const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db.kysely);
			expect(rows[0]!.integrity_check).toBe('ok');
		}
		expect(await readCurrentObservations(db.kysely, 'crash-test')).toEqual(before);
		const revisions = await listRevisions(db, 'crash-test');
		expect(revisions.map((r) => r.number)).toEqual([1]);
		const orphans = await db.kysely
			.selectFrom('observation')
			.select((eb) => eb.fn.countAll().as('n'))
			.where('revision_id', 'not in', revisions.map((r) => r.id))
			.executeTakeFirstOrThrow();
		expect(Number(orphans.n)).toBe(0);

		// And the database takes the next import normally.
		const next = validateIndicatorCsv('Year,Value\n2015,1\n2016,2\n2017,3\n2018,5\n', 'next.csv');
		const revision = await publishIndicatorCsv(db, 'crash-test', next, { author: 'test' });
		expect(revision.number).toBe(2);
	});
});
