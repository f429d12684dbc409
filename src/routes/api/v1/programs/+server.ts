import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, parseQuery, preflight } from '#lib/api/http.ts';
import { ProgramsQuery, ProgramsResponse } from '#lib/api/directory-schemas.ts';
import { programsApi } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url }) => {
	const query = parseQuery(url, ProgramsQuery);
	const body = await programsApi(await getDb(), query, url, linksFor(url.origin));
	return jsonResponse(request, ProgramsResponse, body);
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
