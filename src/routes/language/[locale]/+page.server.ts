import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isLocale } from '#lib/paraglide/runtime.js';
import { safeRedirectTarget } from '#lib/server/http/redirect.ts';

/**
 * Remembers the chosen language in a cookie and returns to the page the visitor was on.
 * A page route (not an endpoint) so that an unknown language gets the site's 404 page.
 */
export const load: PageServerLoad = ({ params, url, cookies }) => {
	if (!isLocale(params.locale)) error(404, 'Not found');
	cookies.set('PARAGLIDE_LOCALE', params.locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		// Kit makes cookies Secure except on http://localhost: on any other plain-http address the browser would drop it.
		secure: url.protocol === 'https:',
		maxAge: 60 * 60 * 24 * 400
	});
	// Only same-site paths: never an open redirect, never a header Node refuses.
	redirect(303, safeRedirectTarget(url.searchParams.get('to')));
};
