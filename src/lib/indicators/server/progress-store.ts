import type { Kysely, Transaction } from 'kysely';
import type { Database } from '#lib/server/db/schema.ts';
import { fromJson, now, toJson } from '#lib/server/db/values.ts';
import {
	computeIndicatorProgress,
	projectTo2050,
	type CellValue,
	type Direction,
	type Projection,
	type SeriesComponent,
	type IndicatorProgress,
	type IndicatorProgressConfig,
	type ProgressEnvironment,
	type ProgressOptions,
	type TidyRow
} from '../progress.ts';
import { readProgressEnvironment } from './repository-settings.ts';
import { readObservationsOfRevisions, readRevisionObservations, type ObservationInput } from './store.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A series component with its 2050 projection (a projection, never data). */
export interface StoredSeriesComponent extends SeriesComponent {
	projection: Projection | null;
}

export interface StoredIndicatorProgress extends Omit<IndicatorProgress, 'series'> {
	series: StoredSeriesComponent[];
}

/** What the indicator row keeps in `progress_config`. */
export interface StoredProgressConfig {
	/** 'opensdg': imported, follows the repository's own switches; 'region': created in Sac2050. */
	origin?: 'region' | 'opensdg';
	auto_progress_calculation?: boolean;
	progress_status?: string;
	progress_calculation_options?: ProgressOptions[];
}

export const REGION_BASE_YEAR = 2015;

/** Observations as the Open SDG rows the progress measure reads. */
export function toProgressRows(observations: readonly ObservationInput[]): TidyRow[] {
	// The same as { ...o.dims, ...o.attributes, Year, Value }, several times faster on large imports.
	return observations.map((o) => {
		const row: Record<string, CellValue> = Object.assign({}, o.dims);
		for (const name in o.attributes) row[name] = o.attributes[name]!;
		row.Year = o.period;
		row.Value = o.value;
		return row as TidyRow;
	});
}

/**
 * The calculation settings for one indicator. Imported indicators keep their repository's
 * switches exactly; indicators created in Sac2050 are on by default with their direction
 * and adopted headline target (due in the target's year, 2050 for the region's own).
 */
export function progressConfigFor(
	stored: StoredProgressConfig,
	direction: Direction | null,
	headlineTarget: { value: number; year: number } | undefined
): IndicatorProgressConfig {
	const base: IndicatorProgressConfig = direction ? { direction } : {};
	if (stored.origin === 'opensdg') {
		return {
			...base,
			auto_progress_calculation: stored.auto_progress_calculation === true,
			...(stored.progress_status !== undefined ? { progress_status: stored.progress_status } : {}),
			...(stored.progress_calculation_options ? { progress_calculation_options: stored.progress_calculation_options } : {})
		};
	}
	if (stored.progress_calculation_options?.length || stored.auto_progress_calculation === false) {
		return { ...base, ...stored } as IndicatorProgressConfig;
	}
	if (!direction) return { ...base, auto_progress_calculation: false };
	const options: ProgressOptions = { direction, base_year: REGION_BASE_YEAR };
	if (headlineTarget) {
		options.target = headlineTarget.value;
		options.target_year = headlineTarget.year;
	}
	return { ...base, auto_progress_calculation: true, progress_calculation_options: [options] };
}

/**
 * Region indicators keep county rows beside the region-wide rows; the headline measure
 * reads the region-wide ones (blank GeoCode) when there are any.
 */
function headlineRowsForRegion(rows: TidyRow[]): TidyRow[] {
	const regionWide = rows.filter((r) => r.GeoCode === undefined || r.GeoCode === '');
	return regionWide.length ? regionWide : rows;
}

/** The indicator's newest headline target, if it has one. */
export async function readHeadlineTarget(db: Executor, indicatorId: string): Promise<{ value: number; year: number } | undefined> {
	const target = await db
		.selectFrom('target')
		.select(['value', 'year'])
		.where('indicator_id', '=', indicatorId)
		.where('series_key', 'in', ['', '{}'])
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	return target ? { value: Number(target.value), year: target.year } : undefined;
}

/** What the progress measure needs from the indicator's row and its current revision. */
interface ProgressInputs {
	direction: Direction | null;
	progressConfig: string | null;
	columns: string[] | undefined;
	target: { value: number; year: number } | undefined;
}

/** The stored result for one indicator's rows: the measure and each series' 2050 projection. */
function progressOf(inputs: ProgressInputs, observations: readonly ObservationInput[], env: ProgressEnvironment): StoredIndicatorProgress {
	const stored = fromJson<StoredProgressConfig>(inputs.progressConfig, {});
	const rows = toProgressRows(observations);
	const config = progressConfigFor(stored, inputs.direction, inputs.target);
	const input = stored.origin === 'opensdg' ? rows : headlineRowsForRegion(rows);
	const computed: IndicatorProgress = rows.length
		? // The repository's column settings and translations apply to its own indicators only.
			computeIndicatorProgress(input, config, inputs.columns?.length ? inputs.columns : undefined, stored.origin === 'opensdg' ? env : {})
		: { status: config.progress_status ?? '', score: null, label: 'not_reported', series: [] };
	// The base case: each series' current trend carried to 2050, stored beside its result.
	return { ...computed, series: computed.series.map((s) => ({ ...s, projection: projectTo2050(s) })) };
}

