import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database, RevisionTable } from '#lib/server/db/schema.ts';
import { fromJson, now, toFlag, toJson } from '#lib/server/db/values.ts';
import { seriesKey, type Dims } from '../series-key.ts';

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

function rowIdentity(key: string, period: string): string {
	return `${key}\u0000${period}`;
}

function rowContent(value: number | null, attributes: Record<string, string>): string {
	return `${value ?? ''}\u0000${toJson(attributes)}`;
}

/** Counts rows added, removed and changed between two sets of observations. */
export function diffObservations(
	before: Array<Pick<StoredObservation, 'seriesKey' | 'period' | 'value' | 'attributes'>>,
	after: Array<Pick<StoredObservation, 'seriesKey' | 'period' | 'value' | 'attributes'>>
): { added: number; removed: number; changed: number } {
	const old = new Map<string, string>();
	for (const r of before) old.set(rowIdentity(r.seriesKey, r.period), rowContent(r.value, r.attributes));
	let added = 0;
	let changed = 0;
	const seen = new Set<string>();
	for (const r of after) {
		const id = rowIdentity(r.seriesKey, r.period);
		seen.add(id);
		const previous = old.get(id);
		if (previous === undefined) added++;
		else if (previous !== rowContent(r.value, r.attributes)) changed++;
	}
	let removed = 0;
	for (const id of old.keys()) if (!seen.has(id)) removed++;
	return { added, removed, changed };
}

/** The observations of one revision, in source order. */
export async function readRevisionObservations(db: Executor, revisionId: number): Promise<StoredObservation[]> {
	const rows = await db
		.selectFrom('observation as o')
		.innerJoin('series as s', 's.id', 'o.series_id')
		.select(['s.key', 's.dims', 'o.period', 'o.year', 'o.value', 'o.attributes', 'o.position'])
		.where('o.revision_id', '=', revisionId)
		.orderBy('o.position')
		.execute();
	return rows.map((r) => ({
		seriesKey: r.key,
		dims: fromJson<Dims>(r.dims, {}),
		period: r.period,
		year: r.year,
		value: r.value === null ? null : Number(r.value),
		attributes: fromJson<Record<string, string>>(r.attributes, {}),
		line: r.position
	}));
}

/** The observations of an indicator's current revision (empty when it has no data). */
export async function readCurrentObservations(db: Executor, indicatorId: string): Promise<StoredObservation[]> {
	const indicator = await db
		.selectFrom('indicator')
		.select('current_revision_id')
		.where('id', '=', indicatorId)
		.executeTakeFirst();
	if (!indicator?.current_revision_id) return [];
	return readRevisionObservations(db, indicator.current_revision_id);
}

async function ensureSeries(trx: Executor, indicatorId: string, rows: ObservationInput[]): Promise<Map<string, number>> {
	const wanted = new Map<string, Dims>();
	for (const r of rows) {
		const key = seriesKey(r.dims);
		if (!wanted.has(key)) wanted.set(key, r.dims);
	}
	const existing = await trx.selectFrom('series').select(['id', 'key']).where('indicator_id', '=', indicatorId).execute();
	const ids = new Map<string, number>(existing.map((s) => [s.key, s.id]));
	for (const [key, dims] of wanted) {
		if (ids.has(key)) continue;
		const inserted = await trx
			.insertInto('series')
			.values({ indicator_id: indicatorId, key, dims: toJson(dims) })
			.returning('id')
			.executeTakeFirstOrThrow();
		ids.set(key, inserted.id);
	}
	return ids;
}

interface ObservationRow {
	revision_id: number;
	series_id: number;
	period: string;
	year: number;
	value: number | null;
	attributes: string | null;
	position: number;
}

const PG_BATCH = 20_000;
const SQLITE_BATCH = 100;

/**
 * Writes observations inside the caller's transaction. On SQLite this uses a prepared
 * multi-row statement on the same connection; on PostgreSQL, arrays through unnest().
 */
