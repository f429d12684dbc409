import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb, getRegion } from '#lib/server/context.ts';
import { loadPlaceProfile } from '#lib/indicators/server/place-profile.ts';
import { regionLocator } from '#lib/indicators/server/indicator-visuals.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	const profile = await loadPlaceProfile(await getDb(), params.code, locals.locale, m.place_other_area());
	if (!profile) error(404, 'Not found');
	return { profile, locator: regionLocator([profile.code], getRegion().dir) };
};
