import type { Handle } from '@sveltejs/kit/hooks';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '../context.ts';
import { sameSiteRefererPath } from '../http/redirect.ts';
import { publicOrigin } from './auth.ts';
import { CSRF_COOKIE, csrfToken, isStateChanging, submittedToken, tokensMatch } from './csrf.ts';
import { hasSessionCookie, readSession } from './users.ts';

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small page of its own: the refused request never reaches the app's pages. */
function csrfRefusal(locale: 'en' | 'es', back: string): Response {
	const title = m.csrf_title({}, { locale });
	const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Sac2050</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b">
<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(m.csrf_text({}, { locale }))}</p><p><a href="${escapeHtml(back)}" style="color: #005ea2">${escapeHtml(m.csrf_back({}, { locale }))}</a></p></main>
</body></html>`;
	return new Response(html, {
		status: 403,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'private, no-store',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
		}
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
		const submitted = await submittedToken(event.request);
		if (!tokensMatch(event.cookies.get(CSRF_COOKIE), submitted)) {
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
