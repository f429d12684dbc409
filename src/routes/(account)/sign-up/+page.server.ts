import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { getAuth, MailScope, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '#lib/server/auth/auth.ts';
import { rateLimitAddress } from '#lib/server/http/client-address.ts';
import { checkRateLimits, RATE_LIMITS, refundRateLimit } from '#lib/server/auth/rate-limit.ts';
import { authErrorCode, removeUnconfirmedSignUp } from '#lib/server/auth/users.ts';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/account');
	return { minPassword: MIN_PASSWORD_LENGTH };
};

const SignUp = z.object({
	name: z.string().trim().min(1).max(100),
	email: z.string().trim().toLowerCase().pipe(z.email()),
	password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH)
});

export const actions: Actions = {
	default: async ({ request, getClientAddress, locals }) => {
		const form = Object.fromEntries(await request.formData());
		const text = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim() : '');
		const values = { name: text('name'), email: text('email') };
		const parsed = SignUp.safeParse(form);
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const issue of parsed.error.issues) {
				const field = String(issue.path[0]);
				if (errors[field]) continue;
				if (field === 'name') errors.name = m.auth_error_name();
				if (field === 'email') errors.email = m.auth_error_email();
				if (field === 'password') {
					errors.password = issue.code === 'too_big' ? m.auth_error_password_long({ max: MAX_PASSWORD_LENGTH }) : m.auth_error_password_short({ min: MIN_PASSWORD_LENGTH });
				}
			}
			return fail(400, { ...values, errors });
		}
		const db = await getDb();
		const limitKey = `sign-up:address:${rateLimitAddress(getClientAddress())}`;
		const limit = await checkRateLimits(db, [[limitKey, RATE_LIMITS.signUpPerAddress]]);
		if (!limit.allowed) return fail(429, { ...values, message: m.auth_rate_limited({ minutes: limit.retryAfterMinutes }) });

		const auth = await getAuth(db);
		const mail = new MailScope(locals.locale);
		try {
			// With e-mail verification required, an address that already has an account gets the
			// same answer (and its owner an e-mail), so the form does not reveal who has an account.
			await mail.run(() => auth.api.signUpEmail({ body: parsed.data, headers: request.headers }));
		} catch (error) {
			if (authErrorCode(error) === undefined) throw error;
			console.error('[sign-up]', error);
			return fail(400, { ...values, message: m.auth_error_email() });
		}
		// Either answer sends one message, so waiting for it says nothing about who has an account.
		const failed = await mail.failures();
		if (failed.length) {
			// Nothing is left that the next try would trip over: the new account and the attempt are taken back.
			for (const attempt of failed) if (attempt.kind === 'verify') await removeUnconfirmedSignUp(db, attempt.user.id);
			await refundRateLimit(db, limitKey);
			return fail(503, { ...values, message: m.signup_not_sent({ email: parsed.data.email }) });
		}
		return { sent: true, email: parsed.data.email };
	}
};
