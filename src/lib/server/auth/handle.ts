import type { Locale } from '#lib/paraglide/runtime.js';
import type { Handle } from '@sveltejs/kit/hooks';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '../context.ts';
import { sameSiteRefererPath } from '../http/redirect.ts';
import { refusalPage } from '../http/refusal.ts';
import { BodyTooLargeError, FORM_BODY_LIMIT, tooLargeRefusal } from '../http/body-limit.ts';
import { publicOrigin } from './auth.ts';
import { CSRF_COOKIE, csrfToken, isStateChanging, submittedToken, tokensMatch } from './csrf.ts';
import { hasSessionCookie, readSession } from './users.ts';

/** A small page of its own: the refused request never reaches the app's pages. */
function csrfRefusal(locale: Locale, back: string): Response {
	return refusalPage({
		status: 403,
		locale,
		title: m.csrf_title({}, { locale }),
		text: m.csrf_text({}, { locale }),
		back: { label: m.csrf_back({}, { locale }), href: back }
	});
}

/**
 * Refuses every state-changing request to the site's pages whose `_csrf` field does not
 * match the visitor's CSRF cookie, and gives pages `locals.csrf()` for their forms. The
 * JSON API (/api/) is read-only and takes no cookies' authority.
 */
export const csrfProtection: Handle = async ({ event, resolve }) => {
	const secure = publicOrigin().startsWith('https://');
	let token: string | undefined;
	event.locals.csrf = () => (token ??= csrfToken(event.cookies, secure));
	if (isStateChanging(event.request.method) && !event.url.pathname.startsWith('/api/')) {
		const cookie = event.cookies.get(CSRF_COOKIE);
		const limit = event.locals.bodyLimit ?? FORM_BODY_LIMIT;
		let submitted: string | undefined;
		// Without a cookie no token can match: refused without reading the body.
		if (cookie) {
			try {
				submitted = await submittedToken(event.request, limit);
			} catch (error) {
				if (error instanceof BodyTooLargeError) return tooLargeRefusal(event.locals.locale, limit, event.url.pathname);
				throw error;
			}
		}
		if (!tokensMatch(cookie, submitted)) {
			const back = sameSiteRefererPath(event.request.headers.get('referer'), event.url.origin, event.url.pathname);
			return csrfRefusal(event.locals.locale, back);
		}
	}
	const response = await resolve(event);
	// A page that handed out a token is for this browser alone.
	if (token !== undefined) response.headers.set('cache-control', 'private, no-store');
	return response;
};

/** Puts the signed-in person (or null) in `locals.user`; anonymous requests never touch the database. */
export const authentication: Handle = async ({ event, resolve }) => {
	// The page cache may have read the session already (a signed-in reader of a shared page).
	if (event.locals.user === undefined) {
		event.locals.user = hasSessionCookie(event.cookies) ? await readSession(await getDb(), event.request, event.cookies) : null;
	}
	return resolve(event);
};
