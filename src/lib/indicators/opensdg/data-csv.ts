/**
 * Reading and writing one Open SDG data file (`data/indicator_<id>.csv`): a "tidy" CSV with
 * one observation per line, a `Year` and a `Value` column, and any number of other columns
 * (Units, Series, GeoCode, disaggregations such as Gender, observation attributes such as
 * COMMENT_OBS). Pure: text in, typed rows and steward-readable issues out.
 *
 * Tolerated, because published repositories contain it: a byte-order mark, CRLF / LF /
 * CR-only line ends, quoted header names with commas, stray spaces around names and values,
 * blank lines, year periods such as `2009-2010`, thousands separators (`"1,234"`), a wrong
 * capitalisation of the special columns (`year` → `Year`, with a warning), unnamed trailing
 * columns that are entirely empty and trailing empty cells (warnings).
 */
import {
	columnClassifier,
	DEFAULT_COLUMN_SETTINGS,
	type ColumnSettings,
	GEOCODE_COLUMN,
	NON_DISAGGREGATION_COLUMNS,
	OBSERVATION_ATTRIBUTE_COLUMNS,
	PROGRESS_COLUMN,
	SERIES_COLUMN,
	UNITS_COLUMN,
	VALUE_COLUMN,
	YEAR_COLUMN
} from '../columns.ts';
import { neutraliseFormula, restoreFormula } from '#lib/csv/formula.ts';
import { describeNonText, nullCharacterKind } from '../non-text.ts';
import { parse } from 'csv-parse/sync';
import type { CsvError } from 'csv-parse/sync';

/** One problem found in a file, written for the data steward who has to fix it. */
export interface ParseIssue {
	file: string;
	/** 1-based line in the file as an editor shows it; null when the issue is about the whole file. */
	line: number | null;
	column: string | null;
	/** What is wrong and where. */
	message: string;
	/** What to do about it. */
	fix: string;
}

export interface TidyRow {
	/** Line of the file the row starts on. */
	line: number;
	/** As written, trimmed: `2015`, `2009-2010`, `2015-Q1`. */
	year: string;
	/** Blank in the file → null. */
	value: number | null;
	/**
	 * Units, Series, GeoCode and every disaggregation column; only non-blank values. Parsed rows
	 * of one series share this object: read it, do not change it.
	 */
	dims: Record<string, string>;
	/** Observation attributes (COMMENT_OBS, OBS_STATUS, …); only non-blank values. */
	attributes: Record<string, string>;
	/**
	 * Present only when the file has a `Progress` column (Open SDG: values used instead of
	 * `Value` for the progress calculation); blank → null.
	 */
	progress?: number | null;
}

/** What to do with two rows for the same observation that hold different values. */
export type DuplicatePolicy = 'error' | 'keep-first' | 'keep-last';
export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['error', 'keep-first', 'keep-last'];

/** `text` as a duplicates choice; undefined for anything but error, keep-first or keep-last (as written). */
export function asDuplicatePolicy(text: unknown): DuplicatePolicy | undefined {
	return typeof text === 'string' && (DUPLICATE_POLICIES as readonly string[]).includes(text) ? (text as DuplicatePolicy) : undefined;
}

export interface ParseOptions {
	/** The repository's column settings: its observation attributes are read as attributes too. */
	columns?: ColumnSettings;
	/** Default 'error'. Exact duplicates and blank repeats are dropped (with a warning) whatever this says. */
	duplicates?: DuplicatePolicy;
}

export interface ParsedDataFile {
	file: string;
	/** Value cells that hold a number (in rows with or without errors): 0 means the file has no statistical data. */
	numericValues: number;
	/** Header names, cleaned (trimmed, special columns in their canonical spelling), in file order. */
	columns: string[];
	/** Rows without errors, in file order. A row with an error is left out (see `errors`). */
	rows: TidyRow[];
	errors: ParseIssue[];
	warnings: ParseIssue[];
}

export {
	YEAR_COLUMN,
	VALUE_COLUMN,
	UNITS_COLUMN,
	SERIES_COLUMN,
	GEOCODE_COLUMN,
	PROGRESS_COLUMN,
	OBSERVATION_ATTRIBUTE_COLUMNS,
	NON_DISAGGREGATION_COLUMNS
};

