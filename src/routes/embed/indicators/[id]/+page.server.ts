import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { loadIndicatorPage } from '#lib/indicators/server/indicator-page.ts';
import { indicatorChartMarkup } from '#lib/indicators/server/indicator-visuals.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const page = await loadIndicatorPage(await getDb(), params.id, locals.locale, url.searchParams);
	if (!page) error(404, 'Not found');
	return {
		indicator: { id: page.indicator.id, name: page.indicator.name, isSample: page.indicator.isSample, sourceName: page.indicator.sourceName },
		query: page.query,
		updatedAt: page.indicator.revision?.createdAt ?? null,
		chart: page.observations.length ? indicatorChartMarkup(page, locals.locale, 'embed') : null
	};
};
