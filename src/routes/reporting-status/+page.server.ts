import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { getReportingStatus } from '#lib/indicators/server/reporting.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ locals }) => {
	return { report: await getReportingStatus(await getDb(), locals.locale) };
};
