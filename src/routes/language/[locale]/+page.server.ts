import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isLocale } from '#lib/paraglide/runtime.js';

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
		maxAge: 60 * 60 * 24 * 400
	});
	const to = url.searchParams.get('to') ?? '/';
	// Only same-site paths: never an open redirect.
	const safe = to.startsWith('/') && !to.startsWith('//') && !to.startsWith('/\\') ? to : '/';
	redirect(303, safe);
};
