import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { getAuth, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, RESET_LINK_SECONDS } from '#lib/server/auth/auth.ts';
import { resetLinkState, type ResetLinkState } from '#lib/server/auth/reset-links.ts';
import { authErrorCode, forgetVerifiedSessions } from '#lib/server/auth/users.ts';

function explain(state: ResetLinkState | 'missing'): string | undefined {
	if (state === 'expired') return m.reset_expired({ minutes: RESET_LINK_SECONDS / 60 });
	if (state === 'used') return m.reset_used();
	if (state === 'missing') return m.reset_missing();
	return undefined;
}

export const load: PageServerLoad = async ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	const state = token ? await resetLinkState(await getDb(), token) : 'missing';
	return { token, problem: explain(state), minPassword: MIN_PASSWORD_LENGTH };
};

const Reset = z.object({ token: z.string().min(1), password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH) });

export const actions: Actions = {
	default: async ({ request }) => {
		const form = Object.fromEntries(await request.formData());
		const parsed = Reset.safeParse(form);
		if (!parsed.success) {
			if (!form.token) return fail(400, { problem: m.reset_missing() });
			const tooLong = parsed.error.issues.some((i) => i.path[0] === 'password' && i.code === 'too_big');
			return fail(400, {
				errors: { password: tooLong ? m.auth_error_password_long({ max: MAX_PASSWORD_LENGTH }) : m.auth_error_password_short({ min: MIN_PASSWORD_LENGTH }) }
			});
		}
		const db = await getDb();
		const auth = await getAuth(db);
		try {
			await auth.api.resetPassword({ body: { newPassword: parsed.data.password, token: parsed.data.token }, headers: request.headers });
			// The reset signs the person out everywhere.
			forgetVerifiedSessions();
		} catch (error) {
			if (authErrorCode(error) === undefined) throw error;
			return fail(400, { problem: explain(await resetLinkState(db, parsed.data.token)) ?? m.reset_used() });
		}
		redirect(303, '/sign-in?reset=done');
	}
};
