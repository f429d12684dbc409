import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb, getRegion } from '#lib/server/context.ts';
import { readRegionOverrides, updateRegionSettings } from '#lib/region/server/settings.ts';
import { readSettingsForm } from '#lib/admin/forms.ts';
import { overridesFromForm, settingsDefaults, settingsFormValues } from '#lib/admin/server/region.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'region.view');
	const overrides = await readRegionOverrides(await getDb());
	return {
		values: settingsFormValues(overrides),
		defaults: settingsDefaults(getRegion().settings),
		saved: event.url.searchParams.has('saved'),
		crumbs: [{ label: m.admin_nav_settings(), href: '/admin/settings' }]
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requirePermission(event, 'region.edit', { type: 'region', id: 'region' });
		const form = readSettingsForm(await event.request.formData());
		if (!form.ok) return fail(400, { values: form.values, problems: form.problems });
		const db = await getDb();
		const failure = await writeFailure(() => updateRegionSettings(db, user, overridesFromForm(form.value)));
		if (failure) return fail(failure.status, { values: form.values, problems: {}, message: failure.message });
		redirect(303, '/admin/settings?saved');
	}
};
