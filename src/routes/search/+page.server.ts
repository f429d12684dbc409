import type { PageServerLoad } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { listAreasWithIndicators } from '#lib/indicators/server/catalog.ts';
import { indexLanguage, searchWithPlan } from '#lib/search/server/index.ts';
import { languageInfo } from '#lib/i18n/languages.ts';
import { parseSearchQuery } from '#lib/search/text.ts';

/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;

/** A GET form: `/search?q=…` works the same with and without JavaScript. */
export const load: PageServerLoad = async ({ url, locals }) => {
	const raw = url.searchParams.get('q') ?? '';
	const parsed = parseSearchQuery(raw);
	const db = await getDb();
	const options = { limit: 50, synonyms: getRegion().settings.searchSynonyms };
	const { results, plan } = parsed.terms.length ? await searchWithPlan(db, parsed.text, locals.locale, options) : { results: [], plan: undefined };
	// With nothing found, the areas are offered to browse instead.
	const areas =
		parsed.text && !results.length ? (await listAreasWithIndicators(db, locals.locale)).map((a) => ({ id: a.id, name: a.name })) : [];
	// Names exist only in the languages their publishers wrote them in: say which one to search in.
	const searched = await indexLanguage(db, locals.locale);
	return {
		otherLanguage: searched && searched !== locals.locale ? (languageInfo(searched)?.nativeName ?? searched) : null,
		query: parsed.text,
		terms: plan?.highlight ?? parsed.terms,
		shortened: parsed.shortened,
		// Grouped by kind: indicators (what most searches are for) first, then stories, areas, and who is involved.
		groups: (['indicator', 'story', 'area', 'organization', 'program', 'policy'] as const)
			.map((kind) => ({ kind, results: results.filter((r) => r.kind === kind) }))
			.filter((g) => g.results.length > 0),
		count: results.length,
		areas
	};
};
