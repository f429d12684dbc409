import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { loadFundingPage } from '#lib/directory/server/funding-page.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ url, locals }) => ({ funding: await loadFundingPage(await getDb(), url.searchParams, locals.locale) });