const CANONICAL_BY_LOWER = new Map(NON_DISAGGREGATION_COLUMNS.map((name) => [name.toLowerCase(), name]));
const ATTRIBUTES_LOWER = new Set(OBSERVATION_ATTRIBUTE_COLUMNS.map((name) => name.toLowerCase()));

/** Other names accepted for a special column: single-indicator uploads say `period`. */
const ALIASES = new Map([['period', YEAR_COLUMN]]);

/** The canonical spelling of a special column (`year`, `period` → `Year`), or the name itself, trimmed. */
export function canonicalColumnName(name: string): string {
	const trimmed = name.trim();
	const lower = trimmed.toLowerCase();
	return CANONICAL_BY_LOWER.get(lower) ?? ALIASES.get(lower) ?? trimmed;
}

export function isObservationAttributeColumn(name: string, settings?: ColumnSettings): boolean {
	const lower = name.trim().toLowerCase();
	if (ATTRIBUTES_LOWER.has(lower) || columnClassifier(DEFAULT_COLUMN_SETTINGS).isObservationAttribute(name)) return true;
	return settings !== undefined && columnClassifier(settings).isObservationAttribute(name);
}

/** True for Gender, Age, …: every column except Year, Value, Units, Series, GeoCode, Progress and observation attributes. */
export function isDisaggregationColumn(name: string): boolean {
	const trimmed = name.trim();
	return trimmed !== '' && !CANONICAL_BY_LOWER.has(trimmed.toLowerCase()) && !ALIASES.has(trimmed.toLowerCase());
}

const YEAR_PATTERN = /^\d{4}(?:\D.*)?$/s;

/** True for `2015`, `2015-16`, `2009-2010`, `2015-Q1`, `2015/16`: four digits, then nothing or a non-digit. */
export function isValidYear(period: string): boolean {
	return YEAR_PATTERN.test(period.trim());
}

/** The calendar year a period counts as: its first four digits (`2015-16` → 2015). */
export function yearOf(period: string): number {
	const match = /\d{4}/.exec(period);
	if (!match) throw new RangeError(`"${period}" is not a year: a year needs four digits, like 2015 or 2015-16.`);
	return Number(match[0]);
}

/** The common case, read without the checks below: `12`, `-3.25`. */
const PLAIN_NUMBER_PATTERN = /^-?\d{1,15}(?:\.\d{1,15})?$/;
const INFINITY_PATTERN = /^([+-]?)inf(?:inity)?$/i;
const NUMBER_PATTERN = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?(?:[eE][+-]?\d+)?$/;

/**
 * A Value/Progress cell as a number: blank → null; `1,234.5` (thousands separators) and
 * `1e-3` are accepted; anything else → undefined.
 */
export function parseNumericCell(text: string): number | null | undefined {
	const trimmed = text.trim();
	if (trimmed === '') return null;
	if (PLAIN_NUMBER_PATTERN.test(trimmed)) return Number(trimmed);
	// Non-finite numbers, as the published build (pandas) reads them: Inf, -Inf, Infinity, any case.
	const infinite = INFINITY_PATTERN.exec(trimmed);
	if (infinite) return infinite[1] === '-' ? -Infinity : Infinity;
	if (!NUMBER_PATTERN.test(trimmed) || !/\d/.test(trimmed.replace(/[eE].*$/, ''))) return undefined;
	const value = Number(trimmed.replaceAll(',', ''));
	return Number.isFinite(value) ? value : undefined;
}

/** One line for a log or a CLI: `data/indicator_1-2-1.csv, line 4, column Value: … Fix: …`. */
export function formatIssue(issue: ParseIssue): string {
	// Messages about a line already start with "Line 4, column Value: …".
	if (/^Lines? \d/.test(issue.message)) return `${issue.file}: ${issue.message} ${issue.fix}`;
	const where = [issue.file, issue.line === null ? null : `line ${issue.line}`, issue.column === null ? null : `column ${issue.column}`]
		.filter((part) => part !== null)
		.join(', ');
	return `${where}: ${issue.message} ${issue.fix}`;
}

