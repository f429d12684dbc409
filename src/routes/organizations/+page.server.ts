import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { listOrganizations, ORGANIZATIONS_PER_PAGE } from '#lib/directory/server/queries.ts';
import { directoryFilterOptions, freshnessNow, geographyNames, namesOf, organizationsQuery, parseOrganizationFilters } from '#lib/directory/server/page-data.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

/**
 * The directory's organizations, filtered by a GET form (kind, area, indicator, service area,
 * words) that works the same with and without JavaScript, and paged. A filter value the
 * directory does not know matches nothing: the page says so (never an error).
 */
export const load: PageServerLoad = async ({ url, locals }) => {
	const db = await getDb();
	const options = await directoryFilterOptions(db, locals.locale);
	const parsed = parseOrganizationFilters(url.searchParams, options);
	const result = parsed.unknown.length
		? { organizations: [], total: 0, page: 1, pages: 1 }
		: await listOrganizations(db, parsed.filters, locals.locale, freshnessNow(), parsed.page);
	const names = await geographyNames(db, locals.locale);
	return {
		options,
		chosen: parsed.chosen,
		unknown: parsed.unknown,
		filtered: parsed.filtered,
		total: result.total,
		page: result.page,
		pages: result.pages,
		perPage: ORGANIZATIONS_PER_PAGE,
		previous: result.page > 1 ? organizationsQuery(parsed.chosen, result.page - 1) : null,
		next: result.page < result.pages ? organizationsQuery(parsed.chosen, result.page + 1) : null,
		organizations: result.organizations.map((o) => ({
			id: o.id,
			name: o.name,
			kind: o.kind,
			mission: o.mission,
			serviceArea: namesOf(o.serviceArea, names),
			indicators: o.indicators.map((i) => ({ id: i.id, name: i.name })),
			programs: o.programs,
			stale: o.stale,
			isSample: o.isSample
		}))
	};
};
