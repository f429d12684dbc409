import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getIndicator } from '#lib/indicators/server/catalog.ts';

export const load: PageServerLoad = async ({ params, locals }) => {
	const indicator = await getIndicator(await getDb(), params.id, locals.locale);
	if (!indicator) error(404, 'Not found');
	return { indicator };
};
