import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, csvResponse, methodNotAllowed, notFound, preflight, dataFilters } from '#lib/api/http.ts';
import { DataQuery } from '#lib/api/schemas.ts';
import { dataCsv, readIndicatorData } from '#lib/api/server/indicators.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params }) => {
	const filters = dataFilters(url, DataQuery);
	const data = await readIndicatorData(await getDb(), params.id, filters);
	if (!data) throw notFound(`There is no indicator "${params.id}": see /api/v1/indicators for the indicators.`);
	const { csv, filename } = dataCsv(data);
	return csvResponse(request, csv, filename);
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
