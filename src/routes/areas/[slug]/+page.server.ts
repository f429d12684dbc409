import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { getAreaOverview } from '#lib/indicators/server/catalog.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	const area = await getAreaOverview(await getDb(), params.slug, locals.locale, getRegion().settings.baseYear);
	if (!area) error(404, 'Not found');
	return { area };
};
