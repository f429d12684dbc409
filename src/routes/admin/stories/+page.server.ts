import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { listAllStories } from '#lib/stories/server/queries.ts';
import { publicationState } from '#lib/stories/model.ts';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'stories.write');
	const stories = await listAllStories(await getDb(), event.locals.locale);
	const now = new Date();
	return {
		stories: stories.map((s) => ({
			id: s.id,
			title: s.title,
			state: publicationState({ status: s.status, publishAt: s.publishAt }, now),
			date: s.date,
			updatedAt: s.updatedAt,
			isSample: s.isSample
		})),
		crumbs: [{ label: m.admin_nav_stories(), href: '/admin/stories' }]
	};
};
