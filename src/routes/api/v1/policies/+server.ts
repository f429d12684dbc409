import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, parseQuery, preflight } from '#lib/api/http.ts';
import { PoliciesQuery, PoliciesResponse } from '#lib/api/directory-schemas.ts';
import { policiesApi } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url }) => {
	const query = parseQuery(url, PoliciesQuery);
	const body = await policiesApi(await getDb(), query, url, linksFor(url.origin));
	return jsonResponse(request, PoliciesResponse, body);
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