function progressRow(indicatorId: string, result: StoredIndicatorProgress) {
	return {
		indicator_id: indicatorId,
		status: result.status || 'not_available',
		score: result.score,
		label: result.label,
		result: toJson(result),
		computed_at: now()
	};
}

async function storeProgressRows(db: Executor, rows: ReturnType<typeof progressRow>[]): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insertInto('progress')
		.values(rows)
		.onConflict((oc) =>
			oc.column('indicator_id').doUpdateSet((eb) => ({
				status: eb.ref('excluded.status'),
				score: eb.ref('excluded.score'),
				label: eb.ref('excluded.label'),
				result: eb.ref('excluded.result'),
				computed_at: eb.ref('excluded.computed_at')
			}))
		)
		.execute();
}

function indicatorProgressQuery(db: Executor) {
	return db
		.selectFrom('indicator as i')
		.leftJoin('revision as r', 'r.id', 'i.current_revision_id')
		.select(['i.id', 'i.direction', 'i.progress_config', 'i.current_revision_id', 'r.columns']);
}

/**
 * Recomputes and stores one indicator's progress from its current data (or `observations`),
 * with the repository settings in `env` (read from the database when not given).
 */
export async function recomputeProgress(
	db: Executor,
	indicatorId: string,
	observations?: readonly ObservationInput[],
	env?: ProgressEnvironment
): Promise<StoredIndicatorProgress> {
	const indicator = await indicatorProgressQuery(db).where('i.id', '=', indicatorId).executeTakeFirstOrThrow();
	const environment = env ?? (indicator.progress_config.includes('"opensdg"') ? await readProgressEnvironment(db) : {});
	const result = progressOf(
		{
			direction: indicator.direction,
			progressConfig: indicator.progress_config,
			columns: indicator.columns ? fromJson<string[]>(indicator.columns, []) : undefined,
			target: await readHeadlineTarget(db, indicatorId)
		},
		observations ??
			(indicator.current_revision_id ? await readRevisionObservations(db, indicator.current_revision_id, indicatorId) : []),
		environment
	);
	await storeProgressRows(db, [progressRow(indicatorId, result)]);
	return result;
}

/** Indicators recomputed per round of queries in `recomputeProgressOfIndicators`. */
const PROGRESS_BATCH = 100;

/**
 * Recomputes and stores the progress of many indicators with a few queries per hundred
 * (one round trip each for indicators, targets, observations and results), the way the
 * command line recomputes a whole region. Returns the results by indicator id.
 */
export async function recomputeProgressOfIndicators(db: Executor, indicatorIds: readonly string[]): Promise<Map<string, StoredIndicatorProgress>> {
	const results = new Map<string, StoredIndicatorProgress>();
	const env = indicatorIds.length > 0 ? await readProgressEnvironment(db) : {};
	for (let i = 0; i < indicatorIds.length; i += PROGRESS_BATCH) {
		const ids = indicatorIds.slice(i, i + PROGRESS_BATCH);
		const indicators = await indicatorProgressQuery(db).where('i.id', 'in', ids).execute();
		const targets = new Map<string, { value: number; year: number }>();
		const targetRows = await db
			.selectFrom('target')
			.select(['indicator_id', 'value', 'year'])
			.where('indicator_id', 'in', ids)
			.where('series_key', 'in', ['', '{}'])
			.orderBy('created_at', 'desc')
			.orderBy('id', 'desc')
			.execute();
		// Newest first: the first row per indicator is its headline target, as in readHeadlineTarget.
		for (const t of targetRows) if (!targets.has(t.indicator_id)) targets.set(t.indicator_id, { value: Number(t.value), year: t.year });
		const withData = indicators.filter((r) => r.current_revision_id !== null);
		const observations = await readObservationsOfRevisions(
			db,
			withData.map((r) => ({ revisionId: r.current_revision_id!, indicatorId: r.id }))
		);
		const rows = indicators.map((indicator) => {
			const result = progressOf(
				{
					direction: indicator.direction,
					progressConfig: indicator.progress_config,
					columns: indicator.columns ? fromJson<string[]>(indicator.columns, []) : undefined,
					target: targets.get(indicator.id)
				},
				indicator.current_revision_id ? (observations.get(indicator.current_revision_id) ?? []) : [],
				env
			);
			results.set(indicator.id, result);
			return progressRow(indicator.id, result);
		});
		await storeProgressRows(db, rows);
	}
	return results;
}

export async function readProgress(db: Executor, indicatorId: string): Promise<StoredIndicatorProgress | undefined> {
	const row = await db.selectFrom('progress').select('result').where('indicator_id', '=', indicatorId).executeTakeFirst();
	return row ? fromJson<StoredIndicatorProgress>(row.result, { status: '', score: null, label: 'not_reported', series: [] }) : undefined;
}
