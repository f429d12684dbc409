import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { cookieName, type Locale } from '#lib/paraglide/runtime.js';
import { localizePath } from '#lib/i18n/paths.ts';
import { enabledLocales } from '#lib/i18n/server/request-locale.ts';
import { safeRedirectTarget } from '#lib/server/http/redirect.ts';

/**
 * Remembers the chosen language (a preference for addresses without a language) and goes to
 * the page the visitor was on, at that language's address. A page route (not an endpoint)
 * so that an unknown language gets the site's 404 page.
 */
export const load: PageServerLoad = ({ params, url, cookies }) => {
	const enabled = enabledLocales();
	const locale = enabled.find((code) => code === params.locale) as Locale | undefined;
	if (!locale) error(404, 'Not found');
	cookies.set(cookieName, locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		// Kit makes cookies Secure except on http://localhost: on any other plain-http address the browser would drop it.
		secure: url.protocol === 'https:',
		maxAge: 60 * 60 * 24 * 400
	});
	// Only same-site paths: never an open redirect, never a header Node refuses.
	redirect(303, localizePath(safeRedirectTarget(url.searchParams.get('to')), locale, enabled));
};
