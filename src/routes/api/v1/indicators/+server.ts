import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, preflight } from '#lib/api/http.ts';
import { IndicatorsResponse } from '#lib/api/schemas.ts';
import { listIndicators } from '#lib/api/server/catalog.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, locals }) => {
	const indicators = await listIndicators(await getDb(), locals.locale, linksFor(url.origin));
	return jsonResponse(request, IndicatorsResponse, { indicators }, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
