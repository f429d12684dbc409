/**
 * Search across areas, indicators, the directory's organizations, programs and policies, and
 * published stories, with SQLite FTS5 or PostgreSQL full text.
 *
 * The index (`search_document`, migration 002) holds one document per catalog row and
 * language: the title (name) and a body of plain paragraphs (question or description, unit,
 * source, and the text of imported Open SDG metadata), in that language where the catalog
 * has a translation and in the default language otherwise; directory records (see
 * #lib/directory/server/search.ts) as written, in every language. It is derived data:
 * `rebuildSearchIndex` rewrites it whenever the catalog or the directory changes (seed,
 * import, sample data removed), and a search
 * on an empty index with a non-empty catalog rebuilds it first (a database migrated from
 * before search existed).
 *
 * Queries: what the visitor typed is reduced to words of letters and digits (see
 * `parseSearchQuery`), stop words left out, and expanded (`expandQuery`): each word searched
 * as a prefix of itself or of its Snowball stem, and a word or phrase the region pack's
 * synonym list names also as any of its synonyms; every word (or synonym) is required. The
 * same expression is rendered for FTS5 and for tsquery, so both engines match alike. No
 * visitor text becomes query syntax in either engine, and every value is bound.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import {
	expandQuery,
	expressionWords,
	fold,
	foldedWords,
	makeSnippet,
	matchesWords,
	parseSearchQuery,
	toFts5,
	toTsquery,
	type SearchNode,
	type SynonymList
} from '../text.ts';
import { directorySearchDocuments } from '#lib/directory/server/search.ts';

export const DEFAULT_SEARCH_LANGUAGE = 'en';

export type SearchKind = 'area' | 'indicator' | 'organization' | 'program' | 'policy' | typeof STORY_SEARCH_KIND;

/** The site's address of each kind's pages: `/<segment>/<id>`. */
export const SEARCH_PATHS: Record<SearchKind, string> = {
	area: 'areas',
	indicator: 'indicators',
	organization: 'organizations',
	program: 'programs',
	policy: 'policies',
	story: 'stories'
};
import { STORY_SEARCH_KIND, storySearchTexts, storyUrl, visibleStories } from '#lib/stories/server/search.ts';


interface SearchDocumentTable {
	kind: SearchKind;
	ref: string;
	lang: string;
	title: string;
	body: string;
	/** PostgreSQL only: the tsvector of the folded title (weight A) and body (weight B). */
	document?: unknown;
}

type SearchTables = Database & { search_document: SearchDocumentTable };

export interface SearchDocument {
	kind: SearchKind;
	ref: string;
	lang: string;
	title: string;
	body: string;
}

export interface SearchResult {
	kind: SearchKind;
	id: string;
	title: string;
	/** Plain text (never HTML) from the document around the query's words. */
	snippet: string;
	url: string;
	/** Higher is better: −bm25 on SQLite, ts_rank on PostgreSQL (not comparable across them). */
	score: number;
	/** For an indicator, the name of its area, when it has one. */
	context?: string;
	/** A sample story (made up for the demonstration): the page labels it. */
	isSample?: boolean;
}

export interface SearchOptions {
	/** At most this many results (1–100, default 20). */
	limit?: number;
	/** The region pack's synonyms, per language (`search_synonyms` in region.yml). */
	synonyms?: Readonly<Record<string, SynonymList>>;
	/** Only these kinds of result (default: all). */
	kinds?: readonly SearchKind[];
}

export interface SearchPlan {
	/** The index language searched in ('' when the index is empty). */
	lang: string;
	expression: SearchNode | undefined;
	/** Folded words and prefixes to highlight in titles and snippets. */
	highlight: string[];
}

/** Largest body kept per document, in characters. */
const MAX_BODY = 20_000;

function tables(db: Db): Kysely<SearchTables> {
	return db.kysely.withTables<{ search_document: SearchDocumentTable }>();
}

// ── Building the documents ──────────────────────────────────────────────────

/** Metadata keys whose values are layout, switches, codes or links rather than prose. */
const SKIPPED_METADATA_KEY =
	/(^|_)(url|link|layout|permalink|sort|order|graph|type|status|published|show|active|tier|id|number|goal|date|updated|template|language|direction|base|limit|year|calculation)(_|$)/;

