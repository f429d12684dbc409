import type { RequestHandler } from './$types';
import { apiGet, cachedResponse, methodNotAllowed, preflight } from '#lib/api/http.ts';
import { buildOpenApiDocument } from '#lib/api/openapi.ts';

export const GET: RequestHandler = apiGet(async ({ request, url }) =>
	cachedResponse(request, JSON.stringify(buildOpenApiDocument(url.origin)), 'application/json; charset=utf-8')
);

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
