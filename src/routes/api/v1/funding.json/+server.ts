import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, parseQuery, preflight } from '#lib/api/http.ts';
import { FundingQuery, FundingResponse } from '#lib/api/directory-schemas.ts';
import { fundingJson, readFunding } from '#lib/api/server/directory.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url }) => {
	const data = await readFunding(await getDb(), parseQuery(url, FundingQuery));
	return jsonResponse(request, FundingResponse, fundingJson(data, linksFor(url.origin)));
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
