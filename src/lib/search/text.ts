/**
 * Pure text helpers for search, shared by the index (server) and the results page:
 * folding (lower case, accents removed), turning what a visitor typed into safe terms,
 * plain-text snippets, and the parts of a text to highlight.
 */

import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemSpanish } from '@orama/stemmers/spanish';

/** Longest query read, in characters; the rest is ignored (and the visitor told). */
export const MAX_QUERY_LENGTH = 200;
/** At most this many terms are searched for. */
export const MAX_TERMS = 10;

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case, accents and other combining marks removed: "Población" → "poblacion". */
export function fold(text: string): string {
	return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Folds `text` and keeps, for every folded character, the index of its source character. */
function foldWithMap(text: string): { folded: string; map: number[] } {
	let folded = '';
	const map: number[] = [];
	let index = 0;
	for (const char of text) {
		const f = fold(char);
		folded += f;
		for (let i = 0; i < f.length; i++) map.push(index);
		index += char.length;
	}
	return { folded, map };
}

export interface ParsedQuery {
	/** The text searched for (trimmed, cut to MAX_QUERY_LENGTH). */
	text: string;
	/** Folded words, unique, in order: only letters and digits, so no query syntax survives. */
	terms: string[];
	/** The visitor's text was longer than MAX_QUERY_LENGTH or had more than MAX_TERMS words. */
	shortened: boolean;
}

/** Reads a visitor's query: every operator, quote and bracket is dropped; words are kept. */
export function parseSearchQuery(raw: string | null | undefined): ParsedQuery {
	let text = (raw ?? '').replace(/\s+/g, ' ').trim();
	let shortened = false;
	if (text.length > MAX_QUERY_LENGTH) {
		text = text.slice(0, MAX_QUERY_LENGTH).trim();
		shortened = true;
	}
	const words = [...new Set(fold(text).match(WORD) ?? [])];
	if (words.length > MAX_TERMS) shortened = true;
	return { text, terms: words.slice(0, MAX_TERMS), shortened };
}

/** Every word of `text`, folded. */
export function foldedWords(text: string): string[] {
	return fold(text).match(WORD) ?? [];
}

export interface TextPart {
	text: string;
	match: boolean;
}

/** Splits `text` into parts, marking each word that starts with one of the (folded) terms. */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
	if (!terms.length || !text) return text ? [{ text, match: false }] : [];
	const { folded, map } = foldWithMap(text);
	const parts: TextPart[] = [];
	let last = 0;
	for (const word of folded.matchAll(WORD)) {
		if (!terms.some((t) => word[0].startsWith(t))) continue;
		const start = map[word.index] ?? text.length;
		const endFolded = word.index + word[0].length;
		const end = endFolded < map.length ? (map[endFolded] ?? text.length) : text.length;
		if (start > last) parts.push({ text: text.slice(last, start), match: false });
		parts.push({ text: text.slice(start, end), match: true });
		last = end;
	}
	if (last < text.length) parts.push({ text: text.slice(last), match: false });
	return parts;
}

/** Cuts `text` to about `max` characters at a word boundary, with an ellipsis. */
function clip(text: string, max: number): string {
	if (text.length <= max) return text;
	const cut = text.slice(0, max);
	const space = cut.lastIndexOf(' ');
	return (space > max / 2 ? cut.slice(0, space) : cut).trimEnd() + ' …';
}

/**
 * A plain-text extract of `body` (paragraphs separated by new lines) around the query's
 * terms: the paragraph with the most distinct terms, cut to about `max` characters around
 * the first of them. With no term in the body, its beginning. With `lead`, only the first
 * paragraph is used.
 */
export function makeSnippet(body: string, terms: readonly string[], options: { max?: number; lead?: boolean } = {}): string {
	const max = options.max ?? 220;
	let paragraphs = body
		.split('\n')
		.map((p) => p.replace(/\s+/g, ' ').trim())
		.filter(Boolean);
	if (!paragraphs.length) return '';
	// When the title already matches, the lead paragraph (the description) says most.
	if (options.lead) paragraphs = paragraphs.slice(0, 1);
	let best: { text: string; hits: number; first: number } | undefined;
	for (const paragraph of paragraphs) {
		const parts = highlightParts(paragraph, terms);
		const hitTerms = new Set<string>();
		let first = -1;
		let offset = 0;
		for (const part of parts) {
			if (part.match) {
				const f = fold(part.text);
				for (const t of terms) if (f.startsWith(t)) hitTerms.add(t);
				if (first < 0) first = offset;
			}
			offset += part.text.length;
		}
		if (hitTerms.size && (!best || hitTerms.size > best.hits)) best = { text: paragraph, hits: hitTerms.size, first };
	}
	if (!best) return clip(paragraphs[0]!, max);
	const { text, first } = best;
	if (text.length <= max || first < max * 0.6) return clip(text, max);
	// Start a little before the first match, at a word boundary.
	let start = Math.max(0, first - Math.floor(max * 0.3));
	const space = text.indexOf(' ', start);
	if (space >= 0 && space < first) start = space + 1;
	return '… ' + clip(text.slice(start), max);
}

// ── Expanding a query: stems, prefixes, synonyms ────────────────────────────

/**
 * A search expression over folded words: `prefix` matches every word that starts with it,
 * `exact` only that word; `and` and `or` combine. Built only from words of letters and
 * digits, so it renders to FTS5 or tsquery syntax without any visitor text being syntax.
 */
export type SearchNode = { prefix: string } | { exact: string } | { and: SearchNode[] } | { or: SearchNode[] };

