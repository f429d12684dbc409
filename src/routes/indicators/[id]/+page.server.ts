import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { loadIndicatorPage } from '#lib/indicators/server/indicator-page.ts';
import { indicatorChartMarkup, indicatorMap } from '#lib/indicators/server/indicator-visuals.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const page = await loadIndicatorPage(await getDb(), params.id, locals.locale, url.searchParams);
	if (!page) error(404, 'Not found');
	return {
		page,
		chart: indicatorChartMarkup(page, locals.locale, 'trend'),
		map: indicatorMap(page, locals.locale, getRegion().dir),
		origin: url.origin
	};
};
