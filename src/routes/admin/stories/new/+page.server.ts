import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';
import { readStoryForm } from '#lib/stories/form.ts';
import { slugify } from '#lib/stories/model.ts';
import { indicatorChoices, resolveStoryForm } from '#lib/stories/server/admin.ts';
import { createStory, StoryIdTakenError } from '#lib/stories/server/writes.ts';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'stories.write');
	return {
		indicators: await indicatorChoices(await getDb(), event.locals.locale),
		crumbs: [
			{ label: m.admin_nav_stories(), href: '/admin/stories' },
			{ label: m.admin_stories_new(), href: '/admin/stories/new' }
		]
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePermission(event, 'stories.write');
		const data = await event.request.formData();
		// A blank address is made from the title.
		if (!String(data.get('id') ?? '').trim()) data.set('id', slugify(String(data.get('title') ?? '')));
		const form = readStoryForm(data);
		if (!form.ok) return fail(400, { values: form.values, indicators: form.indicators, problems: form.problems });
		const db = await getDb();
		const resolved = await resolveStoryForm(db, form.value);
		if (!resolved.ok) return fail(400, { values: form.values, indicators: form.indicators, problems: resolved.problems });
		try {
			const failure = await writeFailure(() => createStory(db, user, resolved.input));
			if (failure) return fail(failure.status, { values: form.values, indicators: form.indicators, problems: {}, message: failure.message });
		} catch (caught) {
			if (caught instanceof StoryIdTakenError) return fail(409, { values: form.values, indicators: form.indicators, problems: { id: 'id_taken' as const } });
			throw caught;
		}
		redirect(303, `/admin/stories/${encodeURIComponent(resolved.input.id)}?created`);
	}
};
