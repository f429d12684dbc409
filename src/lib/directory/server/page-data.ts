/**
 * What the directory's public pages need besides the records (queries.ts): the choices of the
 * organizations filter (areas, indicators, the region's geographies) in the reader's language,
 * the names of geography codes, the verification rule as of today, and the reading of the
 * filter form's query string.
 */
import type { Db } from '#lib/server/db/connect.ts';
import { fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { getRegion } from '#lib/server/context.ts';
import { ORGANIZATION_KINDS } from '../model.ts';
import type { Freshness, OrganizationFilters } from './queries.ts';

export interface FilterOptions {
	areas: Array<{ id: string; name: string; indicators: Array<{ id: string; name: string }> }>;
	/** Indicators without an area, offered after the areas' own. */
	otherIndicators: Array<{ id: string; name: string }>;
	geographies: Array<{ code: string; name: string }>;
}

/** The areas with their indicators and the region's geographies, in the site's order and the reader's language. */
export async function directoryFilterOptions(db: Db, locale: string): Promise<FilterOptions> {
	const [areas, indicators, geographies] = await Promise.all([
		db.kysely.selectFrom('area').select(['id', 'name', 'translations']).orderBy('position').orderBy('id').execute(),
		db.kysely.selectFrom('indicator').select(['id', 'name', 'translations', 'area_id']).orderBy('position').orderBy('id').execute(),
		db.kysely.selectFrom('geography').select(['code', 'name', 'translations']).orderBy('position').orderBy('code').execute()
	]);
	const named = indicators.map((i) => ({ id: i.id, areaId: i.area_id, name: localized(i.name, fromJson<Translations>(i.translations, {}), locale, 'name') }));
	const areaIds = new Set(areas.map((a) => a.id));
	return {
		areas: areas.map((a) => ({
			id: a.id,
			name: localized(a.name, fromJson<Translations>(a.translations, {}), locale, 'name'),
			indicators: named.filter((i) => i.areaId === a.id).map(({ id, name }) => ({ id, name }))
		})),
		otherIndicators: named.filter((i) => i.areaId === null || !areaIds.has(i.areaId)).map(({ id, name }) => ({ id, name })),
		geographies: geographies.map((g) => ({ code: g.code, name: localized(g.name, fromJson<Translations>(g.translations, {}), locale, 'name') }))
	};
}

/** Geography code → name in the reader's language, the whole region's code included. */
export async function geographyNames(db: Db, locale: string): Promise<Record<string, string>> {
	const rows = await db.kysely.selectFrom('geography').select(['code', 'name', 'translations']).execute();
	const names: Record<string, string> = Object.create(null);
	const region = getRegion().settings;
	names[region.regionGeocode.code] = localized(region.name, region.translations, locale, 'name');
	for (const r of rows) names[r.code] = localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name');
	return names;
}

/** Codes as names, in the order given; a code the region does not know is shown as it is. */
export function namesOf(codes: readonly string[], names: Record<string, string>): string[] {
	return codes.map((code) => names[code] ?? code);
}

/** The verification rule as of now (COMMUNITY.md §1): the region's period, default 12 months. */
export function freshnessNow(): Freshness {
	return { today: new Date(), months: getRegion().settings.directoryVerificationMonths };
}

/** The longest words filter read; a longer one is cut. */
export const MAX_WORDS_LENGTH = 200;

export interface ParsedOrganizationFilters {
	/** What the form shows as chosen (only known values). */
	chosen: Required<OrganizationFilters>;
	/** The filters to query with. */
	filters: OrganizationFilters;
	/** Parameters whose value the directory does not know: nothing can match them. */
	unknown: Array<'kind' | 'area' | 'indicator' | 'serviceArea'>;
	page: number;
	/** Any filter given (known or not). */
	filtered: boolean;
}

/**
 * The filter form's query string: `kind`, `area`, `indicator`, `serviceArea` (a geography code), `q`
 * and `page`. Empty values mean "any"; a value that is not one of the choices is reported in
 * `unknown`, so the page says nothing matches it instead of ignoring it.
 */
export function parseOrganizationFilters(params: URLSearchParams, options: FilterOptions): ParsedOrganizationFilters {
	const value = (name: string) => (params.get(name) ?? '').trim();
	const kind = value('kind');
	const area = value('area');
	const indicator = value('indicator');
	const serviceArea = value('serviceArea');
	const q = value('q').slice(0, MAX_WORDS_LENGTH);
	const indicatorIds = new Set([...options.areas.flatMap((a) => a.indicators), ...options.otherIndicators].map((i) => i.id));
	const known = {
		kind: !kind || (ORGANIZATION_KINDS as readonly string[]).includes(kind),
		area: !area || options.areas.some((a) => a.id === area),
		indicator: !indicator || indicatorIds.has(indicator),
		serviceArea: !serviceArea || options.geographies.some((g) => g.code === serviceArea)
	};
	const unknown = (Object.keys(known) as Array<keyof typeof known>).filter((k) => !known[k]);
	const chosen = {
		kind: known.kind ? kind : '',
		area: known.area ? area : '',
		indicator: known.indicator ? indicator : '',
		serviceArea: known.serviceArea ? serviceArea : '',
		q
	};
	const filters: OrganizationFilters = {};
	if (chosen.kind) filters.kind = chosen.kind;
	if (chosen.area) filters.area = chosen.area;
	if (chosen.indicator) filters.indicator = chosen.indicator;
	if (chosen.serviceArea) filters.serviceArea = chosen.serviceArea;
	if (q) filters.q = q;
	const pageText = value('page');
	const page = /^\d{1,6}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
	return { chosen, filters, unknown, page, filtered: Boolean(kind || area || indicator || serviceArea || q) };
}

/** The query string of the organizations list for these filters and page (empty filters left out). */
export function organizationsQuery(chosen: Required<OrganizationFilters>, page = 1): string {
	const query = new URLSearchParams();
	if (chosen.kind) query.set('kind', chosen.kind);
	if (chosen.area) query.set('area', chosen.area);
	if (chosen.indicator) query.set('indicator', chosen.indicator);
	if (chosen.serviceArea) query.set('serviceArea', chosen.serviceArea);
	if (chosen.q) query.set('q', chosen.q);
	if (page > 1) query.set('page', String(page));
	const text = query.toString();
	return text ? `?${text}` : '';
}
