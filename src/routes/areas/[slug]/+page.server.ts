import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getArea } from '#lib/indicators/server/catalog.ts';

export const load: PageServerLoad = async ({ params, locals }) => {
	const area = await getArea(await getDb(), params.slug, locals.locale);
	if (!area) error(404, 'Not found');
	return { area };
};
