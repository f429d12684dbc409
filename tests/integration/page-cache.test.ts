import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { publishIndicatorCsv, validateIndicatorCsv } from '#lib/indicators/server/import-csv.ts';
import { publishRevision, rollbackToRevision } from '#lib/indicators/server/store.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { bumpDataVersion, readDataVersion, watchDataVersion, type DataVersionWatcher } from '#lib/server/page-cache/data-version.ts';
import { DIALECTS, PROJECT_DIR, SHARED_DIR, openTestDatabase } from '../support/databases.ts';

const LA_SAMPLE = path.join(SHARED_DIR, 'datasets/open-sdg-la-sample');

/** Waits until the watcher reports `version`; returns how long that took in ms. */
async function seen(watcher: DataVersionWatcher, version: number, limitMs = 1000): Promise<number> {
	const start = performance.now();
	while (watcher.current() !== version) {
		if (performance.now() - start > limitMs) throw new Error(`watcher still at ${watcher.current()} after ${limitMs} ms, expected ${version}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	return performance.now() - start;
}

describe.each(DIALECTS)('data version on %s', (dialect) => {
	let db: Db;
	/** A second connection to the same database, as another server process has. */
	let other: Db;
	let watcher: DataVersionWatcher;
	let close: () => Promise<void>;

	beforeAll(async () => {
		const opened = await openTestDatabase(dialect);
		db = opened.db;
		other = await openDatabase(opened.test.url);
		watcher = watchDataVersion(other, { pollMs: 200 });
		close = async () => {
			await watcher.close();
			await other.close();
			await opened.close();
		};
	});
	afterAll(async () => close());

	it('starts at 1 after the migrations', async () => {
		expect(await readDataVersion(db.kysely)).toBe(1);
		await seen(watcher, 1, 2000);
	});

	it('goes up with the seed, and another connection sees it', async () => {
		await seedRegion(db, loadRegionPack(path.join(PROJECT_DIR, 'region')));
		const version = await readDataVersion(db.kysely);
		expect(version).toBeGreaterThan(1);
		const delay = await seen(watcher, version);
		if (dialect === 'sqlite') expect(delay).toBeLessThan(5);
	});

	it('goes up with every publish and rollback, seen by the other connection within a second', async () => {
		const before = await readDataVersion(db.kysely);
		const csv = validateIndicatorCsv('Year,Value\n2020,1.5\n2021,2.5\n', 'unemployment.csv');
		await publishIndicatorCsv(db, 'unemployment', csv, { author: 'test' });
		const afterPublish = await readDataVersion(db.kysely);
		expect(afterPublish).toBe(before + 1);
		await seen(watcher, afterPublish);

		await rollbackToRevision(db, 'unemployment', 1, 'test');
		const afterRollback = await readDataVersion(db.kysely);
		expect(afterRollback).toBe(afterPublish + 1);
		await seen(watcher, afterRollback);
	});

	it('goes up with an import, not with a dry run', async () => {
		const before = await readDataVersion(db.kysely);
		await importOpenSdgRepository(db, LA_SAMPLE, { author: 'test', dryRun: true });
		expect(await readDataVersion(db.kysely)).toBe(before);
		const report = await importOpenSdgRepository(db, LA_SAMPLE, { author: 'test' });
		expect(report.imported).toBeGreaterThan(0);
		const after = await readDataVersion(db.kysely);
		// One per published indicator, and one at the end for metadata and the search index.
		expect(after).toBe(before + report.outcomes.filter((o) => o.revision !== undefined).length + 1);
		await seen(watcher, after);
	});

	it('stays put when a publish fails, and counts a bump only at commit', async () => {
		const before = await readDataVersion(db.kysely);
		await expect(
			publishRevision(
				db,
				{ indicatorId: 'unemployment', kind: 'upload', author: 'test', source: 'x.csv', checksum: 'x', columns: ['Year', 'Value'], rows: [], isSample: false },
				async () => {
					throw new Error('the progress computation failed');
				}
			)
		).rejects.toThrow('the progress computation failed');
		expect(await readDataVersion(db.kysely)).toBe(before);

		let insideTransaction: number | undefined;
		await db.kysely.transaction().execute(async (trx) => {
			await bumpDataVersion(db, trx);
			await new Promise((resolve) => setTimeout(resolve, dialect === 'postgres' ? 300 : 0));
			insideTransaction = watcher.current();
		});
		expect(insideTransaction).toBe(before);
		await seen(watcher, before + 1);
	});

	it('stands aside while this connection has a write open (SQLite), and trusts its own committed bump at once', async () => {
		const mine = watchDataVersion(db);
		try {
			const version = await readDataVersion(db.kysely);
			await seen(mine, version, 2000);
			if (dialect === 'sqlite') {
				await db.kysely.transaction().execute(async () => {
					expect(mine.current()).toBeUndefined();
				});
			}
			const bumped = await bumpDataVersion(db);
			expect(mine.current()).toBe(bumped);
		} finally {
			await mine.close();
		}
	});
});

describe('data version on postgres across servers', () => {
	let db: Db;
	let other: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		const opened = await openTestDatabase('postgres');
		db = opened.db;
		other = await openDatabase(opened.test.url);
		close = async () => {
			await other.close();
			await opened.close();
		};
	});
	afterAll(async () => close());

	it('hears a bump through LISTEN/NOTIFY without waiting for a poll', async () => {
		const watcher = watchDataVersion(other, { pollMs: 60_000 });
		try {
			await seen(watcher, await readDataVersion(db.kysely), 2000);
			// Let the LISTEN connection settle after its first read.
			await new Promise((resolve) => setTimeout(resolve, 100));
			const version = await bumpDataVersion(db);
			const delay = await seen(watcher, version, 1000);
			expect(delay).toBeLessThan(1000);
		} finally {
			await watcher.close();
		}
	});

	it('still sees bumps by polling when the LISTEN connection is cut, and listens again', async () => {
		const watcher = watchDataVersion(other, { pollMs: 200 });
		try {
			await seen(watcher, await readDataVersion(db.kysely), 2000);
			await new Promise((resolve) => setTimeout(resolve, 100));
			const { rows } = await db.pgPool!.query<{ terminated: boolean }>(
				`select pg_terminate_backend(pid) as terminated from pg_stat_activity
				 where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`
			);
			expect(rows.length).toBe(1);
			const version = await bumpDataVersion(db);
			await seen(watcher, version, 1000);
			// Reconnected after about a second: LISTEN again in place.
			const start = performance.now();
			for (;;) {
				const { rows: listening } = await db.pgPool!.query(
					`select 1 from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`
				);
				if (listening.length === 1) break;
				if (performance.now() - start > 5000) throw new Error('the watcher did not LISTEN again');
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		} finally {
			await watcher.close();
		}
	});
});
