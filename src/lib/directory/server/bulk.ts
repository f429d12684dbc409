import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';

export type ColumnType = 'text' | 'int' | 'float';
export type Executor = Kysely<Database> | Transaction<Database>;

/** SQLite allows 32,766 parameters a statement. */
const SQLITE_PARAMETERS = 30_000;
const PG_BATCH = 20_000;

type SqliteHandle = NonNullable<Db['sqlite']>;
const statements = new WeakMap<SqliteHandle, Map<string, ReturnType<SqliteHandle['prepare']>>>();

function sqliteInsert(handle: SqliteHandle, table: string, columns: readonly string[], count: number) {
	let cache = statements.get(handle);
	if (!cache) statements.set(handle, (cache = new Map()));
	const key = `${table}\u0000${columns.join(',')}\u0000${count}`;
	let statement = cache.get(key);
	if (!statement) {
		if (cache.size > 32) cache.clear();
		const row = `(${columns.map(() => '?').join(',')})`;
		statement = handle.prepare(`insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: count }, () => row).join(',')}`);
		cache.set(key, statement);
	}
	return statement;
}

/**
 * Inserts many rows inside the caller's transaction: on SQLite prepared multi-row statements on
 * the same connection, on PostgreSQL column arrays through unnest(). `rows` hold values in
 * `columns` order. `onBatch` is told how many rows are written so far.
 */
export async function insertMany(
	db: Db,
	trx: Executor,
	table: string,
	columns: ReadonlyArray<readonly [name: string, type: ColumnType]>,
	rows: ReadonlyArray<readonly unknown[]>,
	onBatch?: (written: number) => void
): Promise<void> {
	if (rows.length === 0) return;
	const names = columns.map(([name]) => name);
	if (db.dialect === 'sqlite' && db.sqlite) {
		const batch = Math.max(1, Math.min(500, Math.floor(SQLITE_PARAMETERS / names.length)));
		for (let start = 0; start < rows.length; start += batch) {
			const end = Math.min(start + batch, rows.length);
			const params: unknown[] = [];
			for (let i = start; i < end; i++) for (const value of rows[i]!) params.push(value);
			sqliteInsert(db.sqlite, table, names, end - start).run(params);
			if (onBatch && (end === rows.length || (end / batch) % 20 === 0)) onBatch(end);
		}
		return;
	}
	const pgType = { text: 'text', int: 'int', float: 'double precision' } as const;
	for (let start = 0; start < rows.length; start += PG_BATCH) {
		const slice = rows.slice(start, start + PG_BATCH);
		const arrays = columns.map(([, type], c) => sql`${slice.map((r) => r[c])}::${sql.raw(pgType[type])}[]`);
		await sql`insert into ${sql.raw(table)} (${sql.raw(names.join(', '))}) select * from unnest(${sql.join(arrays)})`.execute(trx);
		onBatch?.(start + slice.length);
	}
}
