import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getAuth } from '#lib/server/auth/auth.ts';
import { applyAuthCookies, forgetVerifiedSessions } from '#lib/server/auth/users.ts';

/** Signing out is a form (POST with its CSRF token); the address alone only leads home. */
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies, locals }) => {
		if (locals.user) {
			const auth = await getAuth(await getDb());
			const { headers } = await auth.api.signOut({ headers: request.headers, returnHeaders: true });
			applyAuthCookies(headers, cookies);
			forgetVerifiedSessions();
		}
		redirect(303, '/');
	}
};
