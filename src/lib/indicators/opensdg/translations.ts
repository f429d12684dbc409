/**
 * An Open SDG repository's own translations: `translations/<lang>/<group>.yml`, each a YAML
 * mapping of keys to texts. A text is looked up as the key `<group>.<key>`; the published
 * build translates an indicator into a language before it measures progress:
 *
 * - a data cell: the cell itself as a key, else `<column>.<cell>`, else `data.<cell>`;
 * - a column name (not the special and non-disaggregation columns): the name itself as a key,
 *   else `<name>.<name>`, else `data.<name>`;
 * - the option values of a progress entry, as the cells of their column.
 *
 * Pure: text in, maps and steward-readable issues out.
 */
import { parseDocument } from 'yaml';
import { columnClassifier, seriesColumnOf, unitColumnOf, PROGRESS_COLUMN, VALUE_COLUMN, YEAR_COLUMN, type ColumnSettings } from '../columns.ts';
import type { ParseIssue } from './data-csv.ts';

/** Flattened translations of one language: `<group>.<key>` → text. */
export type Translations = ReadonlyMap<string, string>;

/** Every language's groups: language → group → key → text. */
export type RepositoryTranslations = Record<string, Record<string, Record<string, string>>>;

export const TRANSLATIONS_DIR = 'translations';

/** `translations/en/SEX.yml` → { language: 'en', group: 'SEX' }; null for any other path. */
export function translationPathInfo(relPath: string): { language: string; group: string } | null {
	const match = /^translations\/([A-Za-z][A-Za-z0-9_-]*)\/([^/]+)\.ya?ml$/.exec(relPath.replaceAll('\\', '/'));
	return match ? { language: match[1]!, group: match[2]! } : null;
}

export function translationPathFor(language: string, group: string): string {
	return `${TRANSLATIONS_DIR}/${language}/${group}.yml`;
}

/** One translation file: its keys and texts (scalars only; other values are skipped with a warning). */
export function parseTranslationFile(text: string, file: string): { entries: Record<string, string>; errors: ParseIssue[]; warnings: ParseIssue[] } {
	const errors: ParseIssue[] = [];
	const warnings: ParseIssue[] = [];
	const entries: Record<string, string> = {};
	const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
	if (body.trim() === '') return { entries, errors, warnings };
	const doc = parseDocument(body, { uniqueKeys: false, prettyErrors: true });
	if (doc.errors.length > 0) {
		const first = doc.errors[0]!;
		const line = first.linePos?.[0]?.line ?? null;
		errors.push({
			file,
			line,
			column: null,
			message: `${line === null ? '' : `Line ${line}: `}the translations are not valid YAML (${first.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim()}).`,
			fix: 'Write one "key: translated text" pair per line; put a text holding ": " or starting with a quote or bracket in quotes.'
		});
		return { entries, errors, warnings };
	}
	const value: unknown = doc.toJS();
	if (value === null || value === undefined) return { entries, errors, warnings };
	if (typeof value !== 'object' || Array.isArray(value)) {
		errors.push({ file, line: 1, column: null, message: 'Line 1: the translations must be "key: text" lines.', fix: 'Write one "key: translated text" pair per line.' });
		return { entries, errors, warnings };
	}
	for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
		if (typeof text === 'string' || typeof text === 'number' || typeof text === 'boolean') entries[key] = String(text);
		else if (text !== null && text !== undefined) {
			warnings.push({ file, line: null, column: key, message: `The translation of "${key}" is not a text; it is not used.`, fix: `Write ${key}: <translated text>.` });
		}
	}
	return { entries, errors, warnings };
}

/** The flattened translations of `language`. */
export function translationsFor(all: RepositoryTranslations, language: string): Map<string, string> {
	const flat = new Map<string, string>();
	for (const [group, entries] of Object.entries(all[language] ?? {})) {
		for (const [key, text] of Object.entries(entries)) flat.set(`${group}.${key}`, text);
	}
	return flat;
}

/** `text` translated: itself as a key, else under each group in turn; unchanged when none has it. */
export function translateText(text: string, groups: readonly string[], translations: Translations): string {
	const direct = translations.get(text);
	if (direct !== undefined) return direct;
	for (const group of groups) {
		const found = translations.get(`${group}.${text}`);
		if (found !== undefined) return found;
	}
	return text;
}

type Cell = string | number | null | undefined;
type Row = { Year: string | number; Value: Cell; [column: string]: Cell };

interface FilterLike {
	field: string;
	value: string | number;
}
interface OptionsLike {
	series?: string;
	unit?: string;
	disaggregation?: FilterLike[];
	group?: OptionsLike[];
}

const NOT_TRANSLATED_CELLS = new Set([YEAR_COLUMN, VALUE_COLUMN, PROGRESS_COLUMN]);

/**
 * Rows, columns and progress options translated (see the top of this file). Without
 * translations, the inputs come back as they are.
 */
export function translateIndicator<R extends Row, O extends OptionsLike>(
	rows: readonly R[],
	columns: readonly string[],
	options: readonly O[],
	settings: ColumnSettings,
	translations: Translations | undefined
): { rows: readonly R[]; columns: readonly string[]; options: readonly O[] } {
	if (translations === undefined || translations.size === 0) return { rows, columns, options };
	const classifier = columnClassifier(settings);
	const columnName = (name: string) => (classifier.isDisaggregation(name) && name !== 'COMPOSITE_BREAKDOWN' ? translateText(name, [name, 'data'], translations) : name);
	const names = new Map<string, string>();
	for (const column of columns) names.set(column, columnName(column));
	const nameOf = (column: string) => {
		let name = names.get(column);
		if (name === undefined) names.set(column, (name = columnName(column)));
		return name;
	};
	const caches = new Map<string, Map<string, string>>();
	const cellOf = (column: string, text: string) => {
		let cache = caches.get(column);
		if (cache === undefined) caches.set(column, (cache = new Map()));
		let translated = cache.get(text);
		if (translated === undefined) cache.set(text, (translated = translateText(text, [column, 'data'], translations)));
		return translated;
	};
	const translatedRows = rows.map((row) => {
		const out: Record<string, Cell> = {};
		for (const column in row) {
			const cell = row[column];
			out[nameOf(column)] = typeof cell === 'string' && !NOT_TRANSLATED_CELLS.has(column) ? cellOf(column, cell) : cell;
		}
		return out as R;
	});
	const translateOption = (option: O): O => {
		const copy: O = { ...option };
		if (option.series !== undefined) copy.series = cellOf(seriesColumnOf(settings), option.series);
		if (option.unit !== undefined) copy.unit = cellOf(unitColumnOf(settings), option.unit);
		if (option.disaggregation) {
			copy.disaggregation = option.disaggregation.map((d) => ({
				field: nameOf(d.field),
				value: typeof d.value === 'string' ? cellOf(d.field, d.value) : d.value
			}));
		}
		if (option.group) copy.group = option.group.map((member) => translateOption(member as O));
		return copy;
	};
	return { rows: translatedRows, columns: columns.map(nameOf), options: options.map(translateOption) };
}
