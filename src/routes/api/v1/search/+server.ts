import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, parseQuery, preflight } from '#lib/api/http.ts';
import { SearchQuery, SearchResponse } from '#lib/api/schemas.ts';
import { searchApi } from '#lib/api/server/search.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, locals }) => {
	const { q, limit } = parseQuery(url, SearchQuery);
	const body = await searchApi(await getDb(), q, limit, locals.locale, linksFor(url.origin));
	return jsonResponse(request, SearchResponse, body, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
