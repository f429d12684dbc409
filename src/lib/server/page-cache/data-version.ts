/**
 * The data version: a number in the database that goes up with every change a page can
 * show. Rendered pages are cached per version; every server watches the number and drops
 * its pages when it changes.
 *
 * - SQLite (one file, any number of processes): the server reads the number on each
 *   cacheable request, a few microseconds, so a change is seen on the very next request.
 * - PostgreSQL (any number of servers): a bump sends NOTIFY on a channel at commit; each
 *   server LISTENs on its own connection and also reads the number every half second, in
 *   case a notification was missed while that connection was down.
 */
import pg from 'pg';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';

export const DATA_VERSION_CHANNEL = 'sac2050_data_version';

type Executor = Kysely<Database> | Transaction<Database>;

export async function readDataVersion(db: Executor): Promise<number> {
	const row = await db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
	return Number(row.version);
}

/**
 * Records that something pages show has changed, so that every server renders its pages
 * anew. Call it after every publish, rollback, seed, import and settings change. Inside a
 * transaction pass it as `executor`: the new number (and the notification) then count only
 * if and when the transaction commits.
 */
export async function bumpDataVersion(db: Db, executor: Executor = db.kysely): Promise<number> {
	const timestamp = new Date().toISOString();
	let version: number;
	if (db.dialect === 'postgres') {
		const result = await sql<{ version: number }>`
			with bumped as (update data_version set version = version + 1, updated_at = ${timestamp} where id = 1 returning version)
			select version, pg_notify(${DATA_VERSION_CHANNEL}, version::text) from bumped`.execute(executor);
		version = Number(result.rows[0]?.version);
	} else {
		const row = await executor
			.updateTable('data_version')
			.set((eb) => ({ version: eb('version', '+', 1), updated_at: timestamp }))
			.where('id', '=', 1)
			.returning('version')
			.executeTakeFirst();
		version = Number(row?.version);
	}
	if (!Number.isFinite(version)) throw new Error('The data_version table has no row: run the database migrations ("sac2050 migrate").');
	// Committed already: this process need not wait for its own notification.
	if (!executor.isTransaction) watchers.get(db)?.observe(version);
	return version;
}

export interface DataVersionWatcher {
	/**
	 * The current data version, or undefined when it cannot be known for certain right now
	 * (not read yet, the database unreachable, or a write of this process still open on the
	 * SQLite connection): the cache then stands aside.
	 */
	current(): number | undefined;
	/** A version this process knows to be committed (after its own bump). */
	observe(version: number): void;
	close(): Promise<void>;
}

const watchers = new WeakMap<Db, DataVersionWatcher>();

/** The watcher of this database handle, started on first use. */
export function watchDataVersion(db: Db, options: { pollMs?: number } = {}): DataVersionWatcher {
	let watcher = watchers.get(db);
	if (!watcher) {
		const started = db.dialect === 'sqlite' ? sqliteWatcher(db) : new PostgresWatcher(db, options.pollMs ?? 500);
		watcher = {
			current: () => started.current(),
			observe: (version) => started.observe(version),
			close: async () => {
				watchers.delete(db);
				await started.close();
			}
		};
		watchers.set(db, watcher);
	}
	return watcher;
}

function sqliteWatcher(db: Db): DataVersionWatcher {
	const handle = db.sqlite;
	if (!handle) throw new Error('A SQLite database handle is needed to watch the data version.');
	let statement: { get(): unknown } | undefined;
	return {
		current() {
			// An open transaction on this connection may hold an uncommitted bump; a page
			// rendered now waits for it, so it must not be filed under either number.
			if (handle.inTransaction) return undefined;
			try {
				statement ??= handle.prepare('select version from data_version where id = 1').pluck();
				const value = statement.get();
				return value === undefined ? undefined : Number(value);
			} catch {
				return undefined;
			}
		},
		observe() {},
		close: async () => {}
	};
}

/** How long a version read by polling stays trusted while the LISTEN connection is down. */
const POLL_TRUST_FACTOR = 3;
const RECONNECT_MS = 1000;

class PostgresWatcher implements DataVersionWatcher {
	#db: Db;
	#pollMs: number;
	#known: number | undefined;
	#polledAt = 0;
	#listening = false;
	#notifications = 0;
	#client: pg.Client | undefined;
	#timer: NodeJS.Timeout;
	#closed = false;

	constructor(db: Db, pollMs: number) {
		this.#db = db;
		this.#pollMs = pollMs;
		this.#timer = setInterval(() => void this.#poll(), pollMs);
		this.#timer.unref();
		void this.#listen();
		void this.#poll();
	}

	current(): number | undefined {
		if (this.#listening || Date.now() - this.#polledAt < this.#pollMs * POLL_TRUST_FACTOR) return this.#known;
		return undefined;
	}

	observe(version: number): void {
		this.#notifications++;
		this.#known = version;
	}

	async #poll(): Promise<void> {
		const seen = this.#notifications;
		try {
			const version = await readDataVersion(this.#db.kysely);
			// A notification that arrived while the query ran is newer than its answer.
			if (this.#notifications === seen) this.#known = version;
			this.#polledAt = Date.now();
		} catch {
			// Unreachable for now: current() stops trusting the last number after a while.
		}
	}

	async #listen(): Promise<void> {
		if (this.#closed) return;
		const pool = this.#db.pgPool;
		if (!pool) return;
		const client = new pg.Client(pool.options);
		this.#client = client;
		const lost = () => {
			if (this.#client !== client) return;
			this.#listening = false;
			this.#client = undefined;
			client.end().catch(() => {});
			if (!this.#closed) setTimeout(() => void this.#listen(), RECONNECT_MS).unref();
		};
		client.on('error', lost);
		client.on('end', lost);
		client.on('notification', (message) => {
			const version = Number(message.payload);
			if (message.channel === DATA_VERSION_CHANNEL && Number.isFinite(version)) this.observe(version);
		});
		try {
			await client.connect();
			await client.query(`listen ${DATA_VERSION_CHANNEL}`);
			// A bump between the last poll and LISTEN sent no notification this client saw.
			await this.#poll();
			this.#listening = this.#client === client;
		} catch {
			lost();
		}
	}

	async close(): Promise<void> {
		this.#closed = true;
		clearInterval(this.#timer);
		this.#listening = false;
		const client = this.#client;
		this.#client = undefined;
		await client?.end().catch(() => {});
	}
}
