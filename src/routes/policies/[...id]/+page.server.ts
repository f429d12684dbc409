import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getPolicy } from '#lib/directory/server/queries.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

/** One public policy or plan: who adopted it and when, its status, and the indicators it aims to move. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const profile = params.id ? await getPolicy(await getDb(), params.id, locals.locale) : undefined;
	if (!profile) error(404, 'Not found');
	return { profile };
};
