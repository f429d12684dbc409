import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database, RevisionTable } from '#lib/server/db/schema.ts';
import { fromJson, now, toFlag, toJson } from '#lib/server/db/values.ts';
import { seriesKey, type Dims } from '../series-key.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';

/** One observation as parsed from a file: the shape every import path produces. */
export interface ObservationInput {
	period: string;
	year: number;
	value: number | null;
	dims: Dims;
	attributes: Record<string, string>;
	/** Line in the source file. */
	line: number;
}

export interface NewRevision {
	indicatorId: string;
	kind: 'seed' | 'import' | 'upload' | 'rollback';
	author: string;
	source: string;
	checksum: string;
	columns: string[];
	rows: ObservationInput[];
	isSample: boolean;
	note?: string;
}

export interface RevisionSummary {
	id: number;
	number: number;
	indicatorId: string;
	kind: string;
	author: string;
	source: string;
	checksum: string;
	rowCount: number;
	rowsAdded: number;
	rowsRemoved: number;
	rowsChanged: number;
	isSample: boolean;
	note: string;
	createdAt: string;
}

export interface StoredObservation extends ObservationInput {
	seriesKey: string;
}

type Executor = Kysely<Database> | Transaction<Database>;
type SqliteHandle = NonNullable<Db['sqlite']>;
type SqliteStatement = ReturnType<SqliteHandle['prepare']>;

function rowIdentity(key: string, period: string): string {
	return `${key}\u0000${period}`;
}

function rowContent(value: number | null, attributes: Record<string, string>): string {
	for (const _ in attributes) return `${value ?? ''}\u0000${toJson(attributes)}`;
	return `${value ?? ''}`;
}

type DiffRow = Pick<ObservationInput, 'period' | 'value' | 'attributes'>;

/**
 * Counts rows added, removed and changed between two sets of observations; `beforeKeys` and
 * `afterKeys` hold each row's series key, index for index.
 */
export function diffObservations(
	before: readonly DiffRow[],
	beforeKeys: readonly string[],
	after: readonly DiffRow[],
	afterKeys: readonly string[]
): { added: number; removed: number; changed: number } {
	if (before.length === 0) return { added: after.length, removed: 0, changed: 0 };
	const old = new Map<string, string>();
	before.forEach((r, i) => old.set(rowIdentity(beforeKeys[i]!, r.period), rowContent(r.value, r.attributes)));
	let added = 0;
	let changed = 0;
	let matched = 0;
	after.forEach((r, i) => {
		const previous = old.get(rowIdentity(afterKeys[i]!, r.period));
		if (previous === undefined) added++;
		else {
			matched++;
			if (previous !== rowContent(r.value, r.attributes)) changed++;
		}
	});
	return { added, removed: old.size - matched, changed };
}

/**
 * The observations of one revision, in source order. Observations of one series share one
 * `dims` object. `indicatorId` (the revision's indicator) limits the series join to the
 * indicator's own series, which keeps PostgreSQL on the indexes in a large database.
 */
export async function readRevisionObservations(db: Executor, revisionId: number, indicatorId?: string): Promise<StoredObservation[]> {
	if (indicatorId === undefined) {
		const revision = await db.selectFrom('revision').select('indicator_id').where('id', '=', revisionId).executeTakeFirst();
		if (!revision) return [];
		indicatorId = revision.indicator_id;
	}
	const rows = await observationQuery(db).where('o.revision_id', '=', revisionId).where('s.indicator_id', '=', indicatorId).orderBy('o.position').execute();
	return toStoredObservations(rows);
}

function observationQuery(db: Executor) {
	return db
		.selectFrom('observation as o')
		.innerJoin('series as s', 's.id', 'o.series_id')
		.select(['o.revision_id', 's.key', 's.dims', 'o.period', 'o.year', 'o.value', 'o.attributes', 'o.position']);
}

type ObservationRow = Awaited<ReturnType<ReturnType<typeof observationQuery>['execute']>>[number];

