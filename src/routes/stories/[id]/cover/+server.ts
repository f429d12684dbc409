import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '#lib/server/context.ts';
import { publishedCover } from '#lib/stories/server/queries.ts';
import { coverResponse } from '#lib/stories/server/cover-response.ts';

/** A published story's cover image, from the database (any server of a deployment answers alike). */
export const GET: RequestHandler = async ({ params, request, url }) => {
	const cover = await publishedCover(await getDb(), params.id);
	if (!cover) error(404, 'Not found');
	return coverResponse(cover, request, url, 'public');
};
