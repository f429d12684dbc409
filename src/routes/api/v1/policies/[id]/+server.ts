import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, notFound, preflight } from '#lib/api/http.ts';
import { PolicyResponse } from '#lib/api/directory-schemas.ts';
import { policyApi } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const body = await policyApi(await getDb(), params.id, locals.locale, linksFor(url.origin));
	if (!body) throw notFound(`There is no policy "${params.id}": see /api/v1/policies for the policies (encode a / in an id as %2F).`);
	return jsonResponse(request, PolicyResponse, body, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
