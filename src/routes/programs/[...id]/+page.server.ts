import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getProgram } from '#lib/directory/server/queries.ts';
import { geographyNames, namesOf } from '#lib/directory/server/page-data.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

/** One program: what it does, who runs it, where, the indicators it aims to move and its funding. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const db = await getDb();
	const profile = params.id ? await getProgram(db, params.id, locals.locale) : undefined;
	if (!profile) error(404, 'Not found');
	return { profile, serviceArea: namesOf(profile.program.serviceArea, await geographyNames(db, locals.locale)) };
};
