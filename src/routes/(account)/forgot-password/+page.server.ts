import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { getAuth, RESET_LINK_SECONDS, withMailLocale } from '#lib/server/auth/auth.ts';
import { rateLimitAddress } from '#lib/server/http/client-address.ts';
import { checkRateLimits, RATE_LIMITS, refundRateLimit, type RateLimitRule } from '#lib/server/auth/rate-limit.ts';
import { checkMailDelivery } from '#lib/server/mail/mailer.ts';
import { forgetOldResetTokens } from '#lib/server/auth/reset-links.ts';

const Forgot = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) });

export const actions: Actions = {
	default: async ({ request, getClientAddress, locals }) => {
		const form = Object.fromEntries(await request.formData());
		const email = typeof form.email === 'string' ? form.email.trim() : '';
		const parsed = Forgot.safeParse(form);
		if (!parsed.success) return fail(400, { email, errors: { email: m.auth_error_email() } });
		const db = await getDb();
		const limits: Array<[string, RateLimitRule]> = [
			[`reset:account:${parsed.data.email}`, RATE_LIMITS.resetPerAccount],
			[`reset:address:${rateLimitAddress(getClientAddress())}`, RATE_LIMITS.resetPerAddress]
		];
		const limit = await checkRateLimits(db, limits);
		if (!limit.allowed) return fail(429, { email, message: m.auth_rate_limited({ minutes: limit.retryAfterMinutes }) });
		try {
			// Asked of every request alike, account or not, so the answer reveals nothing either.
			await checkMailDelivery();
		} catch (error) {
			console.error('[forgot-password]', (error as Error).message);
			for (const [key] of limits) await refundRateLimit(db, key);
			return fail(503, { email, message: m.forgot_not_sent({ email: parsed.data.email }) });
		}
		const auth = await getAuth(db);
		await forgetOldResetTokens(db);
		// better-auth answers the same whether or not the account exists, and so does this page.
		await withMailLocale(locals.locale, () => auth.api.requestPasswordReset({ body: { email: parsed.data.email }, headers: request.headers }));
		return { sent: true, email: parsed.data.email, minutes: RESET_LINK_SECONDS / 60 };
	}
};
