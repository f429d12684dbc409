import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, notFound, preflight } from '#lib/api/http.ts';
import { IndicatorResponse } from '#lib/api/schemas.ts';
import { getIndicatorDetail } from '#lib/api/server/indicators.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const indicator = await getIndicatorDetail(await getDb(), params.id, locals.locale, linksFor(url.origin));
	if (!indicator) throw notFound(`There is no indicator "${params.id}": see /api/v1/indicators for the indicators.`);
	return jsonResponse(request, IndicatorResponse, indicator, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