async function insertObservations(db: Db, trx: Executor, rows: ObservationRow[]): Promise<void> {
	if (rows.length === 0) return;
	if (db.dialect === 'sqlite' && db.sqlite) {
		const handle = db.sqlite;
		const one = '(?,?,?,?,?,?,?)';
		const full = handle.prepare(
			`insert into observation (revision_id, series_id, period, year, value, attributes, position) values ${Array(SQLITE_BATCH).fill(one).join(',')}`
		);
		let i = 0;
		const params: unknown[] = [];
		for (; i + SQLITE_BATCH <= rows.length; i += SQLITE_BATCH) {
			params.length = 0;
			for (let j = i; j < i + SQLITE_BATCH; j++) {
				const r = rows[j]!;
				params.push(r.revision_id, r.series_id, r.period, r.year, r.value, r.attributes, r.position);
			}
			full.run(params);
		}
		const rest = rows.slice(i);
		if (rest.length) {
			const stmt = handle.prepare(
				`insert into observation (revision_id, series_id, period, year, value, attributes, position) values ${Array(rest.length).fill(one).join(',')}`
			);
			stmt.run(rest.flatMap((r) => [r.revision_id, r.series_id, r.period, r.year, r.value, r.attributes, r.position]));
		}
		return;
	}
	for (let i = 0; i < rows.length; i += PG_BATCH) {
		const batch = rows.slice(i, i + PG_BATCH);
		await sql`insert into observation (revision_id, series_id, period, year, value, attributes, position)
			select * from unnest(
				${batch.map((r) => r.revision_id)}::int[],
				${batch.map((r) => r.series_id)}::int[],
				${batch.map((r) => r.period)}::text[],
				${batch.map((r) => r.year)}::int[],
				${batch.map((r) => r.value)}::double precision[],
				${batch.map((r) => r.attributes)}::text[],
				${batch.map((r) => r.position)}::int[])`.execute(trx);
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

export type AfterPublish = (trx: Transaction<Database>, indicatorId: string, rows: StoredObservation[]) => Promise<void>;

/**
 * Makes `rows` the indicator's data as one new revision, in one transaction: either the
 * indicator shows the new data (and whatever `afterPublish` derives from it), or — on any
 * error or a crash — exactly what it showed before.
 */
export async function publishRevision(db: Db, input: NewRevision, afterPublish?: AfterPublish): Promise<RevisionSummary> {
	return db.kysely.transaction().execute(async (trx) => {
		const indicator = await trx
			.selectFrom('indicator')
			.select(['id', 'current_revision_id'])
			.where('id', '=', input.indicatorId)
			.executeTakeFirst();
		if (!indicator) throw new Error(`Unknown indicator ${input.indicatorId}`);

		const before = indicator.current_revision_id ? await readRevisionObservations(trx, indicator.current_revision_id) : [];
		const after: StoredObservation[] = input.rows.map((r) => ({ ...r, seriesKey: seriesKey(r.dims) }));
		const diff = diffObservations(before, after);

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

		const seriesIds = await ensureSeries(trx, input.indicatorId, input.rows);
		await insertObservations(
			db,
			trx,
			after.map((r, position) => ({
				revision_id: revision.id,
				series_id: seriesIds.get(r.seriesKey)!,
				period: r.period,
				year: r.year,
				value: r.value,
				attributes: Object.keys(r.attributes).length ? toJson(r.attributes) : null,
				position: r.line || position
			}))
		);

		await trx
			.updateTable('indicator')
			.set({ current_revision_id: revision.id, is_sample: toFlag(input.isSample), updated_at: now() })
			.where('id', '=', input.indicatorId)
			.execute();

		if (afterPublish) await afterPublish(trx, input.indicatorId, after);
		return toSummary(revision);
	});
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
	const rows = await readRevisionObservations(db.kysely, target.id);
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
