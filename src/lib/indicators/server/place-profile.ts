import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { dataDecimals } from '../number-format.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { GEOCODE_COLUMN } from '../columns.ts';
import { buildSparkline, type Sparkline } from '../sparkline.ts';
import { mapSlice, selectView } from '../view.ts';
import { regionGeographies } from './indicator-page.ts';
import { readCurrentObservations } from './store.ts';

export interface PlaceIndicator {
	id: string;
	name: string;
	unit: string;
	direction: 'positive' | 'negative' | null;
	isSample: boolean;
	/** The place's latest value. */
	latest: { period: string; year: number; value: number };
	/** The region's (headline) value for the same period, if it has one. */
	region: { period: string; value: number } | null;
	/** The other places' lowest and highest values for the same period, with their names. */
	/** Decimals every value of this indicator is shown with. */
	decimals: number;
	others: { count: number; low: { code: string; name: string; value: number }; high: { code: string; name: string; value: number } } | null;
	/** The place's trend (two points or more). */
	sparkline: Sparkline | null;
	/** The indicator page showing this place: `GeoCode=<code>`. */
	query: string;
}

export interface PlaceProfile {
	code: string;
	name: string;
	kind: string;
	/** Areas in the site's order, each with the indicators that have data for this place. */
	areas: Array<{ id: string | null; name: string; indicators: PlaceIndicator[] }>;
	/** The region's other places, for links. */
	otherPlaces: Array<{ code: string; name: string }>;
	/** How many indicators have data for this place. */
	count: number;
}

/**
 * Everything the profile of one place shows: for every indicator with data for its GeoCode,
 * the place's latest value, the region's for the same period and the range of the other
 * places; grouped by area. Undefined when the region has no place with this code.
 */
export async function loadPlaceProfile(db: Db, code: string, locale: string, otherAreaName: string): Promise<PlaceProfile | undefined> {
	const places = await regionGeographies(db, locale);
	const place = places.find((p) => p.code === code);
	if (!place) return undefined;
	const names = Object.fromEntries(places.map((p) => [p.code, p.name]));

	const [areas, indicators] = await Promise.all([
		db.kysely.selectFrom('area').select(['id', 'name', 'translations']).orderBy('position').orderBy('id').execute(),
		db.kysely
			.selectFrom('indicator as i')
			.innerJoin('revision as r', 'r.id', 'i.current_revision_id')
			.select(['i.id', 'i.area_id', 'i.name', 'i.unit', 'i.direction', 'i.is_sample', 'i.translations', 'r.columns'])
			.orderBy('i.position')
			.orderBy('i.id')
			.execute()
	]);

	const byArea = new Map<string | null, PlaceIndicator[]>();
	for (const row of indicators) {
		const columns = fromJson<string[]>(row.columns, []);
		if (!columns.includes(GEOCODE_COLUMN)) continue;
		const observations = await readCurrentObservations(db.kysely, row.id);
		const view = selectView(observations, columns, { [GEOCODE_COLUMN]: code });
		if (view.selection[GEOCODE_COLUMN] !== code) continue;
		const series = view.observations.filter((o): o is typeof o & { value: number } => o.value !== null).sort((a, b) => a.year - b.year || a.period.localeCompare(b.period));
		const latest = series.at(-1);
		if (!latest) continue;
		const regionView = selectView(observations, columns, { ...view.selection, [GEOCODE_COLUMN]: '' });
		const regionValue = regionView.selection[GEOCODE_COLUMN] === '' ? regionView.observations.find((o) => o.period === latest.period && o.value !== null) : undefined;
		const slice = mapSlice(observations, columns, view.selection, latest.period);
		const others = slice && slice.period === latest.period
			? slice.rows
					.filter((r) => r.dims[GEOCODE_COLUMN] !== code && r.value !== null)
					.map((r) => ({ code: r.dims[GEOCODE_COLUMN]!, name: names[r.dims[GEOCODE_COLUMN]!] ?? r.dims[GEOCODE_COLUMN]!, value: r.value! }))
			: [];
		const sorted = [...others].sort((a, b) => a.value - b.value);
		const t = fromJson<Translations>(row.translations, {});
		const item: PlaceIndicator = {
			id: row.id,
			name: localized(row.name, t, locale, 'name'),
			unit: localized(row.unit, t, locale, 'unit'),
			direction: row.direction === 'positive' || row.direction === 'negative' ? row.direction : null,
			isSample: fromFlag(row.is_sample),
			latest: { period: latest.period, year: latest.year, value: latest.value },
			region: regionValue && regionValue.value !== null ? { period: regionValue.period, value: regionValue.value } : null,
			others: sorted.length ? { count: sorted.length, low: sorted[0]!, high: sorted.at(-1)! } : null,
			sparkline: buildSparkline(series.map((o) => ({ year: o.year, value: o.value }))),
			// One rounding rule: the decimals the data itself is written with, as on the indicator page.
			decimals: dataDecimals([...series.map((o) => o.value), regionValue?.value, ...others.map((o) => o.value)]),
			query: new URLSearchParams(view.selection).toString()
		};
		const list = byArea.get(row.area_id) ?? [];
		list.push(item);
		byArea.set(row.area_id, list);
	}

	const grouped: PlaceProfile['areas'] = [];
	for (const a of areas) {
		const list = byArea.get(a.id);
		if (list?.length) grouped.push({ id: a.id, name: localized(a.name, fromJson<Translations>(a.translations, {}), locale, 'name'), indicators: list });
	}
	const unassigned = [...byArea].filter(([id]) => id === null || !areas.some((a) => a.id === id)).flatMap(([, list]) => list);
	if (unassigned.length) grouped.push({ id: null, name: otherAreaName, indicators: unassigned });

	return {
		code,
		name: place.name,
		kind: place.kind,
		areas: grouped,
		otherPlaces: places.filter((p) => p.code !== code && p.kind === place.kind).map((p) => ({ code: p.code, name: p.name })),
		count: grouped.reduce((n, a) => n + a.indicators.length, 0)
	};
}
