import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { compareIdentity, DatabaseFileGoneError, fileIdentity, guardDatabaseFile } from '#lib/server/db/file-guard.ts';
import { assertNotVanished, markerFile, recordInstallation } from '#lib/server/db/installation.ts';
import { isCatalogEmpty } from '#lib/region/server/seed.ts';
import { DIALECTS, openTestDatabase } from '../support/databases.ts';

/** A settings row: the smallest write the schema has. */
function writeSetting(db: Db, key: string) {
	return db.kysely.insertInto('setting').values({ key, value: '1', updated_at: new Date().toISOString() }).execute();
}

describe('the SQLite file guard', () => {
	let dir = '';
	let db: Db | undefined;
	afterEach(async () => {
		vi.restoreAllMocks();
		await db?.close();
		db = undefined;
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	async function open(): Promise<{ db: Db; file: string }> {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-guard-'));
		const file = path.join(dir, 'sac2050.db');
		db = await openDatabase(`file:${file}`);
		await migrateToLatest(db);
		vi.spyOn(console, 'error').mockImplementation(() => {});
		return { db, file };
	}

	it('compares device and inode', () => {
		expect(compareIdentity({ dev: 1, ino: 2 }, { dev: 1, ino: 2 })).toBeUndefined();
		expect(compareIdentity({ dev: 1, ino: 2 }, { dev: 1, ino: 3 })).toBe('replaced');
		expect(compareIdentity({ dev: 1, ino: 2 }, undefined)).toBe('deleted');
	});

	it('refuses a write, in or out of a transaction, once the file is deleted', async () => {
		const { db, file } = await open();
		await writeSetting(db, 'before');
		fs.rmSync(file);
		await expect(writeSetting(db, 'after')).rejects.toThrow(DatabaseFileGoneError);
		await expect(db.kysely.transaction().execute((trx) => trx.insertInto('setting').values({ key: 'x', value: '1', updated_at: '' }).execute())).rejects.toThrow(
			/was deleted while Sac2050 had it open: writes are refused/
		);
		// Reads still answer from the open file.
		expect(await db.kysely.selectFrom('setting').select('key').where('key', '=', 'before').executeTakeFirst()).toEqual({ key: 'before' });
		expect(db.file?.check()).toBe('deleted');
	});

	it('rolls back a transaction whose file is replaced before it commits', async () => {
		const { db, file } = await open();
		await expect(
			db.kysely.transaction().execute(async (trx) => {
				await trx.insertInto('setting').values({ key: 'inside', value: '1', updated_at: '' }).execute();
				// A restore copied over the database while the transaction ran.
				fs.copyFileSync(file, `${file}.new`);
				fs.renameSync(`${file}.new`, file);
			})
		).rejects.toThrow(/was replaced by another file/);
		expect(await db.kysely.selectFrom('setting').select('key').where('key', '=', 'inside').executeTakeFirst()).toBeUndefined();
	});

	it('notices on its schedule, once, without any write', async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-guard-'));
		const file = path.join(dir, 'f');
		fs.writeFileSync(file, 'x');
		const seen: string[] = [];
		const guard = guardDatabaseFile(file, fileIdentity(file)!, (change) => seen.push(change), 20);
		try {
			fs.rmSync(file);
			await new Promise((r) => setTimeout(r, 120));
			expect(seen).toEqual(['deleted']);
			// Stays gone, even when a file of that name comes back: the open one is not it.
			fs.writeFileSync(file, 'y');
			expect(guard.check()).toBe('deleted');
		} finally {
			guard.stop();
		}
	});
});

describe('the installation marker', () => {
	let dir = '';
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('tells a first install from a vanished database', async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-marker-'));
		const file = path.join(dir, 'sac2050.db');
		expect(() => assertNotVanished(file, false)).not.toThrow();
		const db = await openDatabase(`file:${file}`);
		await migrateToLatest(db);
		const first = await recordInstallation(db, { allowNew: false, isEmpty: () => isCatalogEmpty(db) });
		expect(first.first).toBe(true);
		const again = await recordInstallation(db, { allowNew: false, isEmpty: () => isCatalogEmpty(db) });
		expect(again).toEqual({ first: false, previous: undefined });
		await db.close();
		expect(JSON.parse(fs.readFileSync(markerFile(file), 'utf8')).id).toMatch(/^[0-9a-f-]{36}$/);
		fs.rmSync(file);
		expect(() => assertNotVanished(file, false)).toThrow(/is missing, but .*sac2050\.db\.installed says Sac2050 was installed there/);
		expect(() => assertNotVanished(file, true)).not.toThrow();
		await expect(openDatabase(`file:${file}`)).rejects.toThrow(/--new-database/);
		expect(fs.existsSync(file)).toBe(false);
	});
});

describe.each(DIALECTS)('installation id on %s', (dialect) => {
	it('is given once and kept inside the database', async () => {
		const { db, close } = await openTestDatabase(dialect);
		try {
			const first = await recordInstallation(db, { allowNew: false, isEmpty: async () => true });
			expect(first.first).toBe(true);
			const row = await db.kysely.selectFrom('setting').select('value').where('key', '=', 'installation').executeTakeFirstOrThrow();
			const id = JSON.parse(row.value).id as string;
			await recordInstallation(db, { allowNew: false, isEmpty: async () => true });
			const rows = await db.kysely.selectFrom('setting').select('value').where('key', '=', 'installation').execute();
			expect(rows.map((r) => JSON.parse(r.value).id)).toEqual([id]);
		} finally {
			await close();
		}
	});
});
