import { describe, expect, it } from 'vitest';
import { PageStore, type CachedPage } from '#lib/server/page-cache/page-store.ts';
import {
	hasSiteCookie,
	isCacheableRequest,
	isCacheableResponse,
	isSharedRoute,
	MAX_KEY_LENGTH,
	pageCacheControl,
	pageKey,
	readPageCacheSettings,
	withReadersLinks,
	type RequestFacts
} from '#lib/server/page-cache/rules.ts';

const anonymousGet: RequestFacts = { method: 'GET', pathname: '/indicators/unemployment', cookie: null, isDataRequest: false, isSubRequest: false };

describe('which visitors are anonymous', () => {
	it('treats any sac2050.* cookie as a visitor of their own', () => {
		expect(hasSiteCookie('sac2050.session_token=anything')).toBe(true);
		expect(hasSiteCookie('PARAGLIDE_LOCALE=es; sac2050.session_token=x.y')).toBe(true);
		expect(hasSiteCookie('PARAGLIDE_LOCALE=es;sac2050.csrf=abc')).toBe(true);
		expect(hasSiteCookie('__Secure-sac2050.session_token=x')).toBe(true);
		expect(hasSiteCookie('__Host-sac2050.csrf=x')).toBe(true);
	});

	it('ignores other cookies, including look-alikes', () => {
		expect(hasSiteCookie(null)).toBe(false);
		expect(hasSiteCookie('')).toBe(false);
		expect(hasSiteCookie('PARAGLIDE_LOCALE=es')).toBe(false);
		expect(hasSiteCookie('sac2050=1')).toBe(false);
		expect(hasSiteCookie('xsac2050.session_token=1')).toBe(false);
		expect(hasSiteCookie('theme=sac2050.session_token')).toBe(false);
	});
});

describe('which requests the cache answers', () => {
	it('answers anonymous GET and HEAD of pages, with or without a language cookie', () => {
		expect(isCacheableRequest(anonymousGet)).toBe(true);
		expect(isCacheableRequest({ ...anonymousGet, method: 'HEAD' })).toBe(true);
		expect(isCacheableRequest({ ...anonymousGet, pathname: '/', cookie: 'PARAGLIDE_LOCALE=es' })).toBe(true);
		expect(isCacheableRequest({ ...anonymousGet, pathname: '/apiary' })).toBe(true);
	});

	it('never answers a signed-in visitor', () => {
		expect(isCacheableRequest({ ...anonymousGet, cookie: 'sac2050.session_token=anything' })).toBe(false);
	});

	it('leaves other methods, the API, assets and Kit data requests alone', () => {
		for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) expect(isCacheableRequest({ ...anonymousGet, method })).toBe(false);
		expect(isCacheableRequest({ ...anonymousGet, pathname: '/api' })).toBe(false);
		expect(isCacheableRequest({ ...anonymousGet, pathname: '/api/v1/indicators' })).toBe(false);
		expect(isCacheableRequest({ ...anonymousGet, pathname: '/_app/immutable/entry/start.js' })).toBe(false);
		expect(isCacheableRequest({ ...anonymousGet, isDataRequest: true })).toBe(false);
		expect(isCacheableRequest({ ...anonymousGet, isSubRequest: true })).toBe(false);
	});
});

describe('which responses the cache keeps', () => {
	const html = (extra: Record<string, string> = {}) => new Headers({ 'content-type': 'text/html', ...extra });

	it('keeps a 200 HTML page, also with a hash-based Content-Security-Policy', () => {
		expect(isCacheableResponse(200, html())).toBe(true);
		expect(isCacheableResponse(200, html({ 'content-security-policy': "script-src 'self' 'sha256-abc='" }))).toBe(true);
		expect(isCacheableResponse(200, html({ 'cache-control': 'public, max-age=60' }))).toBe(true);
	});

	it('refuses errors, redirects, other types and pages that set cookies', () => {
		expect(isCacheableResponse(404, html())).toBe(false);
		expect(isCacheableResponse(303, html())).toBe(false);
		expect(isCacheableResponse(200, new Headers({ 'content-type': 'application/json' }))).toBe(false);
		expect(isCacheableResponse(200, new Headers())).toBe(false);
		expect(isCacheableResponse(200, html({ 'set-cookie': 'PARAGLIDE_LOCALE=es; Path=/' }))).toBe(false);
	});

	it('refuses pages that ask not to be shared or carry a per-response nonce', () => {
		expect(isCacheableResponse(200, html({ 'cache-control': 'private, no-store' }))).toBe(false);
		expect(isCacheableResponse(200, html({ 'cache-control': 'no-store' }))).toBe(false);
		expect(isCacheableResponse(200, html({ 'content-security-policy': "script-src 'self' 'nonce-r4nd0m'" }))).toBe(false);
		expect(isCacheableResponse(200, html({ 'content-security-policy-report-only': "script-src 'nonce-r4nd0m'" }))).toBe(false);
	});
});

describe('cache keys', () => {
	const url = (href: string) => new URL(href, 'http://localhost');

	it('differ by data version, language, path and query', () => {
		const base = pageKey(7, 'en', url('/indicators/unemployment?county=06067'));
		expect(pageKey(7, 'en', url('/indicators/unemployment?county=06067'))).toBe(base);
		expect(pageKey(8, 'en', url('/indicators/unemployment?county=06067'))).not.toBe(base);
		expect(pageKey(7, 'es', url('/indicators/unemployment?county=06067'))).not.toBe(base);
		expect(pageKey(7, 'en', url('/indicators/unemployment?county=06061'))).not.toBe(base);
		expect(pageKey(7, 'en', url('/indicators/unemployment'))).not.toBe(base);
		expect(pageKey(7, 'en', url('/indicators/unemployment/?county=06067'))).not.toBe(base);
	});

	it('ignore the fragment, and differ by origin (pages may hold absolute links)', () => {
		expect(pageKey(1, 'en', new URL('http://a.example/x?q=1#top'))).toBe(pageKey(1, 'en', new URL('http://a.example/x?q=1')));
		expect(pageKey(1, 'en', new URL('http://a.example/x?q=1'))).not.toBe(pageKey(1, 'en', new URL('http://b.example/x?q=1')));
		expect(pageKey(1, 'en', new URL('http://a.example/x?q=1'))).not.toBe(pageKey(1, 'en', new URL('https://a.example/x?q=1')));
	});
});