function toStoredObservations(rows: readonly ObservationRow[]): StoredObservation[] {
	const dimsByKey = new Map<string, Dims>();
	return rows.map((r) => {
		let dims = dimsByKey.get(r.key);
		if (dims === undefined) dimsByKey.set(r.key, (dims = fromJson<Dims>(r.dims, {})));
		return {
			seriesKey: r.key,
			dims,
			period: r.period,
			year: r.year,
			value: r.value === null ? null : Number(r.value),
			attributes: r.attributes === null ? {} : fromJson<Record<string, string>>(r.attributes, {}),
			line: r.position
		};
	});
}

/**
 * The observations of several revisions in one query (for recomputing many indicators at
 * once), by revision id; each list in source order.
 */
export async function readObservationsOfRevisions(
	db: Executor,
	revisions: readonly { revisionId: number; indicatorId: string }[]
): Promise<Map<number, StoredObservation[]>> {
	const byRevision = new Map<number, StoredObservation[]>();
	if (revisions.length === 0) return byRevision;
	const rows = await observationQuery(db)
		.where(
			'o.revision_id',
			'in',
			revisions.map((r) => r.revisionId)
		)
		.where(
			's.indicator_id',
			'in',
			revisions.map((r) => r.indicatorId)
		)
		.orderBy('o.revision_id')
		.orderBy('o.position')
		.execute();
	let start = 0;
	for (let i = 1; i <= rows.length; i++) {
		if (i === rows.length || rows[i]!.revision_id !== rows[start]!.revision_id) {
			byRevision.set(rows[start]!.revision_id, toStoredObservations(rows.slice(start, i)));
			start = i;
		}
	}
	return byRevision;
}

/** The observations of an indicator's current revision (empty when it has no data). */
export async function readCurrentObservations(db: Executor, indicatorId: string): Promise<StoredObservation[]> {
	const indicator = await db
		.selectFrom('indicator')
		.select('current_revision_id')
		.where('id', '=', indicatorId)
		.executeTakeFirst();
	if (!indicator?.current_revision_id) return [];
	return readRevisionObservations(db, indicator.current_revision_id, indicatorId);
}

/**
 * Each row's series key, computed once per distinct `dims` object (parsed and stored rows of
 * one series share theirs).
 */
export function seriesKeysOf(rows: readonly ObservationInput[]): string[] {
	const known = new Map<Dims, string>();
	return rows.map((r) => {
		let key = known.get(r.dims);
		if (key === undefined) known.set(r.dims, (key = seriesKey(r.dims)));
		return key;
	});
}

/** Series ids for the given keys, creating the series the indicator does not have yet. */
async function ensureSeries(trx: Executor, indicatorId: string, keys: readonly string[], rows: readonly ObservationInput[]): Promise<Map<string, number>> {
	const wanted = new Map<string, Dims>();
	keys.forEach((key, i) => {
		if (!wanted.has(key)) wanted.set(key, rows[i]!.dims);
	});
	const existing = await trx.selectFrom('series').select(['id', 'key']).where('indicator_id', '=', indicatorId).execute();
	const ids = new Map<string, number>(existing.map((s) => [s.key, s.id]));
	const missing = [...wanted].filter(([key]) => !ids.has(key));
	for (let i = 0; i < missing.length; i += SERIES_BATCH) {
		const inserted = await trx
			.insertInto('series')
			.values(missing.slice(i, i + SERIES_BATCH).map(([key, dims]) => ({ indicator_id: indicatorId, key, dims: toJson(dims) })))
			.returning(['id', 'key'])
			.execute();
		for (const s of inserted) ids.set(s.key, s.id);
	}
	return ids;
}

const SERIES_BATCH = 500;

const PG_BATCH = 20_000;
/** Rows per SQLite statement: 7 parameters each, well under SQLite's limit of 32,766. */
const SQLITE_BATCH = 500;
const OBSERVATION_COLUMNS = 7;
const INSERT_OBSERVATIONS = 'insert into observation (revision_id, series_id, period, year, value, attributes, position) values ';

const insertStatements = new WeakMap<SqliteHandle, Map<number, SqliteStatement>>();

