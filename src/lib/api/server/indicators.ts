/** One indicator and its data for the open data API, from the catalog, store and progress store. */
import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { getIndicator } from '#lib/indicators/server/catalog.ts';
import { listRevisions, type StoredObservation } from '#lib/indicators/server/store.ts';
import { readProgress, type StoredSeriesComponent } from '#lib/indicators/server/progress-store.ts';
import { toTidyRows } from '#lib/indicators/server/import-rows.ts';
import { columnsForRows, serializeIndicatorCsv } from '#lib/indicators/opensdg/data-csv.ts';
import { dimensionNames, selectView } from '#lib/indicators/view.ts';
import { badParameter } from '../http.ts';
import { SAMPLE_DATA_NOTICE, type DataResponse, type IndicatorResponse } from '../schemas.ts';
import type { Links } from './links.ts';

type Dimension = IndicatorResponse['dimensions'][number];
type Target = IndicatorResponse['targets'][number];
type SeriesProgress = IndicatorResponse['progress']['series'][number];

/**
 * The dimensions of the data in the order a visitor chooses them, each with every value it
 * takes, whether it has blank (headline) rows, and the value the site shows first.
 */
export function describeDimensions(columns: readonly string[], observations: readonly StoredObservation[]): Dimension[] {
	const names = dimensionNames(columns, observations);
	const shownFirst = selectView(observations, columns, {}).selection;
	return names.map((name) => {
		const values = new Set<string>();
		let hasBlank = false;
		for (const o of observations) {
			const value = dimValue(o.dims, name);
			if (value === '') hasBlank = true;
			else values.add(value);
		}
		return { name, values: [...values], has_blank: hasBlank, default_value: shownFirst[name] ?? '' };
	});
}

async function readTargets(db: Db, indicatorId: string): Promise<Target[]> {
	const rows = await db.kysely
		.selectFrom('target')
		.select(['series_key', 'value', 'year', 'source', 'note', 'is_sample'])
		.where('indicator_id', '=', indicatorId)
		.orderBy('year')
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map((t) => ({
		value: Number(t.value),
		year: t.year,
		source: t.source,
		note: t.note,
		is_sample: fromFlag(t.is_sample),
		series: t.series_key === '' ? {} : fromJson<Record<string, string>>(t.series_key, {})
	}));
}

function toSeriesProgress(s: StoredSeriesComponent): SeriesProgress {
	const series: SeriesProgress = {
		tag: s.tag ?? null,
		base_year: s.base_year,
		base_value: s.base_value,
		current_year: s.current_year,
		current_value: s.current_value,
		target: s.target,
		target_year: s.target_year,
		direction: s.direction,
		limit: s.limit,
		progress_value: s.progress_value,
		score: s.score,
		status: s.status,
		target_achieved: s.target_achieved,
		projection: s.projection ? { year: s.projection.year, value: s.projection.value, meets_target: s.projection.meets_target } : null
	};
	if (s.error) series.error = s.error;
	return series;
}

/** The indicator's metadata, dimensions, targets and progress; undefined for an unknown id. */
export async function getIndicatorDetail(db: Db, id: string, locale: string, links: Links): Promise<IndicatorResponse | undefined> {
	const indicator = await getIndicator(db, id, locale);
	if (!indicator) return undefined;
	const [revisions, progress, targets] = await Promise.all([listRevisions(db, id), readProgress(db.kysely, id), readTargets(db, id)]);
	return {
		id: indicator.id,
		name: indicator.name,
		description: indicator.description,
		unit: indicator.unit,
		direction: indicator.direction,
		is_sample: indicator.isSample,
		...(indicator.isSample ? { notice: SAMPLE_DATA_NOTICE } : {}),
		source: { name: indicator.sourceName, url: indicator.sourceUrl },
		graph_type: indicator.graphType,
		reporting_status: indicator.reportingStatus,
		...(indicator.reportingStatusLabel !== null ? { reporting_status_label: indicator.reportingStatusLabel } : {}),
		...(indicator.statusLabel !== null ? { status_label: indicator.statusLabel } : {}),
		non_statistical: indicator.nonStatistical,
		metadata: indicator.metadata,
		area: indicator.area ? { ...indicator.area, url: links.areaPage(indicator.area.id), api_url: links.areaApi(indicator.area.id) } : null,
		last_updated: revisions[0]?.createdAt ?? null,
		url: links.indicatorPage(id),
		api_url: links.indicatorApi(id),
		links: { data_json: links.indicatorData(id, 'json'), data_csv: links.indicatorData(id, 'csv') },
		dimensions: describeDimensions(indicator.columns, indicator.observations),
		targets,
		progress: {
			status: indicator.status,
			score: indicator.score,
			label: indicator.label,
			series: (progress?.series ?? []).map(toSeriesProgress)
		}
	};
}

