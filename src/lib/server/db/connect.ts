import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import { UserFacingError } from '../errors.ts';
import type { Database } from './schema.ts';
import { fileIdentity, guardDatabaseFile, databaseFileGoneMessage, rescueCopyPath, type FileChange, type FileGuard } from './file-guard.ts';
import { assertNotVanished } from './installation.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
	kysely: Kysely<Database>;
	dialect: DialectName;
	/** Where the data lives, for messages (never includes a password). */
	location: string;
	/** The driver handles, for the few paths Kysely does not cover (bulk load, backup). */
	sqlite?: SqliteDatabase.Database;
	pgPool?: pg.Pool;
	/** SQLite: whether the database file is still the one opened (see file-guard.ts). */
	file?: Pick<FileGuard, 'check'>;
	close(): Promise<void>;
}

export type DatabaseTarget =
	| { dialect: 'sqlite'; file: string }
	| { dialect: 'postgres'; url: string; display: string };

export const DEFAULT_SQLITE_FILE = 'data/sac2050.db';

/** Reads DATABASE_URL: unset → the embedded SQLite file, `file:<path>`, or `postgres://…`. */
export function parseDatabaseUrl(value: string | undefined, cwd = process.cwd()): DatabaseTarget {
	const raw = value?.trim();
	if (!raw) return { dialect: 'sqlite', file: path.resolve(cwd, DEFAULT_SQLITE_FILE) };
	if (raw.startsWith('file:')) {
		const file = raw.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
		if (!file) {
			throw new UserFacingError(
				'DATABASE_URL "file:" names no file: write it as file:<path>, for example file:data/sac2050.db.'
			);
		}
		return { dialect: 'sqlite', file: path.resolve(cwd, file) };
	}
	if (/^postgres(ql)?:\/\//.test(raw)) {
		let url: URL;
		try {
			url = new URL(raw);
		} catch {
			throw new UserFacingError(
				'DATABASE_URL is not a valid PostgreSQL URL: write it as postgres://user:password@host:5432/database.'
			);
		}
		const display = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
		return { dialect: 'postgres', url: raw, display };
	}
	throw new UserFacingError(
		`DATABASE_URL "${raw.split(':')[0]}:…" is not supported: use file:<path> for SQLite or postgres://… for PostgreSQL, or leave it unset for ${DEFAULT_SQLITE_FILE}.`
	);
}

let pgTypesSet = false;
function setPgTypeParsers(): void {
	if (pgTypesSet) return;
	// Counts (int8) and numerics arrive as strings by default; Sac2050's values fit a double.
	pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
	pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
	pgTypesSet = true;
}

/** Prepared statements kept per connection; the least recently used goes first. */
const STATEMENT_CACHE_SIZE = 256;

/** Stands in for ROLLBACK when SQLite has already rolled the transaction back. */
const NOTHING_TO_ROLL_BACK = {
	reader: false,
	all: () => [],
	run: () => ({ changes: 0, lastInsertRowid: 0 }),
	iterate: () => [][Symbol.iterator]()
} as unknown as SqliteDatabase.Statement;

/**
 * The connection as Kysely sees it, with each SQL text prepared once: Kysely prepares every
 * query it runs, which costs more than running a small one.
 */
function withStatementCache(handle: SqliteDatabase.Database, guard: FileGuard): KyselySqliteDatabase {
	const statements = new Map<string, SqliteDatabase.Statement>();
	return {
		close: () => handle.close(),
		prepare(sql: string) {
			// SQLite itself rolls back a transaction that failed with SQLITE_FULL (disk full) and a
			// few other errors; Kysely's rollback after it would then fail with "cannot rollback -
			// no transaction is active" and hide the error that says what happened.
			if (sql === 'rollback' && !handle.inTransaction) return NOTHING_TO_ROLL_BACK;
			// Every write transaction, at its start and at its commit, and every write outside one,
			// first makes sure the file is still there: a write into a deleted file is lost.
			if (sql === 'begin' || sql === 'commit') guard.assertPresent();
			let statement = statements.get(sql);
			if (statement) {
				statements.delete(sql);
			} else {
				statement = handle.prepare(sql);
				if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
			}
			statements.set(sql, statement);
			if (!statement.reader && !handle.inTransaction && sql !== 'begin' && sql !== 'rollback') guard.assertPresent();
			return statement;
		}
	};
}

