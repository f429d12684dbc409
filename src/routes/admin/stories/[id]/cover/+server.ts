import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { storyCoverImage } from '#lib/stories/server/queries.ts';
import { coverResponse } from '#lib/stories/server/cover-response.ts';

/** Any story's cover image, for the back office (drafts included); never kept by shared caches. */
export const GET: RequestHandler = async (event) => {
	requirePermission(event, 'stories.write', { type: 'story', id: event.params.id });
	const cover = await storyCoverImage(await getDb(), event.params.id);
	if (!cover) error(404, 'Not found');
	return coverResponse(cover, event.request, event.url, 'private');
};
