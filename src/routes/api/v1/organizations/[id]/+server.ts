import type { RequestHandler } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, notFound, preflight } from '#lib/api/http.ts';
import { OrganizationResponse } from '#lib/api/directory-schemas.ts';
import { freshnessNow, organizationApi } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

/** Ids may hold `.`, `:` and `/` (360Giving identifiers): a `/` comes URL-encoded as %2F. */
export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const freshness = freshnessNow(getRegion().settings.directoryVerificationMonths);
	const body = await organizationApi(await getDb(), params.id, locals.locale, freshness, linksFor(url.origin));
	if (!body) throw notFound(`There is no organization "${params.id}": see /api/v1/organizations for the organizations (encode a / in an id as %2F).`);
	return jsonResponse(request, OrganizationResponse, body, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
