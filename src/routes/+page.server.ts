import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { listAreasWithIndicators } from '#lib/indicators/server/catalog.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ locals }) => {
	return { areas: await listAreasWithIndicators(await getDb(), locals.locale) };
};
