import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { getDb } from '#lib/server/context.ts';
import { readIndicatorForm } from '#lib/admin/forms.ts';
import { indicatorFormValues, listAdminAreas, readIndicator, updateIndicator } from '#lib/admin/server/catalog.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';

export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'catalog.view');
	const db = await getDb();
	const indicator = await readIndicator(db, event.params.id);
	if (!indicator) error(404, m.admin_not_found());
	return {
		id: event.params.id,
		values: indicatorFormValues(indicator),
		imported: indicator.progressConfig.origin === 'opensdg',
		areas: (await listAdminAreas(db)).map((a) => ({ id: a.id, name: a.name })),
		canEditTargets: can(user, 'targets.edit', { type: 'indicator', id: event.params.id }),
		canUpload: can(user, 'data.upload', { type: 'indicator', id: event.params.id }),
		canViewRevisions: can(user, 'revisions.view', { type: 'indicator', id: event.params.id }),
		saved: event.url.searchParams.has('saved'),
		crumbs: [
			{ label: m.admin_nav_indicators(), href: '/admin/indicators' },
			{ label: indicator.name, href: `/admin/indicators/${event.params.id}` }
		]
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePermission(event, 'catalog.edit', { type: 'indicator', id: event.params.id });
		const db = await getDb();
		const areas = await listAdminAreas(db);
		const form = readIndicatorForm(
			await event.request.formData(),
			areas.map((a) => a.id)
		);
		if (!form.ok) return fail(400, { values: form.values, problems: form.problems });
		const failure = await writeFailure(() => updateIndicator(db, user, event.params.id, form.value));
		if (failure) return fail(failure.status, { values: form.values, problems: {}, message: failure.message });
		redirect(303, `/admin/indicators/${encodeURIComponent(event.params.id)}?saved`);
	}
};