function cleanMarkdown(text: string): string {
	return text
		.replace(/<[^>]*>/g, ' ')
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/https?:\/\/\S+/g, ' ')
		.replace(/[#*_`>|~]+/g, ' ')
		.replace(/&[a-z]+;|&#\d+;/gi, ' ')
		.replace(/[ \t]+/g, ' ');
}

/** Prose from stored Open SDG metadata (`{ meta: { raw, content }, config: { raw } }`), one paragraph per field. */
export function metadataText(json: string): string[] {
	const stored = fromJson<{ meta?: { raw?: Record<string, unknown>; content?: unknown }; config?: { raw?: Record<string, unknown> } }>(
		json,
		{}
	);
	const paragraphs: string[] = [];
	for (const raw of [stored.meta?.raw, stored.config?.raw]) {
		if (!raw || typeof raw !== 'object') continue;
		for (const [key, value] of Object.entries(raw)) {
			if (typeof value !== 'string' || SKIPPED_METADATA_KEY.test(key)) continue;
			const text = value.trim();
			if (text.length < 3 || /^https?:\/\//.test(text) || /^untitled$/i.test(text) || /^[\d.\-\s]+$/.test(text)) continue;
			paragraphs.push(cleanMarkdown(text).trim());
		}
	}
	if (typeof stored.meta?.content === 'string') {
		for (const block of cleanMarkdown(stored.meta.content).split(/\n\s*\n/)) {
			const text = block.replace(/\s+/g, ' ').trim();
			if (text.length >= 3) paragraphs.push(text);
		}
	}
	return paragraphs;
}

/** Joins paragraphs into a body: blanks and repeats (after folding) left out, size capped. */
function body(paragraphs: Array<string | undefined>): string {
	const seen = new Set<string>();
	const kept: string[] = [];
	for (const p of paragraphs) {
		const text = (p ?? '').replace(/\s+/g, ' ').trim();
		const key = fold(text);
		if (!text || seen.has(key)) continue;
		seen.add(key);
		kept.push(text);
	}
	return kept.join('\n').slice(0, MAX_BODY);
}

/** Every document of the catalog and the directory, for each language in `languages`. */
export async function buildSearchDocuments(db: Db | Kysely<Database> | Transaction<Database>, languages?: readonly string[]): Promise<SearchDocument[]> {
	const kysely = 'kysely' in db ? db.kysely : db;
	const [areas, indicators, directory, stories] = await Promise.all([
		kysely.selectFrom('area').select(['id', 'name', 'question', 'description', 'translations']).orderBy('position').orderBy('id').execute(),
		kysely
			.selectFrom('indicator')
			.select(['id', 'name', 'description', 'unit', 'source_name', 'translations', 'metadata'])
			.orderBy('position')
			.orderBy('id')
			.execute(),
		directorySearchDocuments(kysely),
		storySearchTexts(kysely)
	]);
	const areaTranslations = areas.map((a) => fromJson<Translations>(a.translations, {}));
	const indicatorTranslations = indicators.map((i) => fromJson<Translations>(i.translations, {}));
	const langs = new Set<string>([DEFAULT_SEARCH_LANGUAGE, ...(languages ?? [])]);
	for (const t of [...areaTranslations, ...indicatorTranslations]) for (const lang of Object.keys(t)) langs.add(lang);

	const documents: SearchDocument[] = [];
	for (const lang of [...langs].sort()) {
		for (const [index, a] of areas.entries()) {
			const t = areaTranslations[index] ?? {};
			documents.push({
				kind: 'area',
				ref: a.id,
				lang,
				title: localized(a.name, t, lang, 'name'),
				body: body([localized(a.question, t, lang, 'question'), localized(a.description, t, lang, 'description')])
			});
		}
		for (const [index, i] of indicators.entries()) {
			const t = indicatorTranslations[index] ?? {};
			documents.push({
				kind: 'indicator',
				ref: i.id,
				lang,
				title: localized(i.name, t, lang, 'name'),
				body: body([
					localized(i.description, t, lang, 'description'),
					localized(i.unit, t, lang, 'unit'),
					i.source_name,
					...metadataText(i.metadata)
				])
			});
		}
		for (const d of directory) documents.push({ kind: d.kind, ref: d.ref, lang, title: d.title, body: body(d.paragraphs) });
		for (const story of stories) documents.push({ kind: STORY_SEARCH_KIND, ref: story.ref, lang, title: story.title, body: body(story.paragraphs) });
	}
	return documents;
}

/** Folded words joined by spaces: what PostgreSQL's 'simple' configuration indexes. */
function foldedText(text: string): string {
	return foldedWords(text).join(' ');
}

/**
 * Rewrites the whole search index from the catalog (areas and indicators, in 'en' and every
 * language their translations have) and the directory, in one transaction. Call it after
 * changing either.
 * Returns the number of documents written.
 */
export async function rebuildSearchIndex(db: Db, options: { languages?: readonly string[] } = {}): Promise<number> {
	return tables(db)
		.transaction()
		.execute(async (trx) => {
			// Concurrent rebuilds on PostgreSQL run one after the other.
			if (db.dialect === 'postgres') await sql`lock table search_document in share row exclusive mode`.execute(trx);
			const documents = await buildSearchDocuments(trx as unknown as Transaction<Database>, options.languages);
			await trx.deleteFrom('search_document').execute();
			for (let start = 0; start < documents.length; start += 200) {
				const batch = documents.slice(start, start + 200);
				await trx
					.insertInto('search_document')
					.values(
						batch.map((d) =>
							db.dialect === 'postgres'
								? {
										...d,
										document: sql`setweight(to_tsvector('simple', ${foldedText(d.title)}), 'A') || setweight(to_tsvector('simple', ${foldedText(d.body)}), 'B')`
									}
								: d
						)
					)
					.execute();
			}
			return documents.length;
		});
}

/**
 * Writes the search documents of a few directory records again (after a back office edit),
 * in every language the index holds, instead of rewriting the whole index. Programs run by a
 * changed organization are written again too: their documents name it.
 */
export async function refreshDirectorySearch(db: Db, changed: { organization?: readonly string[]; program?: readonly string[]; policy?: readonly string[] }): Promise<number> {
	const search = tables(db);
	const languages = (await search.selectFrom('search_document').select('lang').distinct().execute()).map((r) => r.lang);
	if (languages.length === 0) return rebuildSearchIndex(db);
	const runBy = changed.organization?.length
		? (await db.kysely.selectFrom('program_organization').select('program_id').where('organization_id', 'in', changed.organization).execute()).map((r) => r.program_id)
		: [];
	const only = { organization: changed.organization ?? [], program: [...new Set([...(changed.program ?? []), ...runBy])], policy: changed.policy ?? [] };
	const documents = await directorySearchDocuments(db.kysely, only);
	return search.transaction().execute(async (trx) => {
		for (const [kind, refs] of Object.entries(only) as Array<[SearchKind, string[]]>) {
			for (let i = 0; i < refs.length; i += 500) await trx.deleteFrom('search_document').where('kind', '=', kind).where('ref', 'in', refs.slice(i, i + 500)).execute();
		}
		const rows = languages.flatMap((lang) => documents.map((d) => ({ kind: d.kind, ref: d.ref, lang, title: d.title, body: body(d.paragraphs) })));
		for (const row of rows) {
			await trx
				.insertInto('search_document')
				.values(db.dialect === 'postgres' ? { ...row, document: sql`setweight(to_tsvector('simple', ${foldedText(row.title)}), 'A') || setweight(to_tsvector('simple', ${foldedText(row.body)}), 'B')` } : row)
				.execute();
		}
		return rows.length;
	});
}

// ── Searching ───────────────────────────────────────────────────────────────

interface Hit {
	kind: SearchKind;
	ref: string;
	title: string;
	body: string;
	score: number;
}

async function runQuery(db: Db, expression: SearchNode, lang: string, limit: number): Promise<Hit[]> {
	const kysely = tables(db);
	if (db.dialect === 'sqlite') {
		// Every word is a quoted FTS5 string (any " doubled), combined only with AND, OR and brackets.
		const { rows } = await sql<Hit>`
			select kind, ref, title, body, -bm25(search_document, 0.0, 0.0, 0.0, 10.0, 1.0) as score
			from search_document
			where search_document match ${toFts5(expression)} and lang = ${lang}
			order by bm25(search_document, 0.0, 0.0, 0.0, 10.0, 1.0), title
			limit ${limit}`.execute(kysely);
		return rows;
	}
	// Words are letters and digits only, so they need no escaping; the query is bound all the same.
	const { rows } = await sql<Hit>`
		select kind, ref, title, body, ts_rank(document, q) as score
		from search_document, to_tsquery('simple', ${toTsquery(expression)}) as q
		where lang = ${lang} and document @@ q
		order by score desc, title
		limit ${limit}`.execute(kysely);
	return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

/** 2: the title is the query; 1: the title alone matches the expression; 0: otherwise. */
function titleTier(title: string, terms: readonly string[], expression: SearchNode): number {
	const words = foldedWords(title);
	if (words.join(' ') === terms.join(' ')) return 2;
	return matchesWords(expression, words) ? 1 : 0;
}

/** The language to search in: `locale` when the index has it, else the default language. */
export async function indexLanguage(db: Db, locale: string): Promise<string | undefined> {
	const kysely = tables(db);
	const has = async (lang?: string) => {
		let q = kysely.selectFrom('search_document').select('ref').limit(1);
		if (lang) q = q.where('lang', '=', lang);
		return (await q.executeTakeFirst()) !== undefined;
	};
	if (await has(locale)) return locale;
	if (locale !== DEFAULT_SEARCH_LANGUAGE && (await has(DEFAULT_SEARCH_LANGUAGE))) return DEFAULT_SEARCH_LANGUAGE;
	if (await has()) return undefined;
	// An empty index: build it once if the catalog has anything (a database from before search).
	const catalog = await db.kysely.selectFrom('area').select('id').limit(1).executeTakeFirst();
	const indicator = catalog ?? (await db.kysely.selectFrom('indicator').select('id').limit(1).executeTakeFirst());
	if (!indicator) return undefined;
	await rebuildSearchIndex(db);
	return (await has(locale)) ? locale : DEFAULT_SEARCH_LANGUAGE;
}

/** What a query searches for in `locale`: the index language, the expanded expression and the words to highlight. */
export async function planSearch(db: Db, query: string, locale: string, options: SearchOptions = {}): Promise<SearchPlan> {
	const { terms } = parseSearchQuery(query);
	if (!terms.length) return { lang: '', expression: undefined, highlight: [] };
	const lang = (await indexLanguage(db, locale)) ?? '';
	const expression = expandQuery(terms, lang || DEFAULT_SEARCH_LANGUAGE, options.synonyms?.[lang || DEFAULT_SEARCH_LANGUAGE]);
	return { lang, expression, highlight: expressionWords(expression) };
}

/**
 * Searches areas, indicators and directory records in the visitor's language. Returns at most `limit` results,
 * best first: a title equal to the query, then titles that match on their own, then by rank.
 * Every word (or its stem, or a synonym from the region pack) is required; stop words are
 * left out. An empty query (or one without letters or digits) returns [].
 */
export async function searchCatalog(db: Db, query: string, locale: string, options: SearchOptions = {}): Promise<SearchResult[]> {
	return (await searchWithPlan(db, query, locale, options)).results;
}

/** `searchCatalog`, with the plan it searched by (for highlighting the words searched for). */
export async function searchWithPlan(db: Db, query: string, locale: string, options: SearchOptions = {}): Promise<{ results: SearchResult[]; plan: SearchPlan }> {
	const limit = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), 100);
	const { terms } = parseSearchQuery(query);
	const plan = await planSearch(db, query, locale, options);
	const { lang, expression, highlight } = plan;
	if (!lang || !expression) return { results: [], plan };

	// Fetch more than asked, so the title tiers can lift an exact title the rank put lower.
	const candidates = Math.min(limit + 50, 200);
	const found = (await runQuery(db, expression, lang, candidates)).filter((hit) => !options.kinds || options.kinds.includes(hit.kind));
	// A story scheduled for later (or taken down since the index was built) is not a result.
	const storyHits = found.filter((hit) => hit.kind === STORY_SEARCH_KIND).map((hit) => hit.ref);
	const visible = storyHits.length ? await visibleStories(db, storyHits) : new Map<string, boolean>();
	const hits = found.filter((hit) => hit.kind !== STORY_SEARCH_KIND || visible.has(hit.ref));

	const ranked = hits
		.map((hit, order) => ({ hit, order, tier: titleTier(hit.title, terms, expression) }))
		.sort((a, b) => b.tier - a.tier || a.order - b.order)
		.slice(0, limit);

	const areaNames = await indicatorAreaNames(
		db,
		ranked.filter(({ hit }) => hit.kind === 'indicator').map(({ hit }) => hit.ref),
		locale
	);
	const results = ranked.map(({ hit, tier }) => {
		const result: SearchResult = {
			kind: hit.kind,
			id: hit.ref,
			title: hit.title,
			snippet: makeSnippet(hit.body, highlight, { lead: tier > 0 }),
			url: hit.kind === STORY_SEARCH_KIND ? storyUrl(hit.ref) : `/${SEARCH_PATHS[hit.kind]}/${encodeURIComponent(hit.ref)}`,
			score: Number(hit.score)
		};
		const context = areaNames.get(hit.ref);
		if (context) result.context = context;
		if (hit.kind === STORY_SEARCH_KIND && visible.get(hit.ref)) result.isSample = true;
		return result;
	});
	return { results, plan };
}

/** The localized area name of each indicator that has an area. */
async function indicatorAreaNames(db: Db, ids: string[], locale: string): Promise<Map<string, string>> {
	if (!ids.length) return new Map();
	const rows = await db.kysely
		.selectFrom('indicator as i')
		.innerJoin('area as a', 'a.id', 'i.area_id')
		.select(['i.id', 'a.name', 'a.translations'])
		.where('i.id', 'in', ids)
		.execute();
	return new Map(rows.map((r) => [r.id, localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name')]));
}