/** The value of dimension `name` ('' when blank); only the row's own values count, never an object built-in. */
function dimValue(dims: Readonly<Record<string, string>>, name: string): string {
	return Object.hasOwn(dims, name) ? (dims[name] ?? '') : '';
}

function quoteList(values: readonly string[]): string {
	return values.map((v) => `"${v}"`).join(', ');
}

/**
 * The observations matching every filter (a dimension with any of its listed values; ''
 * for the blank rows). An unknown dimension or value is a 400 naming the parameter and
 * listing what it accepts.
 */
export function filterObservations(
	indicatorId: string,
	columns: readonly string[],
	observations: readonly StoredObservation[],
	filters: Readonly<Record<string, readonly string[]>>
): StoredObservation[] {
	const dimensions = describeDimensions(columns, observations);
	const names = dimensions.map((d) => d.name);
	const checks: { name: string; accepted: Set<string> }[] = [];
	for (const [name, requested] of Object.entries(filters)) {
		const dimension = dimensions.find((d) => d.name === name);
		if (!dimension) {
			const sameButCase = names.find((n) => n.toLowerCase() === name.toLowerCase());
			const message = names.length
				? `"${name}" is not a dimension of indicator ${indicatorId}${sameButCase ? ` (names are case-sensitive: did you mean "${sameButCase}"?)` : ''}. Filter by one of: ${quoteList(names)}.`
				: `Indicator ${indicatorId} has no dimensions to filter by: leave out "${name}".`;
			throw badParameter(name, message, 'unknown_dimension', names);
		}
		const allowed = dimension.has_blank ? [...dimension.values, ''] : dimension.values;
		for (const value of requested) {
			if (allowed.includes(value)) continue;
			const blank = dimension.has_blank ? `, or nothing (?${name}=) for the blank (headline) rows` : '';
			const what = value === '' ? `${name} has no blank rows in indicator ${indicatorId}` : `"${value}" is not a value of ${name} in indicator ${indicatorId}`;
			throw badParameter(name, `${what}. Use one of: ${quoteList(dimension.values)}${blank}.`, 'unknown_value', allowed);
		}
		checks.push({ name, accepted: new Set(requested) });
	}
	if (!checks.length) return [...observations];
	return observations.filter((o) => checks.every(({ name, accepted }) => accepted.has(dimValue(o.dims, name))));
}

export interface IndicatorData {
	id: string;
	isSample: boolean;
	/** Open SDG column order of the data (Year, …, Value). */
	columns: string[];
	filters: Record<string, string[]>;
	observations: StoredObservation[];
}

/** The indicator's current observations matching `filters`; undefined for an unknown id. */
export async function readIndicatorData(db: Db, id: string, filters: Record<string, string[]>): Promise<IndicatorData | undefined> {
	const indicator = await getIndicator(db, id, 'en');
	if (!indicator) return undefined;
	const observations = filterObservations(id, indicator.columns, indicator.observations, filters);
	const columns = indicator.columns.length ? indicator.columns : columnsForRows(toTidyRows(indicator.observations, []));
	return { id, isSample: indicator.isSample, columns, filters, observations };
}

export function dataJson(data: IndicatorData): DataResponse {
	return {
		indicator: data.id,
		is_sample: data.isSample,
		...(data.isSample ? { notice: SAMPLE_DATA_NOTICE } : {}),
		columns: data.columns,
		filters: data.filters,
		observations: data.observations.map((o) => ({ period: o.period, year: o.year, value: o.value, dims: o.dims, attributes: o.attributes }))
	};
}

/** The data as an Open SDG data CSV, with the file name that says whether it is sample data. */
export function dataCsv(data: IndicatorData): { csv: string; filename: string } {
	return {
		csv: serializeIndicatorCsv(data.columns, toTidyRows(data.observations, data.columns)),
		filename: `${data.id}${data.isSample ? '-sample-data' : ''}.csv`
	};
}
