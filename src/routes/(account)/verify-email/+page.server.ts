import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { getAuth } from '#lib/server/auth/auth.ts';
import { applyAuthCookies, authErrorCode } from '#lib/server/auth/users.ts';

/** The link from the confirmation e-mail: confirms the address and signs the person in. */
export const load: PageServerLoad = async ({ url, request, cookies }) => {
	const token = url.searchParams.get('token');
	if (!token) return { confirmed: false, message: m.verify_invalid() };
	const auth = await getAuth(await getDb());
	try {
		const { headers } = await auth.api.verifyEmail({ query: { token }, headers: request.headers, returnHeaders: true });
		applyAuthCookies(headers, cookies);
		return { confirmed: true, message: m.verify_done() };
	} catch (error) {
		const code = authErrorCode(error);
		if (code === undefined) throw error;
		return { confirmed: false, message: code === 'TOKEN_EXPIRED' ? m.verify_expired() : m.verify_invalid() };
	}
};
