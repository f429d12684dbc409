import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, notFound, preflight } from '#lib/api/http.ts';
import { AreaResponse } from '#lib/api/schemas.ts';
import { getAreaWithIndicators } from '#lib/api/server/catalog.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const area = await getAreaWithIndicators(await getDb(), params.id, locals.locale, linksFor(url.origin));
	if (!area) throw notFound(`There is no area "${params.id}": see /api/v1/areas for the areas.`);
	return jsonResponse(request, AreaResponse, area, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
