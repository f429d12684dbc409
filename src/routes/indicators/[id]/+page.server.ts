import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { loadIndicatorPage } from '#lib/indicators/server/indicator-page.ts';
import { indicatorChartDrawings, indicatorMap, regionLocator } from '#lib/indicators/server/indicator-visuals.ts';
import { indicatorPageView } from '#lib/indicators/server/indicator-view-model.ts';
import { involvedSection } from '#lib/directory/server/indicator-involved.ts';
import { storiesForIndicator } from '#lib/stories/server/queries.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const page = await loadIndicatorPage(await getDb(), params.id, locals.locale, url.searchParams);
	if (!page) error(404, 'Not found');
	const chart = indicatorChartDrawings(page, locals.locale, 'trend');
	return {
		page,
		chart: chart.drawings,
		view: indicatorPageView(page, chart.notes),
		map: indicatorMap(page, locals.locale, getRegion().dir),
		locator: page.map ? regionLocator(page.map.values.map((v) => v.code), getRegion().dir) : undefined,
		involved: await involvedSection(await getDb(), page, locals.locale, { today: new Date(), months: getRegion().settings.directoryVerificationMonths }),
		stories: await storiesForIndicator(await getDb(), params.id, locals.locale),
		origin: url.origin
	};
};