/** After this many errors a file's remaining errors are counted, not listed. */
export const MAX_LISTED_ERRORS = 100;

export interface RawRecord {
	cells: string[];
	line: number;
}

export interface SkippedRecord {
	error: CsvError;
	line: number;
}

const MISSING_VALUE_MARKERS = new Set(['na', 'n/a', 'n.a.', '-', '–', '—', '..', '...', 'null', 'nan', 'none', 'x', '*', '?']);

function valueFix(text: string, column: string): string {
	const t = text.trim();
	if (MISSING_VALUE_MARKERS.has(t.toLowerCase())) {
		return `Leave the ${column} cell empty when there is no value; Open SDG shows a gap. Use a COMMENT_OBS column to say why, if needed.`;
	}
	if (t.includes('%')) return `Write the number without the % sign (e.g. 12.5) and name the unit in a Units column.`;
	if (/[$€£¥]/.test(t)) return `Write the number without the currency sign (e.g. 1250.75) and name the unit in a Units column.`;
	if (/^[+-]?\d+,\d{1,2}$/.test(t) || /^[+-]?\d{1,3}(?:\.\d{3})+,\d+$/.test(t)) {
		return `Use a point as the decimal separator (e.g. 12.5); a comma is only allowed between thousands (1,234).`;
	}
	return `Write a plain number such as 1234.5 (thousands separators like 1,234 are allowed), or leave the cell empty if there is no value.`;
}

function lineOfRecord(endLine: number, raw: string | undefined): number {
	if (raw === undefined) return endLine;
	// The common case: one line, no blank lines before it.
	const firstBreak = raw.indexOf('\n');
	if (firstBreak === -1 || firstBreak === raw.length - 1) return endLine;
	// The raw text of a record starts with any blank lines skipped before it and ends with its
	// line break; what is left spans the record's own lines (a quoted value may hold line breaks).
	const own = raw.replace(/^(?:[^\S\n]*\n)+/, '').replace(/\n$/, '');
	let breaks = 0;
	for (const char of own) if (char === '\n') breaks++;
	return endLine - breaks;
}

const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;

/**
 * Splits a file into records without csv-parse, for files in plain CSV: the common case,
 * several times faster. Gives the same cells (up to surrounding white space, which every
 * reader of the cells trims) and lines as `readRecordsWithCsvParse`, or null as soon as the
 * text holds anything that parser treats specially (a quote inside an unquoted value, text
 * after a closing quote, an unclosed quote, …), so that it reads the file and reports the problem.
 * `body` has LF line ends and no byte-order mark.
 */
export function readPlainCsvRecords(body: string): RawRecord[] | null {
	if (body.charCodeAt(0) === 0xfeff) return null;
	const records: RawRecord[] = [];
	const length = body.length;
	let nextQuote = body.indexOf('"');
	let pos = 0;
	let line = 1;
	while (pos < length) {
		let end = body.indexOf('\n', pos);
		if (end === -1) end = length;
		if (nextQuote !== -1 && nextQuote < pos) nextQuote = body.indexOf('"', pos);
		if (nextQuote === -1 || nextQuote > end) {
			// A line without quotes: split at the commas. Lines of only white space are skipped, as csv-parse does.
			const text = body.slice(pos, end);
			if (text !== '' && text.trim() !== '') records.push({ cells: text.split(','), line });
			pos = end + 1;
			line++;
			continue;
		}
		// A line with quotes: read value by value; a quoted value may span lines.
		const cells: string[] = [];
		const recordLine = line;
		let p = pos;
		for (;;) {
			let q = p;
			let c = body.charCodeAt(q);
			while (c === SPACE || c === TAB) c = body.charCodeAt(++q);
			if (c === QUOTE) {
				let value = '';
				let chunk = q + 1;
				let r = chunk;
				for (;;) {
					const close = body.indexOf('"', r);
					if (close === -1) return null;
					if (body.charCodeAt(close + 1) === QUOTE) {
						value += body.slice(chunk, close + 1);
						r = chunk = close + 2;
						continue;
					}
					value += body.slice(chunk, close);
					r = close + 1;
					break;
				}
				for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) line++;
				cells.push(value);
				c = body.charCodeAt(r);
				while (c === SPACE || c === TAB) c = body.charCodeAt(++r);
				if (c === COMMA) {
					p = r + 1;
					continue;
				}
				if (r >= length || c === NEWLINE) {
					p = r + 1;
					break;
				}
				return null;
			}
			let r = q;
			while (r < length && c !== COMMA && c !== NEWLINE) {
				if (c === QUOTE) return null;
				c = body.charCodeAt(++r);
			}
			cells.push(body.slice(p, r));
			p = r + 1;
			if (c !== COMMA) break;
		}
		records.push({ cells, line: recordLine });
		pos = p;
		line++;
	}
	return records;
}

