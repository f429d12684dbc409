import type { RequestHandler } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { ApiError, apiGet, jsonResponse, methodNotAllowed, preflight } from '#lib/api/http.ts';
import { InvolvedResponse } from '#lib/api/directory-schemas.ts';
import { freshnessNow, involvedApi } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const freshness = freshnessNow(getRegion().settings.directoryVerificationMonths);
	const body = await involvedApi(await getDb(), params.id, locals.locale, freshness, linksFor(url.origin));
	if (!body) throw new ApiError(404, 'not_found', `There is no indicator "${params.id}": see /api/v1/indicators for the indicators.`, { parameter: 'id' });
	return jsonResponse(request, InvolvedResponse, body, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
