/** Areas and indicator lists for the open data API, from the catalog queries. */
import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { getArea, listAreasWithIndicators } from '#lib/indicators/server/catalog.ts';
import type { AreaResponse, AreaSummary, IndicatorSummary } from '../schemas.ts';
import type { Links } from './links.ts';

const LABELS = new Set(['improving', 'steady', 'worsening', 'not_reported']);

function asLabel(value: string | null): IndicatorSummary['label'] {
	return value !== null && LABELS.has(value) ? (value as IndicatorSummary['label']) : 'not_reported';
}

/** ISO text as stored; PostgreSQL drivers may hand back a Date for an aggregate. */
function isoOrNull(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	return value instanceof Date ? value.toISOString() : String(value);
}

export async function listAreas(db: Db, locale: string, links: Links): Promise<AreaSummary[]> {
	const areas = await listAreasWithIndicators(db, locale);
	return areas.map((a) => ({
		id: a.id,
		name: a.name,
		question: a.question,
		description: a.description,
		indicator_count: a.indicators.length,
		url: links.areaPage(a.id),
		api_url: links.areaApi(a.id)
	}));
}

/**
 * Every indicator (or one area's) in the site's order, with its progress and when its
 * data last changed — including indicators that belong to no area, such as imported ones.
 */
export async function listIndicators(db: Db, locale: string, links: Links, areaId?: string): Promise<IndicatorSummary[]> {
	const latest = db.kysely
		.selectFrom('revision')
		.select(['indicator_id', (eb) => eb.fn.max('created_at').as('last_updated')])
		.groupBy('indicator_id')
		.as('r');
	let query = db.kysely
		.selectFrom('indicator as i')
		.leftJoin('progress as p', 'p.indicator_id', 'i.id')
		.leftJoin(latest, 'r.indicator_id', 'i.id')
		.select(['i.id', 'i.area_id', 'i.name', 'i.unit', 'i.direction', 'i.is_sample', 'i.translations', 'p.label', 'p.status', 'p.score', 'r.last_updated'])
		.orderBy('i.position')
		.orderBy('i.id');
	if (areaId !== undefined) query = query.where('i.area_id', '=', areaId);
	const rows = await query.execute();
	return rows.map((r) => ({
		id: r.id,
		area_id: r.area_id,
		name: localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name'),
		unit: r.unit,
		direction: r.direction,
		is_sample: fromFlag(r.is_sample),
		status: r.status ?? 'not_available',
		score: r.score === null ? null : Number(r.score),
		label: asLabel(r.label),
		last_updated: isoOrNull(r.last_updated),
		url: links.indicatorPage(r.id),
		api_url: links.indicatorApi(r.id)
	}));
}

export async function getAreaWithIndicators(db: Db, id: string, locale: string, links: Links): Promise<AreaResponse | undefined> {
	const area = await getArea(db, id, locale);
	if (!area) return undefined;
	const indicators = await listIndicators(db, locale, links, id);
	return {
		id: area.id,
		name: area.name,
		question: area.question,
		description: area.description,
		indicator_count: indicators.length,
		url: links.areaPage(area.id),
		api_url: links.areaApi(area.id),
		indicators
	};
}
