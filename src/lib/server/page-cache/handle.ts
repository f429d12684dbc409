/**
 * The rendered-page cache as a Kit handle: an anonymous GET of a page is answered from
 * memory when this server has rendered the same address, in the same language, for the
 * current data version. It runs after the language is resolved (the key needs it) and
 * inside the security-headers handle, so cached answers get the same headers as fresh ones.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Handle } from '@sveltejs/kit/hooks';
import { dev } from '$app/env';
import { etagOf, matchesIfNoneMatch } from '#lib/api/http.ts';
import { getDb } from '../context.ts';
import { watchDataVersion, type DataVersionWatcher } from './data-version.ts';
import { PageStore, type CachedPage } from './page-store.ts';
import {
	CACHE_STATUS_HEADER,
	PAGE_VARY,
	PRIVATE_CACHE_CONTROL,
	hasSiteCookie,
	isCacheableRequest,
	isCacheableResponse,
	pageCacheControl,
	pageKey,
	readPageCacheSettings
} from './rules.ts';

interface PageCache {
	store: PageStore;
	watcher: DataVersionWatcher;
	cacheControl: string;
	/** Renders under way, so that a burst of readers of one page after a publish renders it once. */
	rendering: Map<string, Promise<CachedPage | undefined>>;
}

let cache: Promise<PageCache | undefined> | undefined;

function pageCache(): Promise<PageCache | undefined> {
	cache ??= (async () => {
		const settings = readPageCacheSettings(process.env);
		// In development the code changes under the pages; there is nothing to cache.
		if (dev || settings.maxBytes === 0) return undefined;
		const db = await getDb();
		return {
			store: new PageStore(settings.maxBytes),
			watcher: watchDataVersion(db),
			cacheControl: pageCacheControl(settings.sharedMaxAge),
			rendering: new Map()
		};
	})();
	return cache;
}

function isHtml(response: Response): boolean {
	return response.headers.get('content-type')?.startsWith('text/html') ?? false;
}

/** A page for a visitor with the site's cookies (signed in), or one that sets a cookie, is for that browser alone. */
function keepPrivate(response: Response, personal: boolean): Response {
	if (!isHtml(response) || !(personal || response.headers.has('set-cookie'))) return response;
	if (!response.headers.has('cache-control')) response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	if (personal) response.headers.set(CACHE_STATUS_HEADER, 'bypass');
	return response;
}

function bypass(response: Response, mark: boolean): Response {
	if (mark && isHtml(response)) response.headers.set(CACHE_STATUS_HEADER, 'bypass');
	return keepPrivate(response, false);
}

async function toCachedPage(response: Response): Promise<CachedPage> {
	const body = new Uint8Array(await response.arrayBuffer());
	const headers: Array<[string, string]> = [];
	response.headers.forEach((value, name) => {
		if (name !== 'content-length') headers.push([name, value]);
	});
	return { status: response.status, headers, body, etag: etagOf(body) };
}

function fromCachedPage(page: CachedPage, request: Request, cacheControl: string, status: 'hit' | 'miss'): Response {
	const shared = { ETag: page.etag, 'Cache-Control': cacheControl, Vary: PAGE_VARY, [CACHE_STATUS_HEADER]: status };
	if (matchesIfNoneMatch(request.headers.get('if-none-match'), page.etag)) return new Response(null, { status: 304, headers: shared });
	const headers = new Headers(page.headers);
	for (const [name, value] of Object.entries(shared)) headers.set(name, value);
	headers.set('Content-Length', String(page.body.byteLength));
	return new Response(request.method === 'HEAD' ? null : page.body, { status: page.status, headers });
}

/** Renders the page; keeps it when it may be shared. Undefined when it may not be kept. */
async function render(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve'],
	onUncacheable: (response: Response) => void
): Promise<CachedPage | undefined> {
	const response = await resolve(event);
	// A page rendered for a signed-in person is never shared, whatever its cookies said.
	if (event.locals.user || !isCacheableResponse(response.status, response.headers)) {
		onUncacheable(response);
		return undefined;
	}
	return toCachedPage(response);
}

export const pageCacheHandle: Handle = async ({ event, resolve }) => {
	const cookie = event.request.headers.get('cookie');
	const eligible = isCacheableRequest({
		method: event.request.method,
		pathname: event.url.pathname,
		cookie,
		isDataRequest: event.isDataRequest,
		isSubRequest: event.isSubRequest
	});
	if (!eligible) return keepPrivate(await resolve(event), hasSiteCookie(cookie));

	const state = await pageCache();
	const version = state?.watcher.current();
	if (!state || version === undefined) return bypass(await resolve(event), state !== undefined);

	state.store.useVersion(version);
	const key = pageKey(version, event.locals.locale, event.url);
	const cached = state.store.get(version, key);
	if (cached) return fromCachedPage(cached, event.request, state.cacheControl, 'hit');

	const pending = state.rendering.get(key);
	if (pending) {
		const page = await pending.catch(() => undefined);
		if (page) return fromCachedPage(page, event.request, state.cacheControl, 'hit');
		return keepPrivate(await resolve(event), false);
	}

	let uncacheable: Response | undefined;
	const rendering = render(event, resolve, (response) => (uncacheable = response));
	state.rendering.set(key, rendering);
	try {
		const page = await rendering;
		if (!page) return keepPrivate(uncacheable!, false);
		state.store.put(version, key, page);
		return fromCachedPage(page, event.request, state.cacheControl, 'miss');
	} finally {
		state.rendering.delete(key);
	}
};
