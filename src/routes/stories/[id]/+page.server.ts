import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getPublishedStory } from '#lib/stories/server/queries.ts';
import { storyCharts } from '#lib/stories/server/charts.ts';
import { renderStoryBody } from '#lib/stories/render.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

/** A published story whose time has come; anything else (a draft, a story scheduled for later, no story) is not found. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const db = await getDb();
	const story = await getPublishedStory(db, params.id, locals.locale);
	if (!story) error(404, 'Not found');
	return { story, segments: renderStoryBody(story.body), charts: await storyCharts(db, story.id, story.body, locals.locale) };
};
