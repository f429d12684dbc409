import { UserFacingError } from '../errors.ts';

/**
 * Which requests and responses the rendered-page cache may touch, and what it tells browsers
 * and CDNs. Pure functions: the Kit handle (handle.ts) applies them.
 */

/**
 * Every cookie the site sets for a visitor (session, CSRF token) starts with this; a
 * visitor who has any is not served, nor given to others, a shared page.
 */
export const SITE_COOKIE_PREFIX = 'sac2050.';

/** The page differs by language (cookie or Accept-Language) and by sign-in (cookie). */
export const PAGE_VARY = 'Accept-Language, Cookie';

/** Signed-in pages and pages that set cookies: only the visitor's own browser may keep them. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/** Header that tells whether a page came from the cache: `hit`, `miss` or `bypass`. */
export const CACHE_STATUS_HEADER = 'X-Sac2050-Cache';

/** True when the Cookie header holds a cookie named `sac2050.…` (also with a `__Secure-` or `__Host-` prefix). */
export function hasSiteCookie(cookieHeader: string | null | undefined): boolean {
	if (!cookieHeader) return false;
	for (const part of cookieHeader.split(';')) {
		const name = part.trimStart().replace(/^__(Secure|Host)-/, '');
		if (name.startsWith(SITE_COOKIE_PREFIX)) return true;
	}
	return false;
}

export interface RequestFacts {
	method: string;
	pathname: string;
	cookie: string | null;
	/** Kit's client-side navigation data (`__data.json`) and requests made from inside a load. */
	isDataRequest: boolean;
	isSubRequest: boolean;
}

/** Paths that are never pages: the open data API (its own ETag) and the app's assets. */
const NOT_PAGES = ['/api/', '/_app/'];

/** An anonymous GET or HEAD of a page: the only requests answered from the cache. */
export function isCacheableRequest(request: RequestFacts): boolean {
	if (request.method !== 'GET' && request.method !== 'HEAD') return false;
	if (request.isDataRequest || request.isSubRequest) return false;
	if (request.pathname === '/api' || NOT_PAGES.some((prefix) => request.pathname.startsWith(prefix))) return false;
	return !hasSiteCookie(request.cookie);
}

/**
 * Route groups whose pages are about the person reading them (their account, the back
 * office): never rendered as an anonymous reader's page on their behalf.
 */
const PERSONAL_ROUTES = ['/admin', '/(account)'];

/**
 * A matched page route whose anonymous rendering is the page for everyone: what a signed-in
 * reader's miss may render once as nobody and keep for the next reader.
 */
export function isSharedRoute(routeId: string | null): boolean {
	if (routeId === null) return false;
	return !PERSONAL_ROUTES.some((prefix) => routeId === prefix || routeId.startsWith(prefix + '/'));
}

/**
 * The longest cache key kept (in UTF-16 units: version, language, origin, path and query).
 * The site's own links are far shorter; a longer address is rendered and not kept, so
 * made-up queries cannot push the real pages out with a few large keys.
 */
export const MAX_KEY_LENGTH = 2048;

/**
 * A response the cache may keep and give to any anonymous reader of the same address and
 * language: a complete 200 HTML page that sets no cookie, did not ask not to be stored,
 * and whose Content-Security-Policy carries no per-response nonce.
 */
export function isCacheableResponse(status: number, headers: Headers): boolean {
	if (status !== 200) return false;
	if (!headers.get('content-type')?.startsWith('text/html')) return false;
	if (headers.has('set-cookie')) return false;
	const cacheControl = headers.get('cache-control')?.toLowerCase() ?? '';
	if (/\b(private|no-store)\b/.test(cacheControl)) return false;
	for (const name of ['content-security-policy', 'content-security-policy-report-only']) {
		if (headers.get(name)?.includes("'nonce-")) return false;
	}
	return true;
}

/**
 * The cache key: the data version, the language and the address (origin, path and query).
 * The origin is part of it because pages may write absolute links (the embed snippet):
 * without ORIGIN set, a request with a forged Host header must not file its page under
 * the real site's key.
 */
export function pageKey(version: number, locale: string, url: URL): string {
	return `${version}\u0000${locale}\u0000${url.origin}${url.pathname}${url.search}`;
}

/**
 * Cache-Control for cached pages. With no shared lifetime (the default) every cache, a
 * browser or a CDN, may keep the page but must ask again before each use: the answer is a
 * 304 from memory, and a publish is visible on the next request everywhere. A positive
 * `sharedMaxAge` lets a CDN serve the page itself for that many seconds (and keep serving
 * it while it refetches), trading that much delay after a publish for absorbing bursts.
 */
export function pageCacheControl(sharedMaxAge: number): string {
	if (sharedMaxAge > 0) return `public, max-age=0, s-maxage=${sharedMaxAge}, stale-while-revalidate=${sharedMaxAge}`;
	return 'public, max-age=0, must-revalidate';
}

export interface PageCacheSettings {
	/** Memory the cached pages may use; 0 turns the cache off. */
	maxBytes: number;
	/** Seconds a CDN may serve a page without asking (s-maxage); 0 = ask every time. */
	sharedMaxAge: number;
}

/**
 * Reads SAC2050_PAGE_CACHE_MB (MiB of memory for cached pages, default 64, 0 = off) and
 * SAC2050_CDN_MAX_AGE (seconds, default 0).
 */
export function readPageCacheSettings(env: Record<string, string | undefined>): PageCacheSettings {
	const megabytes = numberSetting(env.SAC2050_PAGE_CACHE_MB, 64);
	if (!Number.isFinite(megabytes) || megabytes < 0) {
		throw new UserFacingError(
			`SAC2050_PAGE_CACHE_MB "${env.SAC2050_PAGE_CACHE_MB}" is not a size: use a number of MiB such as 64 (the default), or 0 to turn the page cache off.`
		);
	}
	const sharedMaxAge = numberSetting(env.SAC2050_CDN_MAX_AGE, 0);
	if (!Number.isInteger(sharedMaxAge) || sharedMaxAge < 0) {
		throw new UserFacingError(
			`SAC2050_CDN_MAX_AGE "${env.SAC2050_CDN_MAX_AGE}" is not a number of seconds: use a whole number such as 0 (the default) or 30.`
		);
	}
	return { maxBytes: Math.floor(megabytes * 2 ** 20), sharedMaxAge };
}

function numberSetting(value: string | undefined, fallback: number): number {
	return value === undefined || value.trim() === '' ? fallback : Number(value);
}

/**
 * A shared page with its anonymous account links replaced by the reader's (personal.ts);
 * undefined when the anonymous links are not in it exactly once, and the page must then be
 * rendered for the reader.
 */
export function withReadersLinks(shared: string, anonymousLinks: string, readersLinks: string): string | undefined {
	const at = shared.indexOf(anonymousLinks);
	if (!anonymousLinks || at < 0 || shared.indexOf(anonymousLinks, at + anonymousLinks.length) >= 0) return undefined;
	return shared.slice(0, at) + readersLinks + shared.slice(at + anonymousLinks.length);
}
