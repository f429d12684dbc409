import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, preflight } from '#lib/api/http.ts';
import { AreasResponse } from '#lib/api/schemas.ts';
import { listAreas } from '#lib/api/server/catalog.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, locals }) => {
	const areas = await listAreas(await getDb(), locals.locale, linksFor(url.origin));
	return jsonResponse(request, AreasResponse, { areas }, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
