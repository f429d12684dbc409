import type { RequestHandler } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, parseQuery, preflight } from '#lib/api/http.ts';
import { OrganizationsQuery, OrganizationsResponse } from '#lib/api/directory-schemas.ts';
import { freshnessNow, organizationsApi } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, locals }) => {
	const query = parseQuery(url, OrganizationsQuery);
	const freshness = freshnessNow(getRegion().settings.directoryVerificationMonths);
	const body = await organizationsApi(await getDb(), query, url, locals.locale, freshness, linksFor(url.origin));
	return jsonResponse(request, OrganizationsResponse, body, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
