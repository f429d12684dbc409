import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag } from '#lib/server/db/values.ts';
import { GEOCODE_COLUMN } from '../columns.ts';
import { mapSlice, selectView, type DimensionChoice, type ViewNotice } from '../view.ts';
import { getIndicator, type IndicatorDetail } from './catalog.ts';
import { readProgress, type StoredIndicatorProgress, type StoredSeriesComponent } from './progress-store.ts';
import type { StoredObservation } from './store.ts';

export interface PageTarget {
	value: number;
	year: number;
	source: string;
	/** 'adopted_plan', 'community_process', or '' when not recorded. */
	origin: string;
	isSample: boolean;
}

export interface MapValue {
	code: string;
	name: string;
	value: number | null;
}

export interface IndicatorPageData {
	indicator: Omit<IndicatorDetail, 'observations'>;
	dimensions: DimensionChoice[];
	selection: Record<string, string>;
	notices: ViewNotice[];
	isHeadline: boolean;
	/** What the page shows: the selected series, by year. */
	observations: StoredObservation[];
	/** The number of observations the indicator has in all. */
	totalObservations: number;
	progress: StoredIndicatorProgress | undefined;
	/** The progress measure's component for the headline series, when the headline is shown. */
	component: StoredSeriesComponent | undefined;
	target: PageTarget | undefined;
	map: { period: string; values: MapValue[] } | undefined;
	/** Names of the places among the view's choices and on the map, by GeoCode (the region's geographies). */
	placeNames: Record<string, string>;
	/** The selection as a query string (every dimension named), for links that reproduce the view. */
	query: string;
}

/**
 * Reads a page request's dimension choices: only parameters named like a dimension count.
 * No prototype: a parameter may be named `toString` or `__proto__`.
 */
export function requestedDimensions(params: URLSearchParams): Record<string, string> {
	const request: Record<string, string> = Object.create(null);
	for (const [name, value] of params) request[name] = value;
	return request;
}

export function selectionQuery(selection: Record<string, string>): string {
	return new URLSearchParams(Object.entries(selection)).toString();
}

/** Everything the indicator page, its embed and its chart images show, for one view. */
export async function loadIndicatorPage(db: Db, id: string, locale: string, params: URLSearchParams): Promise<IndicatorPageData | undefined> {
	const detail = await getIndicator(db, id, locale);
	if (!detail) return undefined;
	const { observations, ...indicator } = detail;
	const view = selectView(observations, detail.columns, requestedDimensions(params));
	const progress = await readProgress(db.kysely, id);
	const component = view.isHeadline ? progress?.series[0] : undefined;

	const targetRow = await db.kysely
		.selectFrom('target')
		.selectAll()
		.where('indicator_id', '=', id)
		.where('series_key', 'in', ['', '{}'])
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	const target = targetRow
		? { value: Number(targetRow.value), year: targetRow.year, source: targetRow.source, origin: targetRow.origin, isSample: fromFlag(targetRow.is_sample) }
		: undefined;

	let map: IndicatorPageData['map'];
	const slice = mapSlice(observations, detail.columns, view.selection);
	const codes = new Set([
		...(view.dimensions.find((d) => d.name === GEOCODE_COLUMN)?.values ?? []),
		...(view.selection[GEOCODE_COLUMN] ? [view.selection[GEOCODE_COLUMN]] : []),
		...(slice?.rows.map((r) => r.dims[GEOCODE_COLUMN]!) ?? [])
	]);
	const placeNames: Record<string, string> = {};
	if (codes.size) {
		const geographies = await db.kysely.selectFrom('geography').select(['code', 'name']).where('code', 'in', [...codes]).execute();
		for (const g of geographies) placeNames[g.code] = g.name;
	}
	if (slice) {
		map = { period: slice.period, values: slice.rows.map((r) => ({ code: r.dims[GEOCODE_COLUMN]!, name: placeNames[r.dims[GEOCODE_COLUMN]!] ?? r.dims[GEOCODE_COLUMN]!, value: r.value })) };
	}

	return {
		indicator,
		dimensions: view.dimensions,
		selection: view.selection,
		notices: view.notices,
		isHeadline: view.isHeadline,
		observations: [...view.observations].sort((a, b) => a.year - b.year || a.period.localeCompare(b.period)),
		totalObservations: observations.length,
		progress,
		component,
		target,
		map,
		placeNames,
		query: selectionQuery(view.selection)
	};
}
