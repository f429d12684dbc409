import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, notFound, preflight } from '#lib/api/http.ts';
import { ProgramResponse } from '#lib/api/directory-schemas.ts';
import { programApi } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const body = await programApi(await getDb(), params.id, locals.locale, linksFor(url.origin));
	if (!body) throw notFound(`There is no program "${params.id}": see /api/v1/programs for the programs (encode a / in an id as %2F).`);
	return jsonResponse(request, ProgramResponse, body, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