function readRecords(body: string): { records: RawRecord[]; skipped: SkippedRecord[] } {
	const records = readPlainCsvRecords(body);
	return records ? { records, skipped: [] } : readRecordsWithCsvParse(body);
}

/** csv-parse, lenient: reads whatever can be read and reports each record it has to skip. */
export function readRecordsWithCsvParse(text: string): { records: RawRecord[]; skipped: SkippedRecord[] } {
	const records: RawRecord[] = [];
	const skipped: SkippedRecord[] = [];
	parse(text, {
		bom: true,
		raw: true,
		trim: true,
		relax_quotes: true,
		relax_column_count: true,
		skip_empty_lines: true,
		skip_records_with_error: true,
		on_skip: (error, raw) => {
			if (error) skipped.push({ error, line: lineOfRecord(typeof error.lines === 'number' ? error.lines : 0, raw) });
			return undefined;
		},
		on_record: (record, context) => {
			// With `raw: true` csv-parse hands over { record, raw }; accept a bare array too.
			const cells: unknown = Array.isArray(record) ? record : (record as unknown as { record: unknown }).record;
			records.push({
				cells: Array.isArray(cells) ? (cells.every((c) => typeof c === 'string') ? (cells as string[]) : cells.map(String)) : [],
				line: lineOfRecord(context.lines, context.raw)
			});
			return null;
		}
	});
	return { records, skipped };
}

export function csvErrorIssue(file: string, skipped: SkippedRecord, restLost: boolean): ParseIssue {
	const { error, line } = skipped;
	const lost = restLost ? ' Nothing after this point could be read.' : '';
	switch (error.code) {
		case 'CSV_QUOTE_NOT_CLOSED':
			return {
				file,
				line,
				column: null,
				message: `Line ${line}: a value starts with a double quote (") that is never closed.${lost}`,
				fix: 'Close the quoted value with a second double quote, or, if the quote is part of the text, write it twice ("") inside a quoted value.'
			};
		case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
		case 'CSV_INVALID_CLOSING_QUOTE':
		case 'INVALID_OPENING_QUOTE':
			return {
				file,
				line,
				column: null,
				message: `Line ${line}: a quoted value is followed by more text before the next comma.${lost}`,
				fix: 'Put the whole value in double quotes and write every quote that is part of the text twice, e.g. "5"" tall".'
			};
		default:
			return {
				file,
				line,
				column: null,
				message: `Line ${line}: the line cannot be read as CSV (${error.message}).${lost}`,
				fix: 'Open the file in a spreadsheet program or text editor, correct the line and save it as comma-separated CSV (UTF-8).'
			};
	}
}

function listLines(lines: readonly number[]): string {
	return `line ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? ', …' : ''}`;
}

function describeObservation(year: string, dims: Record<string, string>): string {
	const parts = Object.entries(dims).map(([column, value]) => `${column} "${value}"`);
	return `Year ${year}, ${parts.length === 0 ? 'no other column filled in' : parts.join(', ')}`;
}

function sameContent(a: TidyRow, b: TidyRow): boolean {
	if (!Object.is(a.value, b.value) || a.progress !== b.progress) return false;
	const keysA = Object.keys(a.attributes);
	if (keysA.length !== Object.keys(b.attributes).length) return false;
	return keysA.every((k) => a.attributes[k] === b.attributes[k]);
}

function shownValue(row: TidyRow): string {
	const parts = [row.value === null ? 'no value' : String(row.value)];
	for (const [name, text] of Object.entries(row.attributes)) parts.push(`${name} "${text}"`);
	return parts.join(', ');
}

