/** Search of the catalog and the directory for the open data API. */
import type { Db } from '#lib/server/db/connect.ts';
import { searchCatalog } from '#lib/search/server/index.ts';
import { getRegion } from '#lib/server/context.ts';
import type { SearchResponse } from '../schemas.ts';
import type { Links } from './links.ts';

export async function searchApi(db: Db, query: string, limit: number, locale: string, links: Links): Promise<SearchResponse> {
	// The API's search covers the catalog and the directory (their results have API addresses); stories are searched on the site.
	const results = await searchCatalog(db, query, locale, { limit, synonyms: getRegion().settings.searchSynonyms, kinds: ['area', 'indicator', 'organization', 'program', 'policy'] });
	return {
		query,
		results: results.map((r) => ({
			kind: r.kind as Exclude<typeof r.kind, 'story'>,
			id: r.id,
			title: r.title,
			snippet: r.snippet,
			context: r.context ?? null,
			url: links.absolute(r.url),
			api_url: r.kind === 'area' ? links.areaApi(r.id) : r.kind === 'indicator' ? links.indicatorApi(r.id) : links.directoryApi(r.kind as 'organization' | 'program' | 'policy', r.id),
			score: Number.isFinite(r.score) ? r.score : 0
		}))
	};
}
