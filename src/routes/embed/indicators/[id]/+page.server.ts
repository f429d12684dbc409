import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { loadIndicatorPage } from '#lib/indicators/server/indicator-page.ts';
import { indicatorChartDrawings, viewDescription } from '#lib/indicators/server/indicator-visuals.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const page = await loadIndicatorPage(await getDb(), params.id, locals.locale, url.searchParams);
	if (!page) error(404, 'Not found');
	const hasData = page.observations.length > 0 || (page.comparison?.series.some((s) => s.observations.length > 0) ?? false);
	return {
		indicator: { id: page.indicator.id, name: page.indicator.name, isSample: page.indicator.isSample, sourceName: page.indicator.sourceName },
		shown: page.isHeadline && !page.comparison ? '' : viewDescription(page),
		query: page.query,
		updatedAt: page.indicator.revision?.createdAt ?? null,
		chart: hasData ? indicatorChartDrawings(page, locals.locale, 'embed').drawings : null
	};
};
