import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { getAuth, MailScope } from '#lib/server/auth/auth.ts';
import { safeNext } from '#lib/server/auth/guard.ts';
import { admitSignIn } from '#lib/server/auth/rate-limit.ts';
import { rateLimitAddress } from '#lib/server/http/client-address.ts';
import { applyAuthCookies, authErrorCode } from '#lib/server/auth/users.ts';

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next, reset: url.searchParams.get('reset') === 'done' };
};

const SignIn = z.object({
	email: z.string().trim().toLowerCase().pipe(z.email()),
	password: z.string().min(1),
	next: z.string().optional()
});

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, locals }) => {
		const form = Object.fromEntries(await request.formData());
		const email = typeof form.email === 'string' ? form.email.trim() : '';
		const parsed = SignIn.safeParse(form);
		if (!parsed.success) {
			const fields = new Set(parsed.error.issues.map((i) => i.path[0]));
			return fail(400, {
				email,
				errors: {
					email: fields.has('email') ? m.auth_error_email() : undefined,
					password: fields.has('password') ? m.auth_error_password_required() : undefined
				}
			});
		}
		const db = await getDb();
		const limit = await admitSignIn(db, parsed.data.email, rateLimitAddress(getClientAddress()));
		if (!limit.allowed) return fail(429, { email, message: m.auth_rate_limited({ minutes: limit.retryAfterMinutes }) });

		const auth = await getAuth(db);
		const mail = new MailScope(locals.locale);
		try {
			const { headers } = await mail.run(() =>
				auth.api.signInEmail({ body: { email: parsed.data.email, password: parsed.data.password }, headers: request.headers, returnHeaders: true })
			);
			applyAuthCookies(headers, cookies);
			// Only wrong passwords count: a success is taken back and its address remembered.
			await limit.succeeded();
		} catch (error) {
			const code = authErrorCode(error);
			if (code === 'EMAIL_NOT_VERIFIED') {
				// The password was right, so saying whether the new link went out reveals nothing.
				if ((await mail.failures()).length) return fail(503, { email, message: m.signin_unverified_not_sent({ email: parsed.data.email }) });
				return fail(403, { email, message: m.signin_unverified({ email: parsed.data.email }) });
			}
			if (code === undefined) throw error;
			// The same answer whether or not the account exists.
			return fail(400, { email, message: m.signin_wrong() });
		}
		redirect(303, safeNext(parsed.data.next));
	}
};
