import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, preflight } from '#lib/api/http.ts';
import { StoriesResponse } from '#lib/api/schemas.ts';
import { storiesApi } from '#lib/api/server/stories.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, locals }) => {
	return jsonResponse(request, StoriesResponse, await storiesApi(await getDb(), locals.locale, linksFor(url.origin)), { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
