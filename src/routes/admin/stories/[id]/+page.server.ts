import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { getDb } from '#lib/server/context.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';
import { COVER_MAX_BYTES, readCoverForm, readStoryForm } from '#lib/stories/form.ts';
import { publicationState } from '#lib/stories/model.ts';
import { indicatorChoices, resolveStoryForm, storyFormValues } from '#lib/stories/server/admin.ts';
import { getStory } from '#lib/stories/server/queries.ts';
import { publishStory, removeCover, setCover, setCoverAlt, submitStory, unpublishStory, updateStory } from '#lib/stories/server/writes.ts';

/** What the page says after a change (`?saved`, `?published`, …). */
const DONE = ['created', 'saved', 'cover', 'cover_removed', 'submitted', 'published', 'unpublished'] as const;

export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'stories.write', { type: 'story', id: event.params.id });
	const db = await getDb();
	const story = await getStory(db, event.params.id, event.locals.locale);
	if (!story) error(404, m.admin_not_found());
	const tooLarge = event.url.searchParams.get('cover_too_large');
	return {
		story: { id: story.id, title: story.title, status: story.status, publishAt: story.publishAt, publishedAt: story.publishedAt, isSample: story.isSample, cover: story.cover },
		state: publicationState({ status: story.status, publishAt: story.publishAt }),
		...storyFormValues(story),
		indicatorOptions: await indicatorChoices(db, event.locals.locale),
		canPublish: can(user, 'stories.publish', { type: 'story', id: story.id }),
		done: DONE.find((d) => event.url.searchParams.has(d)),
		// The cover gate sent the browser back: the file was over the limit before it was read.
		coverTooLarge: tooLarge !== null && /^\d+$/.test(tooLarge) && Number(tooLarge) > COVER_MAX_BYTES,
		crumbs: [
			{ label: m.admin_nav_stories(), href: '/admin/stories' },
			{ label: story.title, href: `/admin/stories/${story.id}` }
		]
	};
};

function storyAddress(event: RequestEvent, done: (typeof DONE)[number]): string {
	return `/admin/stories/${encodeURIComponent(event.params.id)}?${done}`;
}

async function existing(event: RequestEvent) {
	const story = await getStory(await getDb(), event.params.id, event.locals.locale);
	if (!story) error(404, m.admin_not_found());
	return story;
}

export const actions: Actions = {
	save: async (event) => {
		const user = requirePermission(event, 'stories.write', { type: 'story', id: event.params.id });
		await existing(event);
		const form = readStoryForm(await event.request.formData(), event.params.id);
		if (!form.ok) return fail(400, { form: 'story' as const, values: form.values, indicators: form.indicators, problems: form.problems });
		const db = await getDb();
		const resolved = await resolveStoryForm(db, form.value);
		if (!resolved.ok) return fail(400, { form: 'story' as const, values: form.values, indicators: form.indicators, problems: resolved.problems });
		const failure = await writeFailure(() => updateStory(db, user, resolved.input));
		if (failure) return fail(failure.status, { form: 'story' as const, values: form.values, indicators: form.indicators, problems: {}, message: failure.message });
		redirect(303, storyAddress(event, 'saved'));
	},

	cover: async (event) => {
		const user = requirePermission(event, 'stories.write', { type: 'story', id: event.params.id });
		const story = await existing(event);
		const form = await readCoverForm(await event.request.formData(), story.cover !== null);
		if (!form.ok) return fail(400, { form: 'cover' as const, alt: form.alt, problems: form.problems });
		const db = await getDb();
		const value = form.value;
		const failure = await writeFailure(() => ('bytes' in value ? setCover(db, user, story.id, value) : setCoverAlt(db, user, story.id, value.alt)));
		if (failure) return fail(failure.status, { form: 'cover' as const, alt: form.alt, problems: {}, message: failure.message });
		redirect(303, storyAddress(event, 'cover'));
	},

	removeCover: async (event) => {
		const user = requirePermission(event, 'stories.write', { type: 'story', id: event.params.id });
		await existing(event);
		const db = await getDb();
		const failure = await writeFailure(() => removeCover(db, user, event.params.id));
		if (failure) return fail(failure.status, { form: 'status' as const, message: failure.message });
		redirect(303, storyAddress(event, 'cover_removed'));
	},

	submit: async (event) => {
		const user = requirePermission(event, 'stories.write', { type: 'story', id: event.params.id });
		await existing(event);
		const db = await getDb();
		const failure = await writeFailure(() => submitStory(db, user, event.params.id));
		if (failure) return fail(failure.status, { form: 'status' as const, message: failure.message });
		redirect(303, storyAddress(event, 'submitted'));
	},

	publish: async (event) => {
		const user = requirePermission(event, 'stories.publish', { type: 'story', id: event.params.id });
		await existing(event);
		const db = await getDb();
		const failure = await writeFailure(() => publishStory(db, user, event.params.id));
		if (failure) return fail(failure.status, { form: 'status' as const, message: failure.message });
		redirect(303, storyAddress(event, 'published'));
	},

	unpublish: async (event) => {
		const user = requirePermission(event, 'stories.publish', { type: 'story', id: event.params.id });
		await existing(event);
		const db = await getDb();
		const failure = await writeFailure(() => unpublishStory(db, user, event.params.id));
		if (failure) return fail(failure.status, { form: 'status' as const, message: failure.message });
		redirect(303, storyAddress(event, 'unpublished'));
	}
};