/** The prepared insert of `count` observations, prepared once per connection and row count. */
function insertStatement(handle: SqliteHandle, count: number): SqliteStatement {
	let statements = insertStatements.get(handle);
	if (!statements) insertStatements.set(handle, (statements = new Map()));
	let statement = statements.get(count);
	if (!statement) {
		// Row counts other than a full batch come from the last batch of each revision: keep a few.
		if (statements.size > 16) statements.clear();
		statement = handle.prepare(INSERT_OBSERVATIONS + Array(count).fill('(?,?,?,?,?,?,?)').join(','));
		statements.set(count, statement);
	}
	return statement;
}

function attributesText(attributes: Record<string, string>): string | null {
	for (const _ in attributes) return toJson(attributes);
	return null;
}

/**
 * Writes a revision's observations inside the caller's transaction. On SQLite: prepared
 * multi-row statements on the same connection; on PostgreSQL: column arrays through unnest().
 */
async function insertObservations(
	db: Db,
	trx: Executor,
	revisionId: number,
	rows: readonly ObservationInput[],
	seriesIdOf: (index: number) => number
): Promise<void> {
	if (rows.length === 0) return;
	const positionOf = (i: number) => rows[i]!.line || i;
	if (db.dialect === 'sqlite' && db.sqlite) {
		const handle = db.sqlite;
		const statementFor = (count: number) => insertStatement(handle, count);
		const full = statementFor(SQLITE_BATCH);
		const params: unknown[] = new Array(SQLITE_BATCH * OBSERVATION_COLUMNS);
		for (let start = 0; start < rows.length; start += SQLITE_BATCH) {
			const end = Math.min(start + SQLITE_BATCH, rows.length);
			const batch = end - start === SQLITE_BATCH ? params : new Array((end - start) * OBSERVATION_COLUMNS);
			let p = 0;
			for (let i = start; i < end; i++) {
				const r = rows[i]!;
				batch[p++] = revisionId;
				batch[p++] = seriesIdOf(i);
				batch[p++] = r.period;
				batch[p++] = r.year;
				batch[p++] = r.value;
				batch[p++] = attributesText(r.attributes);
				batch[p++] = positionOf(i);
			}
			(batch === params ? full : statementFor(end - start)).run(batch);
		}
		return;
	}
	for (let start = 0; start < rows.length; start += PG_BATCH) {
		const indexes = Array.from({ length: Math.min(PG_BATCH, rows.length - start) }, (_, k) => start + k);
		await sql`insert into observation (revision_id, series_id, period, year, value, attributes, position)
			select ${revisionId}::int, * from unnest(
				${indexes.map(seriesIdOf)}::int[],
				${indexes.map((i) => rows[i]!.period)}::text[],
				${indexes.map((i) => rows[i]!.year)}::int[],
				${indexes.map((i) => rows[i]!.value)}::double precision[],
				${indexes.map((i) => attributesText(rows[i]!.attributes))}::text[],
				${indexes.map(positionOf)}::int[])`.execute(trx);
	}
}

function toSummary(r: Selectable<RevisionTable>): RevisionSummary {
	return {
		id: r.id,
		number: r.number,
		indicatorId: r.indicator_id,
		kind: r.kind,
		author: r.author,
		source: r.source,
		checksum: r.checksum,
		rowCount: r.row_count,
		rowsAdded: r.rows_added,
		rowsRemoved: r.rows_removed,
		rowsChanged: r.rows_changed,
		isSample: r.is_sample === 1,
		note: r.note,
		createdAt: r.created_at
	};
}

export type AfterPublish = (trx: Transaction<Database>, indicatorId: string, rows: readonly ObservationInput[]) => Promise<void>;

/**
 * Makes `rows` the indicator's data as one new revision, in one transaction: either the
 * indicator shows the new data (and whatever `afterPublish` derives from it), or — on any
 * error or a crash — exactly what it showed before.
 */
export async function publishRevision(db: Db, input: NewRevision, afterPublish?: AfterPublish): Promise<RevisionSummary> {
	return db.kysely.transaction().execute((trx) => publishRevisionInTransaction(db, trx, input, afterPublish));
}

