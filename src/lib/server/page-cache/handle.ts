/**
 * The rendered-page cache: an anonymous GET of a page is answered from memory when this
 * server has rendered the same address, in the same language, for the current data version.
 *
 * Two ways in, one store:
 * - `pageCacheHandle`, the first Kit handle: it works out the language itself (Paraglide's
 *   own rule) so that a hit skips the i18n, security-header, CSRF and session handles; the
 *   page it keeps carries the headers those handles gave it when it was rendered.
 * - the front door (front-door.ts), which `sac2050 serve` asks before the app sees the
 *   request at all: the same lookup on Node's raw request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import type { Handle } from '@sveltejs/kit/hooks';
import { dev } from '$app/env';
import { enabledLocales, requestLocale } from '#lib/i18n/server/request-locale.ts';
import type { Locale } from '#lib/paraglide/runtime.js';
import { delocalizePath, localizeLinks } from '#lib/i18n/paths.ts';
import { etagOf, matchesIfNoneMatch } from '#lib/api/http.ts';
import { getDb } from '../context.ts';
import { publicOrigin } from '../auth/auth.ts';
import { csrfToken } from '../auth/csrf.ts';
import { can } from '../auth/permissions.ts';
import { hasSessionCookie, readSession } from '../auth/users.ts';
import { watchDataVersion, type DataVersionWatcher } from './data-version.ts';
import { openFrontDoor } from './front-door.ts';
import { PageStore, type CachedPage } from './page-store.ts';
import { accountNavHtml } from './personal.ts';
import type { AccountNavProps } from '#lib/accounts/account-nav.ts';
import {
	CACHE_STATUS_HEADER,
	MAX_KEY_LENGTH,
	PAGE_VARY,
	PRIVATE_CACHE_CONTROL,
	hasSiteCookie,
	isCacheableRequest,
	isCacheableResponse,
	isSharedRoute,
	pageCacheControl,
	pageKey,
	readPageCacheSettings,
	withReadersLinks
} from './rules.ts';

/** A kept page with its hit and 304 headers written out once, flat as Node's writeHead takes them. */
interface StoredPage extends CachedPage {
	hit: string[];
	notModified: string[];
}

interface PageCache {
	store: PageStore<StoredPage>;
	watcher: DataVersionWatcher;
	cacheControl: string;
	/** Renders under way, so that a burst of readers of one page after a publish renders it once. */
	rendering: Map<string, Promise<StoredPage | undefined>>;
}

let cache: Promise<PageCache | undefined> | undefined;
/** The cache once it is set up, for the synchronous front door. */
let ready: PageCache | undefined;

function pageCache(): Promise<PageCache | undefined> {
	cache ??= (async () => {
		const settings = readPageCacheSettings(process.env);
		// In development the code changes under the pages; there is nothing to cache.
		if (dev || settings.maxBytes === 0) return undefined;
		const db = await getDb();
		ready = {
			store: new PageStore<StoredPage>(settings.maxBytes),
			watcher: watchDataVersion(db),
			cacheControl: pageCacheControl(settings.sharedMaxAge),
			rendering: new Map()
		};
		return ready;
	})();
	return cache;
}


const utf8 = new TextDecoder();

/** Where the cache files this address for these headers now, and the page it holds there, if any. */
function lookUp(state: PageCache, version: number, headers: { get(name: string): string | null }, url: URL): { locale: Locale; key: string; page: StoredPage | undefined } {
	state.store.useVersion(version);
	const { locale } = requestLocale(url, headers);
	const key = pageKey(version, locale, url);
	return { locale, key, page: state.store.get(version, key) };
}

function isHtml(response: Response): boolean {
	return response.headers.get('content-type')?.startsWith('text/html') ?? false;
}

/** A page for a visitor with the site's cookies (signed in), or one that sets a cookie, is for that browser alone. */
function keepPrivate(response: Response, personal: boolean): Response {
	if (!isHtml(response) || !(personal || response.headers.has('set-cookie'))) return response;
	// Whatever the route said: a page rendered for one person is stored by nobody else.
	if (personal || !response.headers.has('cache-control')) response.headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	if (personal) response.headers.set(CACHE_STATUS_HEADER, 'bypass');
	return response;
}

function bypass(response: Response, mark: boolean): Response {
	if (mark && isHtml(response)) response.headers.set(CACHE_STATUS_HEADER, 'bypass');
	return keepPrivate(response, false);
}