interface SeriesLeaf {
	dims: Record<string, string>;
	/** Index in the result's rows of the row for each year. */
	rowOfYear: Map<string, number>;
}
type SeriesNode = Map<string, SeriesNode | SeriesLeaf>;

function newSeriesLeaf(dimensionColumns: ReadonlyArray<{ index: number; name: string }>, cells: readonly string[]): SeriesLeaf {
	const dims: Record<string, string> = {};
	for (const { index, name } of dimensionColumns) {
		const cell = (cells[index] ?? '').trim();
		if (cell !== '') dims[name] = restoreFormula(cell);
	}
	return { dims, rowOfYear: new Map() };
}

/**
 * Parse one Open SDG data CSV. `fileName` is only used to label issues (use the path
 * relative to the repository, e.g. `data/indicator_1-2-1.csv`).
 */
export function parseIndicatorCsv(text: string, fileName: string, options: ParseOptions = {}): ParsedDataFile {
	const file = fileName;
	const errors: ParseIssue[] = [];
	const warnings: ParseIssue[] = [];
	const result: ParsedDataFile = { file, numericValues: 0, columns: [], rows: [], errors, warnings };
	const duplicates = options.duplicates ?? 'error';

	const notText = nullCharacterKind(text);
	if (notText) {
		errors.push({ file, line: null, column: null, ...describeNonText(notText, 'en') });
		return result;
	}

	const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const body = withoutBom.includes('\r') ? withoutBom.replace(/\r\n?/g, '\n') : withoutBom;
	if (body.trim() === '') {
		errors.push({
			file,
			line: null,
			column: null,
			message: 'The file is empty.',
			fix: 'Add a header line (Year, any disaggregation columns, Value) and one line per observation, or delete the file if the indicator has no data yet.'
		});
		return result;
	}

	const replacementLine = body.includes('\uFFFD') ? body.split('\n').findIndex((line) => line.includes('\uFFFD')) : -1;
	if (replacementLine >= 0) {
		warnings.push({
			file,
			line: replacementLine + 1,
			column: null,
			message: `Line ${replacementLine + 1} contains characters that could not be read (shown as �); the file is probably not saved as UTF-8.`,
			fix: 'Save the file again with the encoding "CSV UTF-8".'
		});
	}

	const { records, skipped } = readRecords(body);
	const lastRecordLine = records.at(-1)?.line ?? 0;
	const lastTextLine = skipped.length ? body.replace(/\s+$/, '').split('\n').length : 0;
	for (const skip of skipped) {
		const restLost = skip.line >= lastRecordLine && skip.line < lastTextLine;
		errors.push(csvErrorIssue(file, skip, restLost));
	}

	const header = records[0];
	if (!header) return result;
	const headerLine = header.line;

	// Header: trim, canonical spelling of special columns, unnamed columns, duplicates.
	// A name or value that starts like a formula was written with an apostrophe (see csv/formula.ts).
	const names = header.cells.map((cell) => restoreFormula(cell.trim()));
	const dataRecords = records.slice(1);
	const keep: number[] = [];
	let headerBroken = false;
	names.forEach((name, index) => {
		if (name === '') {
			const used = dataRecords.some((record) => (record.cells[index] ?? '').trim() !== '');
			if (used) {
				headerBroken = true;
				errors.push({
					file,
					line: headerLine,
					column: null,
					message: `Line ${headerLine}: column ${index + 1} has no name but holds values.`,
					fix: 'Give the column a name in the header line (for example the disaggregation it holds, like "Gender"), or delete the column.'
				});
			} else {
				warnings.push({
					file,
					line: headerLine,
					column: null,
					message: `Line ${headerLine}: column ${index + 1} has no name and no values; it is ignored.`,
					fix: 'Delete the empty column (often a trailing comma at the end of each line).'
				});
			}
			return;
		}
		keep.push(index);
	});

	const columns: string[] = [];
	const seen = new Map<string, number>();
	for (const index of keep) {
		const written = names[index] ?? '';
		const name = canonicalColumnName(written);
		if (name !== written) {
			warnings.push({
				file,
				line: headerLine,
				column: name,
				message: `Line ${headerLine}: column "${written}" is read as "${name}".`,
				fix: `Rename the column to "${name}" exactly: Open SDG itself distinguishes upper and lower case.`
			});
		}
		const first = seen.get(name.toLowerCase());
		if (first !== undefined) {
			headerBroken = true;
			errors.push({
				file,
				line: headerLine,
				column: name,
				message: `Line ${headerLine}: columns ${first + 1} and ${index + 1} are both named "${name}".`,
				fix: 'Rename one of them, or merge them into one column.'
			});
		} else {
			seen.set(name.toLowerCase(), index);
		}
		columns.push(name);
	}
	result.columns = columns;

	for (const required of [YEAR_COLUMN, VALUE_COLUMN]) {
		if (columns.includes(required)) continue;
		headerBroken = true;
		const single = names.length === 1 ? (names[0] ?? '') : '';
		const separator = single.includes(';') ? 'semicolons' : single.includes('\t') ? 'tabs' : null;
		errors.push({
			file,
			line: headerLine,
			column: required,
			message: `The header (line ${headerLine}) has no ${required} column. Columns found: ${names.filter((n) => n !== '').join(', ') || 'none'}.`,
			fix:
				separator !== null
					? `The file seems to separate values with ${separator}; save it as comma-separated CSV (UTF-8).`
					: required === YEAR_COLUMN
						? 'Add a column named Year holding the year of each observation (e.g. 2015 or 2015-16), or rename the column that holds it to Year.'
						: 'Add a column named Value holding the number of each observation, or rename the column that holds it to Value.'
		});
	}
	if (headerBroken) return result;

	if (dataRecords.length === 0) {
		warnings.push({
			file,
			line: null,
			column: null,
			message: 'The file has a header but no data rows.',
			fix: 'Add one line per observation below the header, or delete the file if the indicator has no data yet.'
		});
		return result;
	}

	const width = names.length;
	const kinds = keep.map((index) => {
		const name = canonicalColumnName(names[index] ?? '');
		const kind =
			name === YEAR_COLUMN
				? 'year'
				: name === VALUE_COLUMN
					? 'value'
					: name === PROGRESS_COLUMN
						? 'progress'
						: isObservationAttributeColumn(name, options.columns)
							? 'attribute'
							: 'dim';
		return { index, name, kind };
	});
	const hasProgress = columns.includes(PROGRESS_COLUMN);

	let unlisted = 0;
	const addError = (issue: ParseIssue) => {
		if (errors.length < MAX_LISTED_ERRORS) errors.push(issue);
		else unlisted++;
	};
	const blankLines: number[] = [];
	const trailingLines: number[] = [];

	// Year, Value and Progress are checked in column order, so that a row's errors are listed in that order.
	const checked = kinds.filter((k) => k.kind === 'year' || k.kind === 'value' || k.kind === 'progress');
	const attributeColumns = kinds.filter((k) => k.kind === 'attribute');
	const dimensionColumns = kinds.filter((k) => k.kind === 'dim');
	const validYears = new Map<string, boolean>();
	// The series seen so far, as a tree over the dimension cells in column order. Rows of the
	// same series share one dims object, and each series knows the line of each year.
	const seriesTree: SeriesNode = new Map();

	for (const record of dataRecords) {
		const { cells, line } = record;
		let blank = true;
		for (const cell of cells) {
			if (cell.trim() !== '') {
				blank = false;
				break;
			}
		}
		if (blank) {
			blankLines.push(line);
			continue;
		}
		if (cells.length < width || (cells.length > width && cells.slice(width).some((cell) => cell.trim() !== ''))) {
			addError({
				file,
				line,
				column: null,
				message: `Line ${line} has ${cells.length} values but the header (line ${headerLine}) has ${width} columns.`,
				fix:
					cells.length > width
						? 'A value probably contains a comma: put that value in double quotes ("Management, business"), or remove the extra comma.'
						: `Add the missing commas so that the line has ${width} values (an empty value is written as nothing between two commas).`
			});
			continue;
		}
		if (cells.length > width) trailingLines.push(line);

		let year = '';
		let value: number | null = null;
		let progress: number | null = null;
		let rowOk = true;
		for (const { index, name, kind } of checked) {
			const cell = (cells[index] ?? '').trim();
			if (kind === 'year') {
				year = cell;
				let valid = validYears.get(cell);
				if (valid === undefined) validYears.set(cell, (valid = isValidYear(cell)));
				if (cell === '') {
					rowOk = false;
					addError({
						file,
						line,
						column: YEAR_COLUMN,
						message: `Line ${line}, column Year: the year is missing.`,
						fix: 'Write the year of the observation, as four digits (2015) or a period starting with the year (2015-16).'
					});
				} else if (!valid) {
					rowOk = false;
					addError({
						file,
						line,
						column: YEAR_COLUMN,
						message: `Line ${line}, column Year: "${cell}" is not a year.`,
						fix: 'Write the year as four digits (2015), or a period that starts with the year (2015-16, 2009-2010, 2015-Q1).'
					});
				}
			} else {
				const parsed = parseNumericCell(cell);
				if (parsed === undefined) {
					rowOk = false;
					addError({
						file,
						line,
						column: name,
						message: `Line ${line}, column ${name}: "${cell}" is not a number.`,
						fix: valueFix(cell, name)
					});
				} else if (kind === 'value') {
					value = parsed;
					if (parsed !== null) result.numericValues++;
				} else {
					progress = parsed;
				}
			}
		}
		if (!rowOk) continue;

		let node = seriesTree;
		let series: SeriesLeaf | undefined;
		for (let d = 0; d < dimensionColumns.length; d++) {
			const cell = restoreFormula((cells[dimensionColumns[d]!.index] ?? '').trim());
			let next = node.get(cell);
			if (next === undefined) node.set(cell, (next = d === dimensionColumns.length - 1 ? newSeriesLeaf(dimensionColumns, cells) : new Map()));
			if (next instanceof Map) node = next;
			else series = next;
		}
		if (series === undefined) {
			// No dimension columns: one series.
			let only = seriesTree.get('');
			if (only === undefined) seriesTree.set('', (only = newSeriesLeaf(dimensionColumns, cells)));
			series = only as SeriesLeaf;
		}
		const attributes: Record<string, string> = {};
		for (const { index, name } of attributeColumns) {
			const cell = (cells[index] ?? '').trim();
			if (cell !== '') attributes[name] = restoreFormula(cell);
		}
		const row: TidyRow = { line, year, value, dims: series.dims, attributes };
		if (hasProgress) row.progress = progress;

		const firstIndex = series.rowOfYear.get(year);
		if (firstIndex !== undefined) {
			const first = result.rows[firstIndex]!;
			const pair = `Lines ${first.line} and ${line} are the same observation (${describeObservation(year, series.dims)})`;
			if (sameContent(first, row)) {
				warnings.push({ file, line, column: null, message: `${pair}, written twice; line ${line} is skipped.`, fix: `Delete line ${line}.` });
			} else if (first.value !== null && row.value === null) {
				warnings.push({ file, line, column: null, message: `${pair}; line ${line} has no value and is skipped.`, fix: `Delete line ${line}.` });
			} else if (first.value === null && row.value !== null) {
				warnings.push({ file, line, column: null, message: `${pair}; line ${first.line} has no value and is skipped.`, fix: `Delete line ${first.line}.` });
				result.rows[firstIndex] = row;
			} else if (duplicates === 'error') {
				addError({
					file,
					line,
					column: null,
					message: `${pair} with different values (${shownValue(first)} and ${shownValue(row)}).`,
					fix: 'Delete one of the two lines, or tell them apart with a value in a disaggregation column; or import with the choice to keep the first or the last of such lines.'
				});
			} else {
				const kept = duplicates === 'keep-first' ? first : row;
				const dropped = kept === first ? row : first;
				warnings.push({
					file,
					line,
					column: null,
					message: `${pair} with different values (${shownValue(first)} and ${shownValue(row)}); line ${kept.line} is kept, line ${dropped.line} is skipped, as asked.`,
					fix: `Delete line ${dropped.line} in the file.`
				});
				if (kept === row) result.rows[firstIndex] = row;
			}
			continue;
		}
		series.rowOfYear.set(year, result.rows.length);
		result.rows.push(row);
	}

	if (blankLines.length > 0) {
		warnings.push({
			file,
			line: blankLines[0] ?? null,
			column: null,
			message: `${blankLines.length} line(s) have only empty values and are skipped (${listLines(blankLines)}).`,
			fix: 'Delete the empty lines.'
		});
	}
	if (trailingLines.length > 0) {
		warnings.push({
			file,
			line: trailingLines[0] ?? null,
			column: null,
			message: `${trailingLines.length} line(s) end with empty values beyond the header's ${width} columns; the extra values are ignored (${listLines(trailingLines)}).`,
			fix: 'Remove the extra commas at the end of those lines.'
		});
	}
	if (result.rows.length === 0 && errors.length === 0) {
		warnings.push({
			file,
			line: null,
			column: null,
			message: 'The file has a header but no data rows.',
			fix: 'Add one line per observation below the header, or delete the file if the indicator has no data yet.'
		});
	}
	if (unlisted > 0) {
		errors.push({
			file,
			line: null,
			column: null,
			message: `${unlisted} more problem(s) in this file are not listed.`,
			fix: 'Fix the problems listed above and import the file again to see the rest.'
		});
	}
	return result;
}