describe('which pages a signed-in reader\'s miss may render as anyone\'s', () => {
	it('takes the public routes', () => {
		for (const id of ['/', '/areas/[slug]', '/indicators/[id]', '/embed/indicators/[id]', '/reporting-status', '/administration']) {
			expect(isSharedRoute(id)).toBe(true);
		}
	});

	it('leaves the back office, the account pages and unmatched addresses alone', () => {
		for (const id of ['/admin', '/admin/indicators/[id]/upload', '/(account)/account', '/(account)/sign-in', null]) {
			expect(isSharedRoute(id)).toBe(false);
		}
	});

	it('bounds the keys it keeps far above the site\'s own addresses', () => {
		const own = pageKey(7, 'es', new URL('https://sac2050.example/indicators/8-5-1?Gender=Female&Age=25-34&GeoCode=06067'));
		expect(own.length).toBeLessThan(MAX_KEY_LENGTH / 10);
	});
});

describe('Cache-Control and settings', () => {
	it('makes every cache revalidate by default, and lets a CDN serve for a while when configured', () => {
		expect(pageCacheControl(0)).toBe('public, max-age=0, must-revalidate');
		expect(pageCacheControl(30)).toBe('public, max-age=0, s-maxage=30, stale-while-revalidate=30');
	});

	it('reads the settings and names a wrong value', () => {
		expect(readPageCacheSettings({})).toEqual({ maxBytes: 64 * 2 ** 20, sharedMaxAge: 0 });
		expect(readPageCacheSettings({ SAC2050_PAGE_CACHE_MB: '0', SAC2050_CDN_MAX_AGE: '15' })).toEqual({ maxBytes: 0, sharedMaxAge: 15 });
		expect(() => readPageCacheSettings({ SAC2050_PAGE_CACHE_MB: 'lots' })).toThrow(/SAC2050_PAGE_CACHE_MB "lots" is not a size/);
		expect(() => readPageCacheSettings({ SAC2050_CDN_MAX_AGE: '1.5' })).toThrow(/SAC2050_CDN_MAX_AGE "1.5" is not a number of seconds/);
		expect(() => readPageCacheSettings({ SAC2050_CDN_MAX_AGE: '-1' })).toThrow(/SAC2050_CDN_MAX_AGE/);
	});
});

describe('the in-memory page store', () => {
	const page = (bytes: number): CachedPage => ({ status: 200, headers: [['content-type', 'text/html']], body: new Uint8Array(bytes), etag: '"x"' });

	it('serves pages of the current version only, and forgets them all when the version changes', () => {
		const store = new PageStore(1 << 20);
		store.useVersion(1);
		store.put(1, 'a', page(10));
		expect(store.get(1, 'a')).toBeDefined();
		expect(store.get(2, 'a')).toBeUndefined();
		store.useVersion(2);
		expect(store.size).toBe(0);
		expect(store.bytes).toBe(0);
		// A render that started under version 1 and ends after the change is not kept.
		store.put(1, 'a', page(10));
		expect(store.size).toBe(0);
	});

	it('drops the least recently used pages beyond its size', () => {
		const store = new PageStore(3 * 2048);
		store.useVersion(1);
		store.put(1, 'a', page(900));
		store.put(1, 'b', page(900));
		store.put(1, 'c', page(900));
		expect(store.size).toBe(3);
		store.get(1, 'a');
		store.put(1, 'd', page(900));
		expect(store.get(1, 'b')).toBeUndefined();
		expect(store.get(1, 'a')).toBeDefined();
		expect(store.get(1, 'd')).toBeDefined();
		expect(store.bytes).toBeLessThanOrEqual(store.maxBytes);
	});

	it('does not keep a page larger than the whole store, and replaces a page in place', () => {
		const store = new PageStore(4096);
		store.useVersion(1);
		store.put(1, 'huge', page(10_000));
		expect(store.size).toBe(0);
		store.put(1, 'a', page(100));
		const before = store.bytes;
		store.put(1, 'a', page(100));
		expect(store.size).toBe(1);
		expect(store.bytes).toBe(before);
	});
});

describe('a shared page with the reader\'s own account links', () => {
	const anonymous = '<li><a href="/sign-in">Sign in</a></li>';
	const readers = '<li><a href="/account">Your account</a></li>';

	it('swaps the anonymous links for the reader\'s and leaves the rest as it was', () => {
		const page = `<header><ul><li>Home</li>${anonymous}<li>Español</li></ul></header><main>Sign in to comment</main>`;
		expect(withReadersLinks(page, anonymous, readers)).toBe(`<header><ul><li>Home</li>${readers}<li>Español</li></ul></header><main>Sign in to comment</main>`);
	});

	it('gives up when the links are missing, empty or there twice, so the page is rendered for the reader', () => {
		expect(withReadersLinks('<main>no header</main>', anonymous, readers)).toBeUndefined();
		expect(withReadersLinks(`${anonymous}<main>${anonymous}</main>`, anonymous, readers)).toBeUndefined();
		expect(withReadersLinks('<main></main>', '', readers)).toBeUndefined();
	});
});
