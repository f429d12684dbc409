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
	type ProgressOptions,
	type TidyRow
} from '../progress.ts';
import { readCurrentObservations, type ObservationInput } from './store.ts';

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

/** Recomputes and stores one indicator's progress from its current data. */
export async function recomputeProgress(
	db: Executor,
	indicatorId: string,
	observations?: readonly ObservationInput[]
): Promise<StoredIndicatorProgress> {
	const indicator = await db
		.selectFrom('indicator')
		.select(['id', 'direction', 'progress_config', 'current_revision_id'])
		.where('id', '=', indicatorId)
		.executeTakeFirstOrThrow();
	const stored = fromJson<StoredProgressConfig>(indicator.progress_config, {});
	const target = await readHeadlineTarget(db, indicatorId);
	const rows = toProgressRows(observations ?? (await readCurrentObservations(db, indicatorId)));
	const config = progressConfigFor(stored, indicator.direction, target);

	let columns: string[] | undefined;
	if (indicator.current_revision_id) {
		const revision = await db.selectFrom('revision').select('columns').where('id', '=', indicator.current_revision_id).executeTakeFirst();
		columns = revision ? fromJson<string[]>(revision.columns, []) : undefined;
	}
	const input = stored.origin === 'opensdg' ? rows : headlineRowsForRegion(rows);
	const computed: IndicatorProgress = rows.length
		? computeIndicatorProgress(input, config, columns?.length ? columns : undefined)
		: { status: config.progress_status ?? '', score: null, label: 'not_reported', series: [] };
	// The base case: each series' current trend carried to 2050, stored beside its result.
	const result: StoredIndicatorProgress = {
		...computed,
		series: computed.series.map((s) => ({ ...s, projection: projectTo2050(s) }))
	};

	const values = {
		status: result.status || 'not_available',
		score: result.score,
		label: result.label,
		result: toJson(result),
		computed_at: now()
	};
	await db
		.insertInto('progress')
		.values({ indicator_id: indicatorId, ...values })
		.onConflict((oc) => oc.column('indicator_id').doUpdateSet(values))
		.execute();
	return result;
}

export async function readProgress(db: Executor, indicatorId: string): Promise<StoredIndicatorProgress | undefined> {
	const row = await db.selectFrom('progress').select('result').where('indicator_id', '=', indicatorId).executeTakeFirst();
	return row ? fromJson<StoredIndicatorProgress>(row.result, { status: '', score: null, label: 'not_reported', series: [] }) : undefined;
}