async function toStoredPage(response: Response, cacheControl: string): Promise<StoredPage> {
	const body = new Uint8Array(await response.arrayBuffer());
	const etag = etagOf(body);
	const shared: Array<[string, string]> = [
		['ETag', etag],
		['Cache-Control', cacheControl],
		['Vary', PAGE_VARY],
		[CACHE_STATUS_HEADER, 'hit']
	];
	const replaced = new Set(['content-length', ...shared.map(([name]) => name.toLowerCase())]);
	const headers: Array<[string, string]> = [];
	response.headers.forEach((value, name) => {
		if (!replaced.has(name)) headers.push([name, value]);
	});
	return {
		status: response.status,
		headers,
		body,
		etag,
		hit: [...headers, ...shared, ['Content-Length', String(body.byteLength)]].flat(),
		notModified: shared.flat()
	};
}

function fromStoredPage(page: StoredPage, request: Request, status: 'hit' | 'miss'): Response {
	const notModified = matchesIfNoneMatch(request.headers.get('if-none-match'), page.etag);
	const headers = new Headers();
	const list = notModified ? page.notModified : page.hit;
	for (let i = 0; i < list.length; i += 2) headers.append(list[i]!, list[i + 1]!);
	if (status === 'miss') headers.set(CACHE_STATUS_HEADER, 'miss');
	if (notModified) return new Response(null, { status: 304, headers });
	return new Response(request.method === 'HEAD' ? null : page.body, { status: page.status, headers });
}

/** Renders the page; keeps it when it may be shared. Undefined when it may not be kept. */
async function render(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve'],
	locale: string,
	cacheControl: string,
	onUncacheable: (response: Response) => void
): Promise<StoredPage | undefined> {
	const response = await resolve(event);
	// A page rendered for a signed-in person is never shared, whatever its cookies said; and
	// a page in another language than the key says (it cannot happen: same rule) is not kept.
	if (event.locals.user || event.locals.locale !== locale || !isCacheableResponse(response.status, response.headers)) {
		onUncacheable(response);
		return undefined;
	}
	return toStoredPage(response, cacheControl);
}

/**
 * A signed-in reader of a page anyone may read: the shared page with their own account
 * links (personal.ts). When the cache does not hold it yet, it is rendered once as an
 * anonymous reader would get it and kept, so that the next reader, signed in or not, gets
 * it from memory too. Undefined when the session is not valid, a cookie must change, or the
 * page cannot be shared: it is then rendered for them as usual.
 */
