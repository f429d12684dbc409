import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { apiGet, jsonResponse, methodNotAllowed, notFound, preflight } from '#lib/api/http.ts';
import { StoryResponse } from '#lib/api/schemas.ts';
import { storyApi } from '#lib/api/server/stories.ts';
import { linksFor } from '#lib/api/server/links.ts';

export const GET: RequestHandler = apiGet(async ({ request, url, params, locals }) => {
	const story = await storyApi(await getDb(), params.id, locals.locale, linksFor(url.origin));
	if (!story) throw notFound(`There is no published story "${params.id}": see /api/v1/stories for the stories.`);
	return jsonResponse(request, StoryResponse, story, { localized: true });
});

export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = methodNotAllowed;