/** Says loudly in the log that the database file is gone, and keeps a copy of the data the open connection still has. */
function reportVanished(handle: SqliteDatabase.Database, file: string, change: FileChange): void {
	const rule = '='.repeat(78);
	console.error(`${rule}\nsac2050: DATABASE FILE GONE: ${databaseFileGoneMessage(file, change)}\n${rule}`);
	const copy = rescueCopyPath(file);
	try {
		fs.mkdirSync(path.dirname(copy), { recursive: true });
	} catch {
		// The backup below names the failure.
	}
	handle
		.backup(copy)
		.then(() => console.error(`sac2050: the data this server still held is copied to ${copy}: stop Sac2050 and move that file to ${file} to keep it.`))
		.catch((error: Error) => console.error(`sac2050: could not write a rescue copy of the database to ${copy}: ${error.message}.`));
}

function openSqlite(file: string, allowNew: boolean): Db {
	const dir = path.dirname(file);
	assertNotVanished(file, allowNew);
	try {
		fs.mkdirSync(dir, { recursive: true });
		fs.accessSync(dir, fs.constants.W_OK);
		if (fs.existsSync(file)) fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'error';
		throw new UserFacingError(
			`Cannot write the SQLite database at ${file} (${code}): make the folder writable, or set DATABASE_URL=file:<a writable path>.`
		);
	}
	let handle: SqliteDatabase.Database;
	try {
		handle = new SqliteDatabase(file);
		handle.pragma('journal_mode = WAL');
		handle.pragma('foreign_keys = ON');
		handle.pragma('busy_timeout = 5000');
		handle.pragma('synchronous = NORMAL');
		// A large import writes in one transaction; a bigger page cache keeps it off the disk until commit.
		handle.pragma('cache_size = -65536');
	} catch (error) {
		throw new UserFacingError(
			`Cannot open the SQLite database at ${file}: ${(error as Error).message}. Check that it is a Sac2050 database file and the folder is writable.`
		);
	}
	const opened = fileIdentity(file);
	if (!opened) throw new UserFacingError(`The SQLite database ${file} vanished while it was being opened: check what else uses the data folder.`);
	const guard = guardDatabaseFile(file, opened, (change) => reportVanished(handle, file, change));
	const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(handle, guard) }) });
	return {
		kysely,
		dialect: 'sqlite',
		location: file,
		sqlite: handle,
		file: guard,
		close: () => {
			guard.stop();
			return kysely.destroy();
		}
	};
}

function describePgError(error: unknown, display: string): string {
	const e = error as { code?: string; message?: string };
	switch (e.code) {
		case 'ECONNREFUSED':
			return `Cannot connect to PostgreSQL at ${display}: connection refused. Start PostgreSQL or correct the host and port in DATABASE_URL.`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `Cannot connect to PostgreSQL at ${display}: the host name is unknown. Correct the host in DATABASE_URL.`;
		case 'ETIMEDOUT':
			return `Cannot connect to PostgreSQL at ${display}: no answer in time. Check the host, port and firewall in DATABASE_URL.`;
		case '28P01':
		case '28000':
			return `PostgreSQL at ${display} refused the user or password in DATABASE_URL: correct them.`;
		case '3D000':
			return `PostgreSQL at ${display} has no such database: create it (createdb) or correct the database name in DATABASE_URL.`;
		default:
			return `Cannot connect to PostgreSQL at ${display}: ${e.message ?? String(error)}. Check DATABASE_URL.`;
	}
}

async function openPostgres(url: string, display: string): Promise<Db> {
	setPgTypeParsers();
	const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
	// An idle client that loses its server must not crash the process.
	pool.on('error', () => {});
	try {
		const client = await pool.connect();
		client.release();
	} catch (error) {
		await pool.end().catch(() => {});
		throw new UserFacingError(describePgError(error, display));
	}
	const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	return {
		kysely,
		dialect: 'postgres',
		location: display,
		pgPool: pool,
		close: () => kysely.destroy()
	};
}

export interface OpenOptions {
	/** Create a new, empty SQLite database even where the installation marker says one existed (--new-database). */
	allowNew?: boolean;
}

/** Opens the database DATABASE_URL names, failing with a UserFacingError that says what to do. */
export async function openDatabase(databaseUrl = process.env.DATABASE_URL, options: OpenOptions = {}): Promise<Db> {
	const target = parseDatabaseUrl(databaseUrl);
	return target.dialect === 'sqlite' ? openSqlite(target.file, options.allowNew ?? false) : openPostgres(target.url, target.display);
}
