import type { PageServerLoad } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { listAreaOverviews } from '#lib/indicators/server/catalog.ts';
import { dashboardArea, parseStatusFilter, summarize } from '#lib/indicators/dashboard.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const baseYear = getRegion().settings.baseYear;
	const filter = parseStatusFilter(url.searchParams.get('status'));
	const { areas, unassigned } = await listAreaOverviews(await getDb(), locals.locale, baseYear);
	const all = [...areas.flatMap((a) => a.indicators), ...unassigned];
	return {
		filter,
		baseYear,
		summary: summarize(all),
		areas: areas.map((a) => ({ id: a.id, name: a.name, question: a.question, ...dashboardArea(a.indicators, filter) })),
		// Indicators that belong to no area are shown all the same, as "Other indicators".
		other: unassigned.length ? dashboardArea(unassigned, filter) : null
	};
};
