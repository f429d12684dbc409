/**
 * The language in the address: `/es/indicators/unemployment` is the Spanish page of
 * `/indicators/unemployment`. Public pages have a language prefix; the back office, the API,
 * embeds, the language switch and files (anything whose last segment has a dot) do not.
 * An address without a prefix is answered in the visitor's preferred language.
 */

const WITHOUT_LANGUAGE = ['/api', '/admin', '/language', '/embed', '/_app'];

/** Whether `path` (a same-site path, no query) is a page that can carry a language prefix. */
export function isLocalizablePath(path: string): boolean {
	if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return false;
	if (WITHOUT_LANGUAGE.some((prefix) => path === prefix || path.startsWith(prefix + '/'))) return false;
	const last = path.slice(path.lastIndexOf('/') + 1);
	return !last.includes('.');
}

/** `/es/areas/jobs` → `{ locale: 'es', path: '/areas/jobs' }`; undefined when the path has no language prefix. */
export function splitLocalePath<L extends string>(pathname: string, locales: readonly L[]): { locale: L; path: string } | undefined {
	const match = /^\/([^/]+)(\/.*)?$/.exec(pathname);
	if (!match) return undefined;
	const locale = locales.find((code) => code === match[1]);
	if (!locale) return undefined;
	const path = match[2] ?? '/';
	return isLocalizablePath(path) ? { locale, path } : undefined;
}

/**
 * `href` (a same-site path with optional query and fragment) in `locale`: its language prefix
 * replaced or added. Anything that is not a localizable page is returned unchanged.
 */
export function localizePath(href: string, locale: string, locales: readonly string[]): string {
	const cut = href.search(/[?#]/);
	const pathname = cut === -1 ? href : href.slice(0, cut);
	const rest = cut === -1 ? '' : href.slice(cut);
	const bare = splitLocalePath(pathname, locales)?.path ?? pathname;
	if (!isLocalizablePath(bare)) return href;
	return `/${locale}${bare === '/' ? '' : bare}${rest}`;
}

/** The path without its language prefix (the route's own path). */
export function delocalizePath(pathname: string, locales: readonly string[]): string {
	return splitLocalePath(pathname, locales)?.path ?? pathname;
}

const LINK_ATTRIBUTE = /(<[a-z][^>]*?\s(?:href|action)=")(\/[^"/][^"]*|\/)"/gi;

/**
 * Every same-site page link and form address in a rendered HTML page, in `locale`: a page
 * read at a language's address keeps that language from link to link, whichever component
 * wrote the link. Links that already name a language are left alone.
 */
export function localizeLinks(html: string, locale: string, locales: readonly string[]): string {
	return html.replace(LINK_ATTRIBUTE, (whole, start: string, href: string) => {
		// A link that names its language already (another language's page) stays as written.
		if (splitLocalePath(href.split(/[?#]/, 1)[0] ?? href, locales)) return whole;
		const localized = localizePath(href, locale, locales);
		return localized === href ? whole : `${start}${localized}"`;
	});
}