/** Synonyms for one language: a folded word or phrase → other words or phrases it should also find. */
export type SynonymList = Readonly<Record<string, readonly string[]>>;

/** Words shorter than this are matched whole, not as prefixes ("1" must not find "1990"). */
export const MIN_PREFIX_LENGTH = 3;

/** Words left out of a query (unless nothing else is left): they would match almost everything. */
const STOPWORDS: Record<string, ReadonlySet<string>> = {
	en: new Set('a an and are as at be by for from in is it of on or not the to with'.split(' ')),
	es: new Set('a al de del el en es la las lo los o para por que se su un una y con sin'.split(' '))
};

const STEMMERS: Record<string, (word: string) => string> = { en: stemEnglish, es: stemSpanish };

/** The Snowball stem of a folded word in `lang` (the word itself for a language without a stemmer, or for numbers). */
export function stem(word: string, lang: string): string {
	const stemmer = STEMMERS[lang];
	if (!stemmer || !/^\p{L}+$/u.test(word) || word.length < MIN_PREFIX_LENGTH) return word;
	return fold(stemmer(word));
}

/** The query's words without stop words (all of them when only stop words were typed). */
export function contentTerms(terms: readonly string[], lang: string): string[] {
	const stop = STOPWORDS[lang] ?? STOPWORDS.en!;
	const kept = terms.filter((t) => !stop.has(t));
	return kept.length ? kept : [...terms];
}

/** One word: its prefix, and its stem's when that differs (jobs → job*, housing → hous*). */
function wordNode(word: string, lang: string): SearchNode {
	if (word.length < MIN_PREFIX_LENGTH) return { exact: word };
	const root = stem(word, lang);
	if (root.length >= MIN_PREFIX_LENGTH && word.startsWith(root)) return { prefix: root };
	return root.length >= MIN_PREFIX_LENGTH && root !== word ? { or: [{ prefix: word }, { prefix: root }] } : { prefix: word };
}

function phraseNode(words: readonly string[], lang: string): SearchNode {
	const nodes = words.map((w) => wordNode(w, lang));
	return nodes.length === 1 ? nodes[0]! : { and: nodes };
}

/** Most synonyms used for one word or phrase, and most words in a synonym. */
const MAX_SYNONYMS = 8;

/**
 * The expression searched for `terms` (folded words) in `lang`: every word required, each as
 * itself or its stem, as prefixes; a word or run of words that the synonym list names (compared
 * by stem, so "job" finds the entry "jobs") may instead be any of its synonyms.
 */
export function expandQuery(terms: readonly string[], lang: string, synonyms: SynonymList = {}): SearchNode | undefined {
	const words = contentTerms(terms, lang);
	if (!words.length) return undefined;
	const entries = Object.entries(synonyms)
		.map(([key, values]) => ({
			key: contentTerms(foldedWords(key), lang).map((w) => stem(w, lang)),
			values: values.slice(0, MAX_SYNONYMS).map((v) => contentTerms(foldedWords(v), lang))
		}))
		.filter((e) => e.key.length > 0)
		.sort((a, b) => b.key.length - a.key.length);
	const stems = words.map((w) => stem(w, lang));
	const clauses: SearchNode[] = [];
	for (let i = 0; i < words.length; ) {
		const entry = entries.find((e) => e.key.every((k, j) => stems[i + j] === k));
		if (entry) {
			const own = phraseNode(words.slice(i, i + entry.key.length), lang);
			const others = entry.values.filter((v) => v.length > 0).map((v) => phraseNode(v, lang));
			clauses.push({ or: [own, ...others] });
			i += entry.key.length;
		} else {
			clauses.push(wordNode(words[i]!, lang));
			i++;
		}
	}
	return clauses.length === 1 ? clauses[0]! : { and: clauses };
}

/** Every word and prefix in the expression, for highlighting. */
export function expressionWords(node: SearchNode | undefined): string[] {
	if (!node) return [];
	if ('prefix' in node) return [node.prefix];
	if ('exact' in node) return [node.exact];
	return [...new Set(('and' in node ? node.and : node.or).flatMap(expressionWords))];
}

/** Whether `words` (folded) satisfy the expression: how the engines match, for ranking titles. */
export function matchesWords(node: SearchNode, words: readonly string[]): boolean {
	if ('prefix' in node) return words.some((w) => w.startsWith(node.prefix));
	if ('exact' in node) return words.includes(node.exact);
	if ('and' in node) return node.and.every((n) => matchesWords(n, words));
	return node.or.some((n) => matchesWords(n, words));
}

/** The expression in SQLite FTS5 query syntax: every word a quoted string. */
export function toFts5(node: SearchNode): string {
	if ('prefix' in node) return `"${node.prefix.replaceAll('"', '""')}"*`;
	if ('exact' in node) return `"${node.exact.replaceAll('"', '""')}"`;
	const parts = ('and' in node ? node.and : node.or).map(toFts5);
	return `(${parts.join('and' in node ? ' AND ' : ' OR ')})`;
}

/** The expression in PostgreSQL tsquery syntax (words are letters and digits only). */
export function toTsquery(node: SearchNode): string {
	const word = (w: string) => w.replace(/[^\p{L}\p{N}]/gu, '');
	if ('prefix' in node) return `${word(node.prefix)}:*`;
	if ('exact' in node) return word(node.exact);
	const parts = ('and' in node ? node.and : node.or).map(toTsquery);
	return `(${parts.join('and' in node ? ' & ' : ' | ')})`;
}
