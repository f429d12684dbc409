import { error } from '@sveltejs/kit';
import { locales, type Locale } from '#lib/paraglide/runtime.js';
import { inLocale } from '#lib/i18n/in-locale.ts';
import { getDb } from '#lib/server/context.ts';
import { chartFileHeaders, chartFileLanguage, type ChartFileFormat } from '../chart-files.ts';
import { chartPng, chartSvgDocument } from './chart-image.ts';
import { loadIndicatorPage } from './indicator-page.ts';
import { indicatorChart } from './indicator-visuals.ts';

/**
 * The chart of the view the query string names, as an SVG or PNG file to download, in the
 * language the address names (`lang`), or else the visitor's (`negotiated`).
 */
export async function chartDownload(id: string, negotiated: Locale, params: URLSearchParams, format: ChartFileFormat): Promise<Response> {
	const language = chartFileLanguage(params, negotiated, locales);
	const db = await getDb();
	const page = await inLocale(language.locale, () => loadIndicatorPage(db, id, language.locale, params));
	if (!page) error(404, 'Not found');
	// The labels are Paraglide messages: drawn in the file's language, whatever the visitor's.
	const svg = inLocale(language.locale, () => chartSvgDocument(indicatorChart(page, language.locale)));
	const headers = chartFileHeaders(id, format, language);
	if (format === 'svg') return new Response(svg, { headers });
	return new Response(new Uint8Array(chartPng(svg)), { headers });
}
