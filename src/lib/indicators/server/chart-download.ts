import { error } from '@sveltejs/kit';
import { getDb } from '#lib/server/context.ts';
import { chartPng, chartSvgDocument } from './chart-image.ts';
import { loadIndicatorPage } from './indicator-page.ts';
import { indicatorChart } from './indicator-visuals.ts';

/** The chart of the view the query string names, as an SVG or PNG file to download. */
export async function chartDownload(id: string, locale: string, params: URLSearchParams, format: 'svg' | 'png'): Promise<Response> {
	const page = await loadIndicatorPage(await getDb(), id, locale, params);
	if (!page) error(404, 'Not found');
	const svg = chartSvgDocument(indicatorChart(page, locale));
	const headers = {
		'Content-Disposition': `inline; filename="${id}-chart.${format}"`,
		'Cache-Control': 'public, max-age=300',
		'Content-Language': locale
	};
	if (format === 'svg') return new Response(svg, { headers: { ...headers, 'Content-Type': 'image/svg+xml; charset=utf-8' } });
	return new Response(new Uint8Array(chartPng(svg)), { headers: { ...headers, 'Content-Type': 'image/png' } });
}
