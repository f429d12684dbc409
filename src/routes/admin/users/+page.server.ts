import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can, ROLES } from '#lib/server/auth/permissions.ts';
import { getDb } from '#lib/server/context.ts';
import { listUsers, setUserRole } from '#lib/server/auth/users.ts';
import { readRoleForm } from '#lib/admin/forms.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';

export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'users.view');
	const users = await listUsers(await getDb());
	return {
		users: users.map((u) => ({ ...u, canChange: can(user, 'users.setRole', { type: 'user', id: u.id }) })),
		roles: ROLES,
		saved: event.url.searchParams.get('saved') ?? '',
		crumbs: [{ label: m.admin_nav_users(), href: '/admin/users' }]
	};
};

export const actions: Actions = {
	setRole: async (event) => {
		requirePermission(event, 'users.setRole');
		const form = readRoleForm(await event.request.formData(), ROLES);
		if (!form.ok) return fail(400, { userId: form.values.userId ?? '', message: m.admin_users_bad_role() });
		// Checked again for this subject: nobody changes their own role.
		const user = requirePermission(event, 'users.setRole', { type: 'user', id: form.value.userId });
		const db = await getDb();
		const failure = await writeFailure(() => setUserRole(db, user, form.value.userId, form.value.role));
		if (failure) return fail(failure.status, { userId: form.value.userId, message: failure.message });
		redirect(303, `/admin/users?saved=${encodeURIComponent(form.value.userId)}`);
	}
};
