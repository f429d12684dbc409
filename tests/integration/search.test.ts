import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { rebuildSearchIndex, searchCatalog } from '#lib/search/server/index.ts';
import { highlightParts, makeSnippet, parseSearchQuery } from '#lib/search/text.ts';
import { DIALECTS, PROJECT_DIR, SHARED_DIR, openTestDatabase } from '../support/databases.ts';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
const OPEN_SDG_SAMPLE = path.join(SHARED_DIR, 'datasets/open-sdg-la-sample');


/** The region pack's sample directory: 6 organizations, 5 programs and 1 policy, each a search document. */
/** The region pack's sample stories (demo/stories.yml), both published. */
const SAMPLE_STORIES = 2;
const SAMPLE_DIRECTORY = 6 + 5 + 1;

describe('search query handling (pure)', () => {
	it('keeps only words: operators, quotes and brackets never reach the engine', () => {
		expect(parseSearchQuery('"foo" OR bar*').terms).toEqual(['foo', 'or', 'bar']);
		expect(parseSearchQuery('NEAR(').terms).toEqual(['near']);
		expect(parseSearchQuery("'; drop table indicator; --").terms).toEqual(['drop', 'table', 'indicator']);
		expect(parseSearchQuery('  Población  ').terms).toEqual(['poblacion']);
		expect(parseSearchQuery('').terms).toEqual([]);
		expect(parseSearchQuery('*** ::: ()').terms).toEqual([]);
	});

	it('shortens a query that is too long, and says so', () => {
		const long = parseSearchQuery('air '.repeat(100));
		expect(long.shortened).toBe(true);
		expect(long.text.length).toBeLessThanOrEqual(200);
		expect(long.terms).toEqual(['air']);
		expect(parseSearchQuery('a b c d e f g h i j k l').shortened).toBe(true);
		expect(parseSearchQuery('air quality').shortened).toBe(false);
	});

	it('highlights whole words that start with a term, accents ignored', () => {
		const parts = highlightParts('La población crece; Poblaciones', ['poblacion']);
		expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['población', 'Poblaciones']);
		expect(parts.map((p) => p.text).join('')).toBe('La población crece; Poblaciones');
	});

	it('makes plain snippets around the first match', () => {
		const body = `First paragraph about nothing.\n${'word '.repeat(80)}traffic jams here.`;
		const snippet = makeSnippet(body, ['traffic']);
		expect(snippet).toContain('traffic');
		expect(snippet.startsWith('…')).toBe(true);
		expect(snippet.length).toBeLessThan(240);
		expect(makeSnippet(body, ['zzz'])).toBe('First paragraph about nothing.');
	});
});

