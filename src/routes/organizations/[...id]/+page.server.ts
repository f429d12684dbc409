import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getOrganization } from '#lib/directory/server/queries.ts';
import { freshnessNow, geographyNames, namesOf } from '#lib/directory/server/page-data.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

/** One organization: its profile, the programs it runs, its indicators and its funding. Ids may hold `/` (a rest parameter). */
export const load: PageServerLoad = async ({ params, locals }) => {
	const db = await getDb();
	const profile = params.id ? await getOrganization(db, params.id, locals.locale, freshnessNow()) : undefined;
	if (!profile) error(404, 'Not found');
	const names = await geographyNames(db, locals.locale);
	return {
		profile,
		serviceArea: namesOf(profile.organization.serviceArea, names),
		programs: profile.programs.map((p) => ({ id: p.id, name: p.name, status: p.status, isSample: p.isSample, lead: p.organizationIds[0] === profile.organization.id }))
	};
};
