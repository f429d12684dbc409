import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { getAuth, RESET_LINK_SECONDS, withMailLocale } from '#lib/server/auth/auth.ts';
import { rateLimitAddress } from '#lib/server/http/client-address.ts';
import { checkRateLimits, RATE_LIMITS } from '#lib/server/auth/rate-limit.ts';
import { forgetOldResetTokens } from '#lib/server/auth/reset-links.ts';

const Forgot = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) });

export const actions: Actions = {
	default: async ({ request, getClientAddress, locals }) => {
		const form = Object.fromEntries(await request.formData());
		const email = typeof form.email === 'string' ? form.email.trim() : '';
		const parsed = Forgot.safeParse(form);
		if (!parsed.success) return fail(400, { email, errors: { email: m.auth_error_email() } });
		const db = await getDb();
		const limit = await checkRateLimits(db, [
			[`reset:account:${parsed.data.email}`, RATE_LIMITS.resetPerAccount],
			[`reset:address:${rateLimitAddress(getClientAddress())}`, RATE_LIMITS.resetPerAddress]
		]);
		if (!limit.allowed) return fail(429, { email, message: m.auth_rate_limited({ minutes: limit.retryAfterMinutes }) });
		const auth = await getAuth(db);
		await forgetOldResetTokens(db);
		// better-auth answers the same whether or not the account exists, and so does this page.
		await withMailLocale(locals.locale, () => auth.api.requestPasswordReset({ body: { email: parsed.data.email }, headers: request.headers }));
		return { sent: true, email: parsed.data.email, minutes: RESET_LINK_SECONDS / 60 };
	}
};
