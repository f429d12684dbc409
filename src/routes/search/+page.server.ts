import type { PageServerLoad } from './$types';
import { getDb } from '#lib/server/context.ts';
import { listAreasWithIndicators } from '#lib/indicators/server/catalog.ts';
import { searchCatalog } from '#lib/search/server/index.ts';
import { parseSearchQuery } from '#lib/search/text.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

/** A GET form: `/search?q=…` works the same with and without JavaScript. */
export const load: PageServerLoad = async ({ url, locals }) => {
	const raw = url.searchParams.get('q') ?? '';
	const parsed = parseSearchQuery(raw);
	const db = await getDb();
	const results = parsed.terms.length ? await searchCatalog(db, parsed.text, locals.locale, { limit: 50 }) : [];
	// With nothing found, the areas are offered to browse instead.
	const areas =
		parsed.text && !results.length ? (await listAreasWithIndicators(db, locals.locale)).map((a) => ({ id: a.id, name: a.name })) : [];
	return {
		query: parsed.text,
		terms: parsed.terms,
		shortened: parsed.shortened,
		results,
		areas
	};
};
