import { cookieName, type Locale } from '#lib/paraglide/runtime.js';
import { getRegion } from '#lib/server/context.ts';
import { chooseLocale } from '../languages.ts';
import { splitLocalePath } from '../paths.ts';

/** The languages this region offers, in its region pack's order. */
export function enabledLocales(): readonly Locale[] {
	return getRegion().settings.languages as Locale[];
}

export function defaultLocale(): Locale {
	return getRegion().settings.defaultLanguage as Locale;
}

function cookieValue(header: string | null, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const at = part.indexOf('=');
		if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
	}
	return undefined;
}

/**
 * The language of the response to a request: the address's language prefix, else the
 * remembered choice, else Accept-Language, else the region's default (see chooseLocale).
 * `pathLocale` is set only when the address names an enabled language.
 */
export function requestLocale(url: URL, headers: { get(name: string): string | null }): { locale: Locale; pathLocale: Locale | undefined } {
	const enabled = enabledLocales();
	const pathLocale = splitLocalePath(url.pathname, enabled)?.locale;
	const locale = chooseLocale(
		{ path: pathLocale, cookie: cookieValue(headers.get('cookie'), cookieName), acceptLanguage: headers.get('accept-language') },
		enabled,
		defaultLocale()
	);
	return { locale, pathLocale };
}