/** `publishRevision` inside the caller's transaction, for callers that change more in the same one. */
export async function publishRevisionInTransaction(
	db: Db,
	trx: Transaction<Database>,
	input: NewRevision,
	afterPublish?: AfterPublish
): Promise<RevisionSummary> {
	// On PostgreSQL the indicator's row is locked until the transaction ends, so publishes
	// to one indicator at once number their revisions one after the other (SQLite has one writer).
	const indicator = await trx
		.selectFrom('indicator')
		.select(['id', 'current_revision_id'])
		.where('id', '=', input.indicatorId)
		.$if(db.dialect === 'postgres', (qb) => qb.forUpdate())
		.executeTakeFirst();
	if (!indicator) throw new Error(`Unknown indicator ${input.indicatorId}`);

	const before = indicator.current_revision_id ? await readRevisionObservations(trx, indicator.current_revision_id, input.indicatorId) : [];
	const keys = seriesKeysOf(input.rows);
	const diff = diffObservations(
		before,
		before.map((r) => r.seriesKey),
		input.rows,
		keys
	);

	const last = await trx
		.selectFrom('revision')
		.select((eb) => eb.fn.max('number').as('n'))
		.where('indicator_id', '=', input.indicatorId)
		.executeTakeFirst();
	const number = Number(last?.n ?? 0) + 1;

	const revision = await trx
		.insertInto('revision')
		.values({
			indicator_id: input.indicatorId,
			number,
			kind: input.kind,
			author: input.author,
			source: input.source,
			checksum: input.checksum,
			columns: toJson(input.columns),
			row_count: input.rows.length,
			rows_added: diff.added,
			rows_removed: diff.removed,
			rows_changed: diff.changed,
			is_sample: toFlag(input.isSample),
			note: input.note ?? '',
			created_at: now()
		})
		.returningAll()
		.executeTakeFirstOrThrow();

	const seriesIds = await ensureSeries(trx, input.indicatorId, keys, input.rows);
	await insertObservations(db, trx, revision.id, input.rows, (i) => seriesIds.get(keys[i]!)!);

	await trx
		.updateTable('indicator')
		.set({ current_revision_id: revision.id, is_sample: toFlag(input.isSample), updated_at: now() })
		.where('id', '=', input.indicatorId)
		.execute();

	if (afterPublish) await afterPublish(trx, input.indicatorId, input.rows);
	// Pages rendered from the old data stop being served once this commits.
	await bumpDataVersion(db, trx);
	return toSummary(revision);
}

export async function listRevisions(db: Db, indicatorId: string): Promise<RevisionSummary[]> {
	const rows = await db.kysely
		.selectFrom('revision')
		.selectAll()
		.where('indicator_id', '=', indicatorId)
		.orderBy('number', 'desc')
		.execute();
	return rows.map(toSummary);
}

export async function getRevision(db: Db, indicatorId: string, number: number): Promise<(RevisionSummary & { columns: string[] }) | undefined> {
	const row = await db.kysely
		.selectFrom('revision')
		.selectAll()
		.where('indicator_id', '=', indicatorId)
		.where('number', '=', number)
		.executeTakeFirst();
	return row ? { ...toSummary(row), columns: fromJson<string[]>(row.columns, []) } : undefined;
}

/**
 * Restores the data of an earlier revision by publishing it again as a new revision, so
 * the history stays linear and the restore itself can be undone.
 */
export async function rollbackToRevision(
	db: Db,
	indicatorId: string,
	number: number,
	author: string,
	afterPublish?: AfterPublish
): Promise<RevisionSummary | undefined> {
	const target = await getRevision(db, indicatorId, number);
	if (!target) return undefined;
	const rows = await readRevisionObservations(db.kysely, target.id, indicatorId);
	return publishRevision(
		db,
		{
			indicatorId,
			kind: 'rollback',
			author,
			source: `revision ${number}`,
			checksum: target.checksum,
			columns: target.columns,
			rows,
			isSample: target.isSample,
			note: `Restored the data of revision ${number}.`
		},
		afterPublish
	);
}
