/**
 * The chart as files (chart.svg, chart.png): their addresses and response headers. The
 * language is part of the address the indicator page links to, so a browser or a shared
 * cache keeps one file per language under its own URL; an address without it is answered
 * in the visitor's language and says so in `Vary`.
 */

/** The query parameter that names the language a chart file is drawn in. */
export const LANGUAGE_PARAMETER = 'lang';

/** What the chart file's language depends on when the address does not name it (Paraglide: cookie, then Accept-Language). */
export const NEGOTIATED_LANGUAGE_VARY = 'Accept-Language, Cookie';

export const CHART_FILE_CACHE_CONTROL = 'public, max-age=300';

export type ChartFileFormat = 'svg' | 'png';

/** `path?query&lang=es`: the chart file of the view `query` names, in `locale`. */
export function chartFileHref(path: string, query: string, locale: string): string {
	const params = new URLSearchParams(query);
	params.set(LANGUAGE_PARAMETER, locale);
	return `${path}?${params.toString()}`;
}

/**
 * The language to draw a chart file in: the one the address names when it is one of
 * `locales`, otherwise the visitor's (`negotiated`), and whether the address chose it.
 */
export function chartFileLanguage<L extends string>(params: URLSearchParams, negotiated: L, locales: readonly L[]): { locale: L; fromAddress: boolean } {
	const named = params.get(LANGUAGE_PARAMETER);
	const known = locales.find((locale) => locale === named);
	if (known !== undefined) return { locale: known, fromAddress: true };
	return { locale: negotiated, fromAddress: false };
}

/** Headers of a chart file; `Vary` when its language came from the request's headers rather than its address. */
export function chartFileHeaders(id: string, format: ChartFileFormat, language: { locale: string; fromAddress: boolean }): Record<string, string> {
	return {
		'Content-Type': format === 'svg' ? 'image/svg+xml; charset=utf-8' : 'image/png',
		'Content-Disposition': `inline; filename="${id.replace(/["\\\r\n]/g, '_')}-chart.${format}"`,
		'Cache-Control': CHART_FILE_CACHE_CONTROL,
		'Content-Language': language.locale,
		...(language.fromAddress ? {} : { Vary: NEGOTIATED_LANGUAGE_VARY })
	};
}