function formatNumber(value: number): string {
	if (Number.isNaN(value)) throw new RangeError(`Cannot write NaN to an Open SDG CSV: leave the cell empty for no value.`);
	if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
	// String() gives the shortest text that reads back as the same double; keep the sign of -0.
	return Object.is(value, -0) ? '-0' : String(value);
}

/** A text cell: safe to open in a spreadsheet (see csv/formula.ts), quoted only where needed. */
function textCell(text: string): string {
	const safe = neutraliseFormula(text);
	return /[",\n\r]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The columns for rows that were not read from a file: Year, the dimensions and attributes in
 * the order first met, Value, then Progress when any row has one.
 */
export function columnsForRows(rows: readonly TidyRow[]): string[] {
	const dims = new Set<string>();
	const attributes = new Set<string>();
	let progress = false;
	for (const row of rows) {
		for (const name of Object.keys(row.dims)) dims.add(name);
		for (const name of Object.keys(row.attributes)) attributes.add(name);
		if (row.progress !== undefined) progress = true;
	}
	return [YEAR_COLUMN, ...dims, ...attributes, VALUE_COLUMN, ...(progress ? [PROGRESS_COLUMN] : [])];
}

/**
 * Write an Open SDG data CSV: header = `columns`, LF line ends, values quoted only where
 * needed, numbers in the shortest form that reads back as the same number, blanks empty.
 * Text that a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) is written with a
 * leading apostrophe, which `parseIndicatorCsv` takes off again.
 * Throws when `columns` lack Year or Value, or a row holds a column not in `columns`
 * (that value would be lost).
 */
export function serializeIndicatorCsv(columns: string[], rows: TidyRow[]): string {
	const names = columns.map(canonicalColumnName);
	for (const required of [YEAR_COLUMN, VALUE_COLUMN]) {
		if (!names.includes(required)) throw new Error(`Cannot write an Open SDG CSV without a ${required} column (columns: ${columns.join(', ')}).`);
	}
	const known = new Set(names);
	const lines = [names.map(textCell).join(',')];
	for (const row of rows) {
		for (const name of [...Object.keys(row.dims), ...Object.keys(row.attributes)]) {
			if (!known.has(name)) throw new Error(`Row of year ${row.year} has a value for "${name}", which is not among the columns (${names.join(', ')}).`);
		}
		const cells = names.map((name) => {
			if (name === YEAR_COLUMN) return textCell(row.year);
			if (name === VALUE_COLUMN) return row.value === null ? '' : formatNumber(row.value);
			if (name === PROGRESS_COLUMN) return row.progress === undefined || row.progress === null ? '' : formatNumber(row.progress);
			const text = isObservationAttributeColumn(name) ? row.attributes[name] : row.dims[name];
			return text === undefined ? '' : textCell(text);
		});
		lines.push(cells.join(','));
	}
	return lines.join('\n') + '\n';
}
