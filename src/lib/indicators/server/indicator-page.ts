import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { GEOCODE_COLUMN } from '../columns.ts';
import { compareView, mapSlice, type DimensionChoice, type ViewNotice } from '../view.ts';
import { chartSettings, type ChartSettings } from '../chart-settings.ts';
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
	/** The map: one period's values by place (every place of the region, `null` where it has no data), and the periods to choose from. */
	map: { period: string; periods: string[]; values: MapValue[] } | undefined;
	/** Names of the places among the view's choices and on the map, by GeoCode (the region's geographies). */
	placeNames: Record<string, string>;
	/** The selection as a query string (every dimension named, and the comparison), for links that reproduce the view. */
	query: string;
	/** The same view as API filters (a compared dimension with each of its values), for data downloads. */
	dataQuery: string;
	/** The series compared on the chart, when the view compares a dimension's values. */
	comparison: PageComparison | undefined;
	/** How the indicator's metadata asks for its chart to be drawn. */
	chartSettings: ChartSettings;
}

export interface PageComparison {
	dimension: string;
	/** Every value the dimension offers ('' = the headline). */
	choices: string[];
	series: Array<{ value: string; observations: StoredObservation[] }>;
	/** Requested values left out beyond the six a chart shows. */
	omitted: string[];
}

/** The query parameter that names the dimension compared on the chart. */
export const COMPARE_PARAMETER = 'compare';
/** The query parameter that chooses the map's period. */
export const MAP_YEAR_PARAMETER = 'map_year';

/** The region's places (counties, cities…) with their names in the page's language. */
export async function regionGeographies(db: Db, locale: string): Promise<Array<{ code: string; name: string; kind: string }>> {
	const rows = await db.kysely.selectFrom('geography').select(['code', 'name', 'kind', 'translations']).orderBy('position').orderBy('code').execute();
	return rows.map((r) => ({ code: r.code, name: localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name'), kind: r.kind }));
}

/**
 * Reads a page request's dimension choices: only parameters named like a dimension count.
 * No prototype: a parameter may be named `toString` or `__proto__`.
 */
export function requestedDimensions(params: URLSearchParams): Record<string, string> {
	const request: Record<string, string> = Object.create(null);
	for (const [name, value] of params) if (!Object.hasOwn(request, name)) request[name] = value;
	return request;
}

export function selectionQuery(selection: Record<string, string>): string {
	return new URLSearchParams(Object.entries(selection)).toString();
}

/** `Units=…&Gender=Female&Gender=Male&compare=Gender`: the view with its compared values. */
function viewQuery(selection: Record<string, string>, comparison: { dimension: string; series: Array<{ value: string }> }): string {
	const query = new URLSearchParams();
	for (const [name, value] of Object.entries(selection)) {
		if (name === comparison.dimension) for (const s of comparison.series) query.append(name, s.value);
		else query.append(name, value);
	}
	query.append(COMPARE_PARAMETER, comparison.dimension);
	return query.toString();
}

function dataFilterQuery(selection: Record<string, string>, comparison: { dimension: string; series: Array<{ value: string }> }): string {
	const query = new URLSearchParams(viewQuery(selection, comparison));
	query.delete(COMPARE_PARAMETER);
	return query.toString();
}

/** Everything the indicator page, its embed and its chart images show, for one view. */
export async function loadIndicatorPage(db: Db, id: string, locale: string, params: URLSearchParams): Promise<IndicatorPageData | undefined> {
	const detail = await getIndicator(db, id, locale);
	if (!detail) return undefined;
	const { observations, ...indicator } = detail;
	const compareName = params.get(COMPARE_PARAMETER) ?? '';
	const { view, comparison } = compareView(observations, detail.columns, requestedDimensions(params), {
		dimension: compareName,
		values: compareName ? params.getAll(compareName) : []
	});
	const metadataRow = await db.kysely.selectFrom('indicator').select('metadata').where('id', '=', id).executeTakeFirst();
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
	const slice = mapSlice(observations, detail.columns, view.selection, params.get(MAP_YEAR_PARAMETER) ?? undefined);
	const codes = new Set([
		...(view.dimensions.find((d) => d.name === GEOCODE_COLUMN)?.values ?? []),
		...(view.selection[GEOCODE_COLUMN] ? [view.selection[GEOCODE_COLUMN]] : []),
		...(comparison?.dimension === GEOCODE_COLUMN ? comparison.choices.filter(Boolean) : []),
		...(slice?.rows.map((r) => r.dims[GEOCODE_COLUMN]!) ?? [])
	]);
	const placeNames: Record<string, string> = {};
	const geographies = codes.size ? await regionGeographies(db, locale) : [];
	for (const g of geographies) placeNames[g.code] = g.name;
	if (slice) {
		const values: MapValue[] = slice.rows.map((r) => ({ code: r.dims[GEOCODE_COLUMN]!, name: placeNames[r.dims[GEOCODE_COLUMN]!] ?? r.dims[GEOCODE_COLUMN]!, value: r.value }));
		// The region's other places of the same kind are drawn too, as "no data".
		const kinds = new Set(geographies.filter((g) => values.some((v) => v.code === g.code)).map((g) => g.kind));
		for (const g of geographies) if (kinds.has(g.kind) && !values.some((v) => v.code === g.code)) values.push({ code: g.code, name: g.name, value: null });
		map = { period: slice.period, periods: slice.periods, values };
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
		query: comparison ? viewQuery(view.selection, comparison) : selectionQuery(view.selection),
		dataQuery: comparison ? dataFilterQuery(view.selection, comparison) : selectionQuery(view.selection),
		comparison: comparison
			? {
					dimension: comparison.dimension,
					choices: comparison.choices,
					series: comparison.series.map((s) => ({
						value: s.value,
						observations: [...s.observations].sort((a, b) => a.year - b.year || a.period.localeCompare(b.period))
					})),
					omitted: comparison.omitted
				}
			: undefined,
		chartSettings: chartSettings(metadataRow?.metadata ?? '{}', indicator.graphType)
	};
}
