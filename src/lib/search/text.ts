/**
 * Pure text helpers for search, shared by the index (server) and the results page:
 * folding (lower case, accents removed), turning what a visitor typed into safe terms,
 * plain-text snippets, and the parts of a text to highlight.
 */

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
