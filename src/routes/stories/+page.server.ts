import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { listPublishedStories } from '#lib/stories/server/queries.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

export const load: PageServerLoad = async ({ locals }) => ({ stories: await listPublishedStories(await getDb(), locals.locale) });
