import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { readAreaForm } from '#lib/admin/forms.ts';
import { areaFormValues, readArea, updateArea } from '#lib/admin/server/catalog.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'catalog.view');
	const area = await readArea(await getDb(), event.params.id);
	if (!area) error(404, m.admin_not_found());
	return {
		id: event.params.id,
		values: areaFormValues(area),
		saved: event.url.searchParams.has('saved'),
		crumbs: [
			{ label: m.admin_nav_areas(), href: '/admin/areas' },
			{ label: area.name, href: `/admin/areas/${event.params.id}` }
		]
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePermission(event, 'catalog.edit', { type: 'area', id: event.params.id });
		const form = readAreaForm(await event.request.formData());
		if (!form.ok) return fail(400, { values: form.values, problems: form.problems });
		const db = await getDb();
		const failure = await writeFailure(() => updateArea(db, user, event.params.id, form.value));
		if (failure) return fail(failure.status, { values: form.values, problems: {}, message: failure.message });
		redirect(303, `/admin/areas/${encodeURIComponent(event.params.id)}?saved`);
	}
};