async function personalPage(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Response | undefined> {
	const state = await pageCache();
	const version = state?.watcher.current();
	if (!state || version === undefined) return undefined;
	const { locale, key, page: cached } = lookUp(state, version, event.request.headers, event.url);
	const fillable = !cached && isSharedRoute(event.route.id) && key.length <= MAX_KEY_LENGTH;
	if (!cached && !fillable) return undefined;
	// Kit adds cookies set through event.cookies only to responses from `resolve`: when the
	// session is refreshed or a CSRF cookie is new, the page is rendered the usual way.
	let cookiesChanged = false;
	const cookies: Cookies = {
		...event.cookies,
		set: (name, value, options) => {
			cookiesChanged = true;
			event.cookies.set(name, value, options);
		},
		delete: (name, options) => {
			cookiesChanged = true;
			event.cookies.delete(name, options);
		}
	};
	const user = await readSession(await getDb(), event.request, cookies);
	// The authentication handle takes it from here instead of reading the session again.
	event.locals.user = user;
	if (!user) return undefined;
	const csrf = csrfToken(cookies, publicOrigin().startsWith('https://'));
	if (cookiesChanged) return undefined;

	// The links as the layout wrote them: at a language's address, in that language (see i18n/paths.ts).
	const { pathLocale } = requestLocale(event.url, event.request.headers);
	const locales = enabledLocales();
	const links = { pathname: delocalizePath(event.url.pathname, locales), locale };
	const navHtml = (props: AccountNavProps) => {
		const html = accountNavHtml(props);
		return pathLocale ? localizeLinks(html, pathLocale, locales) : html;
	};
	const readersLinks = (html: string) =>
		withReadersLinks(html, navHtml({ ...links, user: null, csrf: null }), navHtml({ ...links, user: { canAdmin: can(user, 'admin.view') }, csrf }));

	let page = cached;
	if (!page) {
		// Rendered as nobody: the authentication handle sees a reader who is not signed in.
		event.locals.user = null;
		let uncacheable: Response | undefined;
		page = await renderShared(state, version, key, event, resolve, locale, (response) => (uncacheable = response));
		event.locals.user = user;
		// A page that cannot be shared (a 404, a redirect, a file): it was rendered once and is
		// not rendered again (Kit's response for this request is made); the reader gets it with
		// their own links where it has the anonymous ones, and it is theirs alone.
		if (!page) return uncacheable ? await yoursAlone(uncacheable, readersLinks) : undefined;
	}
	const body = readersLinks(utf8.decode(page.body));
	if (body === undefined) return undefined;
	const headers = new Headers(page.headers);
	headers.set('Cache-Control', PRIVATE_CACHE_CONTROL);
	headers.set('Vary', PAGE_VARY);
	headers.set(CACHE_STATUS_HEADER, cached ? 'personal' : 'personal-miss');
	return new Response(event.request.method === 'HEAD' ? null : body, { status: page.status, headers });
}

/** A response rendered as nobody that may not be shared, given to the signed-in reader alone. */
async function yoursAlone(response: Response, readersLinks: (html: string) => string | undefined): Promise<Response> {
	if (!isHtml(response) || response.body === null) return keepPrivate(response, true);
	const html = await response.text();
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	const body = readersLinks(html) ?? html;
	return keepPrivate(new Response(body, { status: response.status, statusText: response.statusText, headers }), true);
}

/**
 * Renders the page for the cache and keeps it, once however many readers ask for it at the
 * same time; undefined when the page may not be shared (`onUncacheable` gets the response).
 */
async function renderShared(
	state: PageCache,
	version: number,
	key: string,
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve'],
	locale: string,
	onUncacheable: (response: Response) => void = () => {}
): Promise<StoredPage | undefined> {
	const pending = state.rendering.get(key);
	if (pending) return pending.catch(() => undefined);
	const rendering = render(event, resolve, locale, state.cacheControl, onUncacheable);
	state.rendering.set(key, rendering);
	try {
		const page = await rendering;
		if (page) state.store.put(version, key, page);
		return page;
	} finally {
		state.rendering.delete(key);
	}
}

export const pageCacheHandle: Handle = async ({ event, resolve }) => {
	const cookie = event.request.headers.get('cookie');
	const request = { method: event.request.method, pathname: event.url.pathname, cookie, isDataRequest: event.isDataRequest, isSubRequest: event.isSubRequest };
	if (!isCacheableRequest(request)) {
		// A page the cache could hold, asked for by someone signed in.
		const sharedPage = hasSessionCookie(event.cookies) && isCacheableRequest({ ...request, cookie: null });
		const personal = sharedPage ? await personalPage(event, resolve) : undefined;
		return personal ?? keepPrivate(await resolve(event), hasSiteCookie(cookie));
	}

	const state = await pageCache();
	const version = state?.watcher.current();
	if (!state || version === undefined) return bypass(await resolve(event), state !== undefined);

	const { locale, key, page: cached } = lookUp(state, version, event.request.headers, event.url);
	if (cached) return fromStoredPage(cached, event.request, 'hit');
	// An address longer than any the site links to is rendered, not kept.
	if (key.length > MAX_KEY_LENGTH) return bypass(await resolve(event), true);

	const wasPending = state.rendering.has(key);
	let uncacheable: Response | undefined;
	const page = await renderShared(state, version, key, event, resolve, locale, (response) => (uncacheable = response));
	if (page) return fromStoredPage(page, event.request, wasPending ? 'hit' : 'miss');
	// Another reader's render that could not be kept: this one is rendered for this reader.
	return keepPrivate(uncacheable ?? (await resolve(event)), false);
};

/** Node's request headers, read the way a Request's are (repeated headers joined). */
function nodeHeaders(req: IncomingMessage): { get(name: string): string | null } {
	return {
		get(name) {
			const value = req.headers[name.toLowerCase()];
			return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
		}
	};
}

/** The same lookup as the handle, on Node's raw request: hits only, anything else goes on to the app. */
function answerFromMemory(req: IncomingMessage, res: ServerResponse, origin: string): boolean {
	const state = ready;
	const method = req.method;
	const target = req.url;
	if (!state || (method !== 'GET' && method !== 'HEAD') || !target?.startsWith('/')) return false;
	const cookie = req.headers.cookie ?? null;
	if (hasSiteCookie(cookie)) return false;
	const version = state.watcher.current();
	if (version === undefined) return false;
	let url: URL;
	try {
		url = new URL(target, origin);
	} catch {
		return false;
	}
	// Kit's data requests (…/__data.json) keep their suffix here, so they never match a page's key.
	if (!isCacheableRequest({ method, pathname: url.pathname, cookie, isDataRequest: false, isSubRequest: false })) return false;
	const headers = nodeHeaders(req);
	const { page } = lookUp(state, version, headers, url);
	if (!page) return false;
	if (matchesIfNoneMatch(headers.get('if-none-match'), page.etag)) {
		res.writeHead(304, page.notModified);
		res.end();
	} else {
		res.writeHead(page.status, page.hit);
		res.end(method === 'HEAD' ? undefined : page.body);
	}
	return true;
}

openFrontDoor(answerFromMemory);
