import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';

/** Every integration test runs once per dialect. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** The PostgreSQL server tests create their throwaway databases on (trust auth on this machine). */
export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
	url: string;
	dialect: TestDialect;
	/** Removes the database (file or PostgreSQL database). */
	drop(): Promise<void>;
}

/** A fresh, empty database of the given dialect, not yet opened. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
	if (dialect === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-test-'));
		const file = path.join(dir, 'test.db');
		return { url: `file:${file}`, dialect, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
	}
	const name = `sac2050_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = new URL(TEST_POSTGRES_ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		dialect,
		drop: async () => {
			const client = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
			await client.connect();
			await client.query(`drop database if exists ${name} with (force)`);
			await client.end();
		}
	};
}

/** A fresh database, opened and migrated. */
export async function openTestDatabase(dialect: TestDialect): Promise<{ db: Db; test: TestDatabase; close(): Promise<void> }> {
	const test = await createTestDatabase(dialect);
	const db = await openDatabase(test.url);
	await migrateToLatest(db);
	return {
		db,
		test,
		close: async () => {
			await db.close();
			await test.drop();
		}
	};
}

export const SHARED_DIR = path.resolve(import.meta.dirname, '../../../shared');
export const PROJECT_DIR = path.resolve(import.meta.dirname, '../..');
