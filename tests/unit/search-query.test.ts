import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegionPack } from '#lib/region/pack.ts';
import { contentTerms, expandQuery, expressionWords, matchesWords, parseSearchQuery, stem, toFts5, toTsquery, type SearchNode } from '#lib/search/text.ts';

const synonyms = loadRegionPack(path.resolve(import.meta.dirname, '../../region')).settings.searchSynonyms;
const expand = (query: string, lang = 'en') => expandQuery(parseSearchQuery(query).terms, lang, synonyms[lang]);
const words = (text: string) => parseSearchQuery(text).terms;

describe('query normalisation', () => {
	it('folds case and accents and keeps only words of letters and digits', () => {
		expect(parseSearchQuery('  Costo de VIVIENDA  ').terms).toEqual(['costo', 'de', 'vivienda']);
		expect(parseSearchQuery('Población').terms).toEqual(['poblacion']);
		expect(parseSearchQuery('"*) OR 1=1 -- NEAR( ^').terms).toEqual(['or', '1', 'near']);
	});

	it('leaves out stop words, unless nothing else is left', () => {
		expect(contentTerms(['the', 'cost', 'of', 'housing'], 'en')).toEqual(['cost', 'housing']);
		expect(contentTerms(['costo', 'de', 'la', 'vivienda'], 'es')).toEqual(['costo', 'vivienda']);
		expect(contentTerms(['the'], 'en')).toEqual(['the']);
	});
});

describe('stemming, prefixes and synonyms', () => {
	it('stems English and Spanish words with the Snowball stemmers', () => {
		expect(stem('jobs', 'en')).toBe('job');
		expect(stem('housing', 'en')).toBe('hous');
		expect(stem('graduates', 'en')).toBe('graduat');
		expect(stem('empleos', 'es')).toBe('emple');
		expect(stem('viviendas', 'es')).toBe('viviend');
		// No stemmer for the language, a number or a short word: the word itself.
		expect(stem('jobs', 'fr')).toBe('jobs');
		expect(stem('2050', 'en')).toBe('2050');
	});

	it('searches each word as a prefix of its stem, and short words whole', () => {
		expect(expand('graduates')).toEqual({ prefix: 'graduat' });
		expect(matchesWords(expand('graduates')!, words('High School Graduation'))).toBe(true);
		expect(matchesWords(expand('unemploy')!, words('Unemployment'))).toBe(true);
		// A stem that is not a prefix of the word: both are searched.
		expect(expand('happy')).toEqual({ or: [{ prefix: 'happy' }, { prefix: 'happi' }] });
		expect(expand('pm 1')).toEqual({ and: [{ exact: 'pm' }, { exact: '1' }] });
		expect(matchesWords({ exact: '1' }, ['1990'])).toBe(false);
	});

	it('expands the region pack synonyms: jobs → unemployment, employment; housing cost → housing prices, rent', () => {
		const jobs = expand('jobs')!;
		expect(matchesWords(jobs, words('Unemployment'))).toBe(true);
		expect(matchesWords(jobs, words('Employment Growth'))).toBe(true);
		expect(matchesWords(jobs, words('Air Quality'))).toBe(false);
		// Compared by stem, so the singular finds the entry too.
		expect(matchesWords(expand('job')!, words('Unemployment'))).toBe(true);

		const housing = expand('housing cost')!;
		expect(matchesWords(housing, words('Housing Prices'))).toBe(true);
		expect(matchesWords(housing, words('Median rent'))).toBe(true);
		expect(matchesWords(housing, words('Housing'))).toBe(false);
		expect(matchesWords(expand('the cost of housing')!, words('Housing Prices'))).toBe(false);

		expect(matchesWords(expand('costo de la vivienda', 'es')!, words('Precios de la vivienda'))).toBe(true);
		expect(matchesWords(expand('trabajo', 'es')!, words('Desempleo'))).toBe(true);
		// Without a synonym list, only the words typed.
		expect(matchesWords(expandQuery(['jobs'], 'en')!, words('Unemployment'))).toBe(false);
	});

	it('lists every searched word for highlighting', () => {
		expect(expressionWords(expand('jobs'))).toEqual(expect.arrayContaining(['job', 'unemploy', 'employ']));
	});
});

describe('operator junk is inert', () => {
	const junk = ['"*) OR 1=1 -- NEAR( ^', '"foo" OR bar*', 'NEAR(a b)', 'title:traffic', '-traffic', 'a AND NOT b', "'; drop table x; --", '{x}', '\\"'];

	/** Every leaf of an expression. */
	const leaves = (node: SearchNode): string[] => ('prefix' in node ? [node.prefix] : 'exact' in node ? [node.exact] : ('and' in node ? node.and : node.or).flatMap(leaves));

	it('builds expressions only from words of letters and digits', () => {
		for (const query of junk) {
			const node = expand(query);
			if (!node) continue;
			for (const leaf of leaves(node)) expect(leaf, query).toMatch(/^[\p{L}\p{N}]+$/u);
		}
	});

	it('renders FTS5 with every word quoted and tsquery with only words, &, |, :* and brackets', () => {
		for (const query of junk) {
			const node = expand(query);
			if (!node) continue;
			// Outside the quoted strings, FTS5 sees only AND, OR, brackets and the prefix star.
			expect(toFts5(node).replace(/"[^"]*"/g, 'W'), query).toMatch(/^[W*() ]*(?:(?:AND|OR)[W*() ]*)*$/);
			expect(toTsquery(node), query).toMatch(/^[\p{L}\p{N}:*&|() ]+$/u);
		}
		// The operators typed are words searched for (or stop words left out), never operators.
		expect(toFts5(expand('"*) OR 1=1 -- NEAR( ^')!)).toBe('("1" AND "near"*)');
		expect(toFts5(expand('a AND NOT b')!)).toBe('"b"');
	});

	it('has no expression for a query without words', () => {
		expect(expand('*()" ^ --')).toBeUndefined();
	});
});
