import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { getStory } from '#lib/stories/server/queries.ts';
import { storyCharts } from '#lib/stories/server/charts.ts';
import { renderStoryBody } from '#lib/stories/render.ts';
import { isVisible } from '#lib/stories/model.ts';

/** The story as readers will see it, whatever its status. */
export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'stories.write', { type: 'story', id: event.params.id });
	const db = await getDb();
	const story = await getStory(db, event.params.id, event.locals.locale);
	if (!story) error(404, m.admin_not_found());
	return {
		story,
		visible: isVisible({ status: story.status, publishAt: story.publishAt }),
		segments: renderStoryBody(story.body),
		charts: await storyCharts(db, story.id, story.body, event.locals.locale),
		crumbs: [
			{ label: m.admin_nav_stories(), href: '/admin/stories' },
			{ label: story.title, href: `/admin/stories/${story.id}` },
			{ label: m.admin_story_preview_title(), href: `/admin/stories/${story.id}/preview` }
		]
	};
};