describe.each(DIALECTS)('search on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
	});
	afterAll(async () => close());

	it('indexes every area, indicator, sample directory record and published story in English and Spanish', async () => {
		const { rows } = await sql<{ lang: string; n: number }>`select lang, count(*) as n from search_document group by lang order by lang`.execute(db.kysely);
		// 6 areas, 50 indicators and the region pack's 2 sample stories.
		expect(rows.map((r) => [r.lang, Number(r.n)])).toEqual([
			['en', 56 + SAMPLE_DIRECTORY + SAMPLE_STORIES],
			['es', 56 + SAMPLE_DIRECTORY + SAMPLE_STORIES]
		]);
		const { rows: kinds } = await sql<{ kind: string; n: number }>`select kind, count(*) as n from search_document where lang = 'en' group by kind order by kind`.execute(db.kysely);
		expect(kinds.map((r) => [r.kind, Number(r.n)])).toEqual([
			['area', 6],
			['indicator', 50],
			['organization', 6],
			['policy', 1],
			['program', 5],
			['story', SAMPLE_STORIES]
		]);
	});

	it('finds "unemployment" with the exact title first', async () => {
		const results = await searchCatalog(db, 'unemployment', 'en');
		expect(results.length).toBeGreaterThan(1);
		expect(results[0]).toMatchObject({ kind: 'indicator', id: 'unemployment', title: 'Unemployment', url: '/indicators/unemployment' });
		expect(results[0]!.context).toBe('The Economy');
		expect(results[0]!.snippet).not.toMatch(/[<>]/);
		// Scores are ordered best first within the ranked tiers.
		for (const r of results) expect(Number.isFinite(r.score)).toBe(true);
	});

	it('finds by prefix', async () => {
		const results = await searchCatalog(db, 'unemploy', 'en');
		expect(results[0]?.id).toBe('unemployment');
	});

	it('searches in Spanish, with or without accents', async () => {
		const withAccent = await searchCatalog(db, 'población', 'es');
		const withoutAccent = await searchCatalog(db, 'poblacion', 'es');
		expect(withAccent.length).toBeGreaterThan(0);
		expect(withoutAccent.map((r) => r.id)).toEqual(withAccent.map((r) => r.id));
		expect(withAccent.some((r) => /poblaci[oó]n/i.test(r.snippet))).toBe(true);

		const desempleo = await searchCatalog(db, 'desempleo', 'es');
		expect(desempleo[0]).toMatchObject({ id: 'unemployment', title: 'Desempleo' });
		// Spanish titles in Spanish, English ones in English.
		expect(await searchCatalog(db, 'desempleo', 'en')).toEqual([]);
		// English words that the Spanish documents keep (source names) still find them, titled in Spanish.
		expect((await searchCatalog(db, 'unemployment', 'es')).find((r) => r.id === 'unemployment')?.title).toBe('Desempleo');
	});

	it('requires every word: a word found nowhere gives nothing, not a guess', async () => {
		const both = await searchCatalog(db, 'air quality', 'en');
		expect(both.length).toBeGreaterThanOrEqual(2);
		expect(both.slice(0, 2).map((r) => r.id).sort()).toEqual(['air-quality-ozone', 'air-quality-pm25']);
		expect(await searchCatalog(db, 'unemployment zzzzqqq', 'en')).toEqual([]);
	});

	const synonyms = pack.settings.searchSynonyms;

	it('finds what people type: "jobs" finds Unemployment, "housing cost" finds Housing Prices', async () => {
		const jobs = await searchCatalog(db, 'jobs', 'en', { synonyms, kinds: ['area', 'indicator'] });
		expect(jobs.map((r) => r.id)).toEqual(expect.arrayContaining(['unemployment', 'employment-growth', 'labor-force']));
		// A title that matches on its own comes before one matched only in its body.
		expect(jobs.slice(0, 3).map((r) => r.id).sort()).toEqual(['employment-growth', 'labor-force', 'unemployment'].sort());
		const housing = await searchCatalog(db, 'housing cost', 'en', { synonyms });
		expect(housing[0]?.id).toBe('housing-prices');
		expect(housing[0]?.snippet).not.toBe('');
		// Spanish, with the Spanish list.
		expect((await searchCatalog(db, 'trabajo', 'es', { synonyms })).map((r) => r.id)).toContain('unemployment');
		expect((await searchCatalog(db, 'costo de la vivienda', 'es', { synonyms }))[0]?.id).toBe('housing-prices');
	});

	it('stems: another ending of a word finds the same indicator', async () => {
		expect((await searchCatalog(db, 'graduates', 'en')).map((r) => r.id)).toEqual(expect.arrayContaining(['high-school-graduation', 'college-graduation']));
		expect((await searchCatalog(db, 'recycled', 'en')).map((r) => r.id)).toContain('solid-waste-recycling');
		expect((await searchCatalog(db, 'empleos', 'es')).map((r) => r.id)).toContain('employment-growth');
	});

	it('operator junk returns no error and no guesses', async () => {
		const results = await searchCatalog(db, '"*) OR 1=1 -- NEAR( ^', 'en', { synonyms });
		// Only honest matches: documents holding both the word "1" and a word starting "near".
		expect(results.length).toBeLessThan(5);
		for (const query of ['"*) OR 1=1 -- NEAR( ^', 'NOT', 'a OR b OR c', '*', '" OR ""="', ') AND (']) {
			await expect(searchCatalog(db, query, 'en', { synonyms }), query).resolves.toBeInstanceOf(Array);
		}
	});

	it('finds areas', async () => {
		const results = await searchCatalog(db, 'environment', 'en');
		expect(results.some((r) => r.kind === 'area' && r.url === `/areas/${r.id}`)).toBe(true);
	});

	it('treats query syntax and SQL as plain words, never as errors', async () => {
		for (const query of ['"foo" OR bar*', 'NEAR(', "'; drop table indicator; --", 'title:traffic', 'a AND', '-traffic', '^', '"', '(((', 'traffic" OR "x', '\\', '%_', '東京', 'Straße', '🚗 traffic', 'ﬁre', '\u0000']) {
			const results = await searchCatalog(db, query, 'en');
			expect(Array.isArray(results), query).toBe(true);
		}
		// "title:traffic" is two words, both required: no field syntax, and no document says "title".
		expect(await searchCatalog(db, 'title:traffic', 'en')).toEqual([]);
		expect((await searchCatalog(db, 'traffic', 'en')).some((r) => r.id === 'traffic-congestion')).toBe(true);
		const count = await db.kysely.selectFrom('indicator').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(50);
	});

	it('returns nothing for an empty or word-less query, and respects the limit', async () => {
		expect(await searchCatalog(db, '', 'en')).toEqual([]);
		expect(await searchCatalog(db, '   ', 'en')).toEqual([]);
		expect(await searchCatalog(db, '*()"', 'en')).toEqual([]);
		expect(await searchCatalog(db, 'x'.repeat(5000), 'en')).toEqual([]);
		expect(await searchCatalog(db, 'the', 'en', { limit: 3 })).toHaveLength(3);
	});

	it('falls back to English for a language the index does not have', async () => {
		const results = await searchCatalog(db, 'traffic', 'fr');
		expect(results.map((r) => r.id)).toContain('traffic-congestion');
	});

	it('rebuilds an empty index on first search (a database from before search)', async () => {
		await sql`delete from search_document`.execute(db.kysely);
		const results = await searchCatalog(db, 'unemployment', 'en');
		expect(results[0]?.id).toBe('unemployment');
	});

	it('indexes imported Open SDG metadata text', async () => {
		const report = await importOpenSdgRepository(db, OPEN_SDG_SAMPLE, { author: 'test' });
		expect(report.imported).toBeGreaterThan(0);
		// "Census Bureau determines poverty status" is in 1-2-1's national_indicator_description.
		const results = await searchCatalog(db, 'poverty line', 'en');
		expect(results.some((r) => r.id === '1-2-1')).toBe(true);
		// un_custodian_agency, a metadata field Sac2050 does not model, is searchable too.
		const custodian = await searchCatalog(db, 'World Bank', 'en');
		expect(custodian.some((r) => r.id === '1-2-1')).toBe(true);
		expect(await rebuildSearchIndex(db)).toBe(2 * (56 + SAMPLE_DIRECTORY + SAMPLE_STORIES + report.outcomes.filter((o) => !pack.indicators.some((i) => i.slug === o.indicatorId)).length));
	});
});
