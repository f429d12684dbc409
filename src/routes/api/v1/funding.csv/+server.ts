import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, csvResponse, methodNotAllowed, parseQuery, preflight } from '#lib/api/http.ts';
import { FundingQuery } from '#lib/api/directory-schemas.ts';
import { fundingCsv, readFunding } from '#lib/api/server/directory.ts';

export const GET: RequestHandler = apiGet(async ({ request, url }) => {
	const { csv, filename } = fundingCsv(await readFunding(await getDb(), parseQuery(url, FundingQuery)));
	return csvResponse(request, csv, filename);
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
