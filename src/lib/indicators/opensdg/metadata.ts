/**
 * Reading and writing Open SDG indicator metadata, in its three homes:
 *
 * - `meta/<id>.md`: YAML front matter between `---` lines, then Markdown page content;
 * - `meta/<id>.yml`: YAML only (page content, if any, under `page_content`);
 * - `indicator-config/<id>.yml`: YAML "config" fields (reporting_status, graph_type,
 *   auto_progress_calculation, progress_calculation_options, …).
 *
 * Each is read into the same normalized `IndicatorMetadata`, keeping every field as written in
 * `raw` so an exporter can write the file back without losing what Sac2050 does not model.
 * Tolerant of how published repositories write values ('true', 'yes', "2030", `target: '5'`),
 * strict where a wrong value would silently change a result (direction, numbers, years).
 * Pure: text in, typed result and steward-readable issues out.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { ParseIssue } from './data-csv.ts';
import { isValidYear, parseNumericCell, yearOf } from './data-csv.ts';
import { isValidIndicatorId, normalizeRepositoryPath } from './repository-layout.ts';

/** Open SDG's reporting status types; a repository may declare and use others (kept as written). */
export type OpenSdgReportingStatus = 'complete' | 'inprogress' | 'notstarted';
export type ReportingStatus = OpenSdgReportingStatus | (string & {});
export const REPORTING_STATUSES: readonly OpenSdgReportingStatus[] = ['complete', 'inprogress', 'notstarted'];

/** The statuses Open SDG 2.x computes or accepts as a manual `progress_status`. */
export const PROGRESS_STATUSES: readonly string[] = [
	'not_available',
	'deterioration',
	'limited_progress',
	'moderate_progress',
	'substantial_progress',
	'target_achieved'
];

/** Graph types Open SDG draws. Other values are kept, with a warning. */
export const GRAPH_TYPES: readonly string[] = ['line', 'bar', 'binary', 'stacked_bar'];

export interface DisaggregationFilter {
	field: string;
	value: string;
}

/** One entry of `progress_calculation_options` (see docs/PROGRESS-METHOD.md for the meaning and defaults). */
export interface ProgressCalculationOption {
	direction?: 'positive' | 'negative';
	base_year?: number;
	target?: number;
	target_year?: number;
	limit?: number;
	series?: string;
	unit?: string;
	disaggregation?: DisaggregationFilter[];
	/** Entries averaged into one score before the indicator mean. */
	group?: ProgressCalculationOption[];
}

/** The numbered `source_*_<n>` fields of one source. */
export interface MetadataSource {
	index: number;
	/** `source_active_<n>`; null when absent (Open SDG then shows the source). */
	active: boolean | null;
	organisation?: string;
	/** Only an http(s) address; other text in `source_url_<n>` is left in `raw`. */
	url?: string;
	url_text?: string;
}

export interface IndicatorMetadata {
	/** Dashed id (`1-2-1`): from the file name when it has one, else from `indicator_number` / `indicator`. */
	id?: string;
	/** indicator_display_name, else indicator_name, else graph_title, else title (unless "Untitled"). */
	name?: string;
	/** national_indicator_description, else indicator_definition. */
	description?: string;
	/** computation_units, else unit. */
	unit?: string;
	graph_type?: string;
	graph_title?: string;
	reporting_status?: ReportingStatus;
	published?: boolean;
	data_non_statistical?: boolean;
	auto_progress_calculation?: boolean;
	progress_status?: string;
	progress_calculation_options?: ProgressCalculationOption[];
	/** Organisation of the first shown source that names one or has a web address. */
	source_name?: string;
	source_url?: string;
	/** Every numbered source, in index order (derived from `raw`; not written back). */
	sources?: MetadataSource[];
	/** Markdown page content: the body of a `.md` file, or `page_content` of a `.yml` file. */
	content?: string;
	/** Every field as parsed (front matter only, for a `.md` file). */
	raw: Record<string, unknown>;
}

export interface ParsedMetadata {
	file: string;
	metadata: IndicatorMetadata;
	errors: ParseIssue[];
	warnings: ParseIssue[];
	/**
	 * Problems in `progress_calculation_options` of a file that does not switch the
	 * calculation on: the options are then not read, so these are no reason to reject the
	 * indicator. An importer that finds the calculation on in another file of the indicator
	 * treats them as errors.
	 */
	optionErrors: ParseIssue[];
}

type Path = readonly (string | number)[];

interface Context {
	file: string;
	errors: ParseIssue[];
	warnings: ParseIssue[];
	lineOf: (path: Path) => number | null;
	optionErrors?: ParseIssue[];
}

/** Fields read from one of several keys, and the key each was read from (for writing back). */
type KeyedField =
	| 'name'
	| 'description'
	| 'unit'
	| 'graph_type'
	| 'graph_title'
	| 'reporting_status'
	| 'published'
	| 'data_non_statistical'
	| 'auto_progress_calculation'
	| 'progress_status'
	| 'progress_calculation_options';

const READ_KEYS: Record<KeyedField, readonly string[]> = {
	name: ['indicator_display_name', 'indicator_name', 'graph_title', 'title'],
	description: ['national_indicator_description', 'indicator_definition'],
	unit: ['computation_units', 'unit'],
	graph_type: ['graph_type'],
	graph_title: ['graph_title'],
	reporting_status: ['reporting_status'],
	published: ['published'],
	data_non_statistical: ['data_non_statistical'],
	auto_progress_calculation: ['auto_progress_calculation'],
	progress_status: ['progress_status'],
	progress_calculation_options: ['progress_calculation_options']
};

/** Where a field is written when the file did not have it yet. */
const WRITE_KEY: Record<KeyedField, string> = {
	name: 'indicator_name',
	description: 'national_indicator_description',
	unit: 'computation_units',
	graph_type: 'graph_type',
	graph_title: 'graph_title',
	reporting_status: 'reporting_status',
	published: 'published',
	data_non_statistical: 'data_non_statistical',
	auto_progress_calculation: 'auto_progress_calculation',
	progress_status: 'progress_status',
	progress_calculation_options: 'progress_calculation_options'
};

const KEYED_FIELDS = Object.keys(READ_KEYS) as KeyedField[];

interface Normalized {
	metadata: IndicatorMetadata;
	keyOf: Partial<Record<KeyedField, string>>;
	sourceIndex: number | null;
}

// ---------------------------------------------------------------- value helpers

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function describe(value: unknown): string {
	return typeof value === 'string' ? `"${value}"` : Array.isArray(value) ? 'a list' : isRecord(value) ? 'a set of fields' : String(value);
}

function pathLabel(path: Path): string {
	return path.map((part, i) => (typeof part === 'number' ? `[entry ${part + 1}]` : i === 0 ? part : `.${part}`)).join('');
}

function issue(ctx: Context, path: Path, message: string, fix: string): ParseIssue {
	const line = ctx.lineOf(path);
	return { file: ctx.file, line, column: pathLabel(path), message: line === null ? message : `Line ${line}: ${message}`, fix };
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'off', '0']);

function booleanAt(ctx: Context, path: Path, value: unknown): boolean | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
	if (typeof value === 'string') {
		const word = value.trim().toLowerCase();
		if (word === '') return undefined;
		if (TRUE_WORDS.has(word)) return true;
		if (FALSE_WORDS.has(word)) return false;
	}
	ctx.errors.push(issue(ctx, path, `${pathLabel(path)} is ${describe(value)}, which is neither true nor false.`, `Write ${pathLabel(path)}: true or ${pathLabel(path)}: false.`));
	return undefined;
}

function numberAt(ctx: Context, path: Path, value: unknown): number | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string') {
		const parsed = parseNumericCell(value);
		if (parsed === null) return undefined;
		if (parsed !== undefined) return parsed;
	}
	ctx.errors.push(issue(ctx, path, `${pathLabel(path)} is ${describe(value)}, which is not a number.`, `Write a plain number, e.g. ${String(path.at(-1))}: 5.5, or remove the line.`));
	return undefined;
}

function yearAt(ctx: Context, path: Path, value: unknown): number | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 1000 && value <= 9999) return value;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		if (isValidYear(value)) return yearOf(value.trim());
	}
	ctx.errors.push(issue(ctx, path, `${pathLabel(path)} is ${describe(value)}, which is not a year.`, `Write the year as four digits, e.g. ${String(path.at(-1))}: 2015.`));
	return undefined;
}

function stringAt(ctx: Context, path: Path, value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	const text = textOf(value);
	if (text === undefined && typeof value !== 'string') {
		ctx.errors.push(issue(ctx, path, `${pathLabel(path)} is ${describe(value)}, where a text is expected.`, `Write ${pathLabel(path)} as a single text value.`));
	}
	return text;
}

// ---------------------------------------------------------------- progress options

const OPTION_KEYS = ['direction', 'base_year', 'target', 'target_year', 'limit', 'series', 'unit', 'disaggregation', 'group', 'progress_thresholds'];

function disaggregationAt(ctx: Context, path: Path, value: unknown): DisaggregationFilter[] | undefined {
	if (value === null || value === undefined) return undefined;
	let entries: { path: Path; field: unknown; value: unknown }[];
	if (Array.isArray(value)) {
		entries = value.map((item, i) => (isRecord(item) ? { path: [...path, i], field: item['field'], value: item['value'] } : { path: [...path, i], field: undefined, value: item }));
	} else if (isRecord(value) && 'field' in value) {
		entries = [{ path, field: value['field'], value: value['value'] }];
	} else if (isRecord(value)) {
		// Tolerated short form: { Gender: Female, Age: 15-24 }.
		entries = Object.entries(value).map(([field, v]) => ({ path: [...path, field], field, value: v }));
	} else {
		ctx.errors.push(issue(ctx, path, `${pathLabel(path)} is ${describe(value)}, where a list of {field, value} pairs is expected.`, 'Write it as a list, e.g. disaggregation: [{field: Gender, value: Female}].'));
		return undefined;
	}
	const filters: DisaggregationFilter[] = [];
	let broken = false;
	for (const entry of entries) {
		const field = textOf(entry.field);
		const filterValue = textOf(entry.value);
		if (field === undefined || filterValue === undefined) {
			broken = true;
			ctx.errors.push(
				issue(ctx, entry.path, `${pathLabel(entry.path)} needs both a field (a column of the data, e.g. Gender) and a value (e.g. Female).`, 'Write each disaggregation as {field: <column>, value: <value in that column>}.')
			);
			continue;
		}
		filters.push({ field, value: filterValue });
	}
	// A partial filter would select other rows than intended: keep none (the error says why).
	return broken ? undefined : filters;
}

function progressOptionAt(ctx: Context, path: Path, value: unknown, depth: number): ProgressCalculationOption | undefined {
	if (value === null || value === undefined) return {};
	if (!isRecord(value)) {
		ctx.errors.push(issue(ctx, path, `${pathLabel(path)} is ${describe(value)}, where a set of options (direction, target, …) is expected.`, 'Write each entry as fields like "- direction: negative" and "  target: 5".'));
		return undefined;
	}
	const option: ProgressCalculationOption = {};
	for (const [key, v] of Object.entries(value)) {
		const at = [...path, key];
		switch (key) {
			case 'direction': {
				// As published: "positive" (trimmed, as written) is positive; anything else, a blank included, is negative.
				const word = typeof v === 'string' ? v.trim() : undefined;
				option.direction = word === 'positive' ? 'positive' : 'negative';
				if (word !== 'positive' && word !== 'negative')
					ctx.warnings.push(issue(ctx, at, `${pathLabel(at)} is ${v === null || v === undefined || word === '' ? 'blank' : describe(v)}; it is read as negative (lower is better).`, 'Write direction: positive (higher is better) or direction: negative (lower is better).'));
				break;
			}
			case 'base_year':
			case 'target_year': {
				const year = yearAt(ctx, at, v);
				if (year !== undefined) option[key] = year;
				break;
			}
			case 'target':
			case 'limit': {
				if (Array.isArray(v) || (typeof v === 'string' && v.trim() === '')) {
					// As published: a blank or a list is no value.
					ctx.warnings.push(issue(ctx, at, `${pathLabel(at)} is ${Array.isArray(v) ? (v.length === 0 ? 'an empty list' : 'a list') : 'blank'}; it is read as no ${key}.`, `Write one number, e.g. ${key}: 5, or remove the line.`));
					break;
				}
				const number = numberAt(ctx, at, v);
				if (number !== undefined) option[key] = number;
				break;
			}
			case 'series':
			case 'unit': {
				const text = stringAt(ctx, at, v);
				if (text !== undefined) option[key] = text;
				break;
			}
			case 'disaggregation': {
				const filters = disaggregationAt(ctx, at, v);
				if (filters !== undefined) option.disaggregation = filters;
				break;
			}
			case 'group': {
				// Groups nest to any depth; each is averaged level by level.
				const group = progressOptionsAt(ctx, at, v, depth + 1);
				if (group !== undefined) option.group = group;
				break;
			}
			case 'progress_thresholds':
				break; // accepted by sdg-build, not used by Sac2050; kept in raw.
			default:
				ctx.warnings.push(issue(ctx, at, `${pathLabel(at)} is not a progress option and is ignored.`, `Check the spelling; the options are ${OPTION_KEYS.filter((k) => k !== 'progress_thresholds').join(', ')}.`));
		}
	}
	return option;
}

function progressOptionsAt(ctx: Context, path: Path, value: unknown, depth: number): ProgressCalculationOption[] | undefined {
	if (value === null || value === undefined) return undefined;
	if (isRecord(value)) {
		ctx.warnings.push(issue(ctx, path, `${pathLabel(path)} is a single set of options; it is read as a list of one.`, 'Start the options with "- " to make them a list entry, as Open SDG expects.'));
		const option = progressOptionAt(ctx, path, value, depth);
		return option === undefined ? [] : [option];
	}
	if (!Array.isArray(value)) {
		ctx.errors.push(issue(ctx, path, `${pathLabel(path)} is ${describe(value)}, where a list of option sets is expected.`, 'Write it as a list: each entry starts with "- " followed by fields such as direction, target, base_year.'));
		return undefined;
	}
	const options: ProgressCalculationOption[] = [];
	value.forEach((item, i) => {
		const option = progressOptionAt(ctx, [...path, i], item, depth);
		if (option !== undefined) options.push(option);
	});
	return options;
}

// ---------------------------------------------------------------- normalization

function idFromText(value: unknown): string | undefined {
	const text = textOf(value);
	if (text === undefined) return undefined;
	return text.toLowerCase().replace(/[.\s_]+/g, '-');
}

/** `meta/1-2-1.md` → `1-2-1`; any folder, any extension; undefined when not a valid id. */
function idFromFileName(fileName: string): string | undefined {
	const name = normalizeRepositoryPath(fileName).split('/').at(-1) ?? '';
	const stem = name.replace(/\.[^.]*$/, '').replace(/^indicator_/, '');
	return isValidIndicatorId(stem) ? stem : undefined;
}

function isWebAddress(text: string): boolean {
	return /^https?:\/\/\S+$/i.test(text);
}

function readSources(ctx: Context, raw: Record<string, unknown>): { sources: MetadataSource[]; picked: MetadataSource | null } {
	const byIndex = new Map<number, MetadataSource>();
	for (const key of Object.keys(raw)) {
		const match = /^source_[a-z_]+?_(\d+)$/.exec(key);
		if (!match) continue;
		const index = Number(match[1]);
		if (!byIndex.has(index)) byIndex.set(index, { index, active: null });
	}
	const sources = [...byIndex.values()].sort((a, b) => a.index - b.index);
	let picked: MetadataSource | null = null;
	for (const source of sources) {
		const n = source.index;
		const activeRaw = raw[`source_active_${n}`];
		if (activeRaw !== undefined && activeRaw !== null) source.active = booleanAt(ctx, [`source_active_${n}`], activeRaw) ?? null;
		const organisation = textOf(raw[`source_organisation_${n}`]);
		if (organisation !== undefined) source.organisation = organisation;
		const urlText = textOf(raw[`source_url_text_${n}`]);
		if (urlText !== undefined) source.url_text = urlText;
		const url = textOf(raw[`source_url_${n}`]);
		if (url !== undefined) {
			if (isWebAddress(url)) source.url = url;
			else if (source.active !== false) {
				ctx.warnings.push(
					issue(ctx, [`source_url_${n}`], `source_url_${n} is "${url}", which is not a web address; it is not used as the source link.`, `Write the full address starting with https://, and put link text in source_url_text_${n}.`)
				);
			}
		}
		if (picked === null && source.active !== false && (source.organisation !== undefined || source.url !== undefined)) picked = source;
	}
	return { sources, picked };
}

function normalize(raw: Record<string, unknown>, ctx: Context, fileId: string | undefined, content: string | undefined): Normalized {
	const metadata: IndicatorMetadata = { raw };
	const keyOf: Partial<Record<KeyedField, string>> = {};
	const firstKey = (field: KeyedField, accept: (value: unknown, key: string) => boolean = (v) => v !== null && v !== undefined): string | undefined => {
		const key = READ_KEYS[field].find((k) => k in raw && accept(raw[k], k));
		if (key !== undefined) keyOf[field] = key;
		return key;
	};

	const textId = idFromText(raw['indicator_number']) ?? idFromText(raw['indicator']);
	const textIdKey = raw['indicator_number'] !== undefined ? 'indicator_number' : 'indicator';
	if (textId !== undefined && !isValidIndicatorId(textId)) {
		ctx.warnings.push(issue(ctx, [textIdKey], `${textIdKey} "${textOf(raw[textIdKey]) ?? ''}" does not give a valid indicator id.`, 'Write it like 1.2.1 or 1-2-1 (letters, digits, dots or dashes).'));
	} else if (textId !== undefined && fileId !== undefined && textId !== fileId) {
		ctx.warnings.push(
			issue(ctx, [textIdKey], `${textIdKey} says ${textOf(raw[textIdKey]) ?? ''} but the file is named for indicator ${fileId}; the file name is used.`, 'Correct the number in the file, or rename the file, so that both name the same indicator.')
		);
	}
	const id = fileId ?? (textId !== undefined && isValidIndicatorId(textId) ? textId : undefined);
	if (id !== undefined) metadata.id = id;

	const nameKey = firstKey('name', (v, k) => {
		const text = textOf(v);
		return text !== undefined && !(k === 'title' && text.toLowerCase() === 'untitled');
	});
	if (nameKey !== undefined) metadata.name = textOf(raw[nameKey]);

	const descriptionKey = firstKey('description', (v) => textOf(v) !== undefined);
	if (descriptionKey !== undefined) metadata.description = textOf(raw[descriptionKey]);

	const unitKey = firstKey('unit', (v) => textOf(v) !== undefined);
	if (unitKey !== undefined) metadata.unit = textOf(raw[unitKey]);

	if (firstKey('graph_type', (v) => textOf(v) !== undefined) !== undefined) {
		const graphType = (textOf(raw['graph_type']) ?? '').toLowerCase();
		metadata.graph_type = graphType;
		if (!GRAPH_TYPES.includes(graphType)) {
			ctx.warnings.push(issue(ctx, ['graph_type'], `graph_type "${graphType}" is not one Open SDG draws.`, `Use one of ${GRAPH_TYPES.join(', ')}.`));
		}
	}

	if (firstKey('graph_title', (v) => textOf(v) !== undefined) !== undefined) metadata.graph_title = textOf(raw['graph_title']);

	if (firstKey('reporting_status', (v) => textOf(v) !== undefined) !== undefined) {
		const written = textOf(raw['reporting_status']) ?? '';
		const status = written.toLowerCase().replace(/[\s_-]+/g, '');
		// Open SDG's own types in any spelling; a repository's own type (e.g. notapplicable) as written.
		metadata.reporting_status = (REPORTING_STATUSES as readonly string[]).includes(status) ? status : written;
	}

	for (const field of ['published', 'data_non_statistical', 'auto_progress_calculation'] as const) {
		if (firstKey(field) === undefined) continue;
		const value = booleanAt(ctx, [field], raw[field]);
		if (value !== undefined) metadata[field] = value;
	}

	// A manual status passes through exactly as written (trimmed), a repository's own included.
	if (firstKey('progress_status', (v) => textOf(v) !== undefined) !== undefined) metadata.progress_status = textOf(raw['progress_status']) ?? '';

	if (firstKey('progress_calculation_options') !== undefined) {
		// With the calculation off the options are not read: their problems are set aside (see ParsedMetadata.optionErrors).
		const optionCtx: Context = metadata.auto_progress_calculation === true ? ctx : { ...ctx, errors: ctx.optionErrors ?? [] };
		const options = progressOptionsAt(optionCtx, ['progress_calculation_options'], raw['progress_calculation_options'], 0);
		if (options !== undefined) metadata.progress_calculation_options = options;
	}

	const { sources, picked } = readSources(ctx, raw);
	if (sources.length > 0) metadata.sources = sources;
	if (picked?.organisation !== undefined) metadata.source_name = picked.organisation;
	if (picked?.url !== undefined) metadata.source_url = picked.url;

	if (content !== undefined) metadata.content = content;
	return { metadata, keyOf, sourceIndex: picked?.index ?? null };
}

// ---------------------------------------------------------------- YAML reading

function stripBom(text: string): string {
	return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

function yamlFix(code: string): string {
	switch (code) {
		case 'MISSING_CHAR':
			return 'Close the quoted text with the same kind of quote it starts with, or remove the opening quote.';
		case 'MULTIPLE_DOCS':
			return 'Remove the extra "---" line: the metadata is one YAML document.';
		case 'TAB_AS_INDENT':
			return 'Indent with spaces, not tabs.';
		default:
			return 'Check the indentation and the quoting on that line: a value that contains ": " or " #", or starts with one of \' " [ ] { } > | * & ! % @ `, must be put in quotes.';
	}
}

/** Line numbers of a YAML path, via the parsed document (keys first, then values). */
function lineFinder(doc: Document, counter: LineCounter, lineOffset: number): (path: Path) => number | null {
	return (path) => {
		let node: unknown = doc.contents;
		let line: number | null = null;
		for (const part of path) {
			if (isMap(node)) {
				const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
				if (!pair) break;
				const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
				if (keyRange) line = counter.linePos(keyRange[0]).line + lineOffset;
				node = pair.value;
			} else if (isSeq(node) && typeof part === 'number') {
				const item: unknown = node.items[part];
				const range = (item as YamlNode | undefined)?.range;
				if (range) line = counter.linePos(range[0]).line + lineOffset;
				node = item;
			} else {
				break;
			}
		}
		return line;
	};
}

interface YamlResult {
	raw: Record<string, unknown>;
	lineOf: (path: Path) => number | null;
}

function readYamlMapping(yamlText: string, file: string, lineOffset: number, errors: ParseIssue[], warnings: ParseIssue[]): YamlResult {
	const counter = new LineCounter();
	const doc = parseDocument(yamlText, { lineCounter: counter, uniqueKeys: false, prettyErrors: true });
	const lineOf = lineFinder(doc, counter, lineOffset);
	// An error found at the end of the text (an unclosed bracket) points past the last line.
	const lastLine = Math.max(1, yamlText.replace(/\n$/, '').split('\n').length);
	const lineAt = (pos: { line: number } | undefined) => Math.min(pos?.line ?? 1, lastLine) + lineOffset;
	const seen = new Set<string>();
	for (const error of doc.errors) {
		const line = lineAt(error.linePos?.[0]);
		const key = `${line}:${error.code}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const what = error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
		errors.push({ file, line, column: null, message: `Line ${line}: the metadata is not valid YAML (${what}).`, fix: yamlFix(error.code) });
	}
	for (const warning of doc.warnings) {
		const line = lineAt(warning.linePos?.[0]);
		warnings.push({ file, line, column: null, message: `Line ${line}: ${warning.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim()}.`, fix: 'Check the YAML on that line.' });
	}
	if (doc.errors.length > 0) return { raw: {}, lineOf };

	const contents = doc.contents;
	if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) return { raw: {}, lineOf };
	if (!isMap(contents)) {
		errors.push({
			file,
			line: lineOffset + 1,
			column: null,
			message: `Line ${lineOffset + 1}: the metadata must be a list of "field: value" lines, but it is ${isSeq(contents) ? 'a list' : 'a single value'}.`,
			fix: 'Write one "field: value" pair per line, e.g. indicator_name: Median household income.'
		});
		return { raw: {}, lineOf };
	}

	// Duplicate keys: Open SDG's YAML readers disagree (error or last wins); read the last, warn.
	const firstLine = new Map<string, number | null>();
	for (const pair of contents.items) {
		if (!isScalar(pair.key)) continue;
		const name = String(pair.key.value);
		const line = pair.key.range ? counter.linePos(pair.key.range[0]).line + lineOffset : null;
		const earlier = firstLine.get(name);
		if (earlier !== undefined) {
			warnings.push({
				file,
				line,
				column: name,
				message: `Line ${line ?? '?'}: ${name} is set twice (also on line ${earlier ?? '?'}); the later value is used.`,
				fix: `Delete one of the two ${name} lines.`
			});
		} else {
			firstLine.set(name, line);
		}
	}
	const value: unknown = doc.toJS();
	return { raw: isRecord(value) ? value : {}, lineOf };
}

function emptyWarning(file: string, what: string): ParseIssue {
	return { file, line: null, column: null, message: `The file is empty: it gives the indicator no ${what}.`, fix: `Add the ${what} fields (one "field: value" per line), or delete the file.` };
}

function finish(file: string, raw: Record<string, unknown>, lineOf: (path: Path) => number | null, content: string | undefined, errors: ParseIssue[], warnings: ParseIssue[]): ParsedMetadata {
	const optionErrors: ParseIssue[] = [];
	const ctx: Context = { file, errors, warnings, lineOf, optionErrors };
	const { metadata } = normalize(raw, ctx, idFromFileName(file), content);
	return { file, metadata, errors, warnings, optionErrors };
}

const NO_LINES = (): number | null => null;

/**
 * Parse `meta/<id>.md`: YAML front matter between a first line `---` and the next line `---`
 * (or `...`), then Markdown `content`. A file without front matter is all content (warning).
 */
export function parseMetaMarkdown(text: string, fileName: string): ParsedMetadata {
	const errors: ParseIssue[] = [];
	const warnings: ParseIssue[] = [];
	const body = stripBom(text);
	if (body.trim() === '') {
		warnings.push(emptyWarning(fileName, 'metadata'));
		return finish(fileName, {}, NO_LINES, undefined, errors, warnings);
	}
	const lines = body.split('\n');
	let open = 0;
	while (open < lines.length && (lines[open] ?? '').trim() === '') open++;
	if ((lines[open] ?? '').trimEnd() !== '---') {
		warnings.push({
			file: fileName,
			line: open + 1,
			column: null,
			message: `Line ${open + 1}: the file does not start with a "---" line, so it has no metadata fields; it is read as page content only.`,
			fix: 'Put the metadata fields between two lines holding only "---" at the top of the file.'
		});
		return finish(fileName, {}, NO_LINES, body, errors, warnings);
	}
	let close = open + 1;
	while (close < lines.length && !/^(?:---|\.\.\.)\s*$/.test(lines[close] ?? '')) close++;
	if (close >= lines.length) {
		errors.push({
			file: fileName,
			line: open + 1,
			column: null,
			message: `Line ${open + 1}: the metadata block opened with "---" is never closed.`,
			fix: 'Add a line holding only "---" after the last metadata field, before the page content.'
		});
		return finish(fileName, {}, NO_LINES, undefined, errors, warnings);
	}
	const yamlText = lines.slice(open + 1, close).join('\n');
	const { raw, lineOf } = readYamlMapping(yamlText, fileName, open + 1, errors, warnings);
	const rest = lines.slice(close + 1).join('\n');
	return finish(fileName, raw, lineOf, rest.trim() === '' ? undefined : rest, errors, warnings);
}

function parseYamlFile(text: string, fileName: string, what: string): ParsedMetadata {
	const errors: ParseIssue[] = [];
	const warnings: ParseIssue[] = [];
	const body = stripBom(text);
	if (body.trim() === '') {
		warnings.push(emptyWarning(fileName, what));
		return finish(fileName, {}, NO_LINES, undefined, errors, warnings);
	}
	const { raw, lineOf } = readYamlMapping(body, fileName, 0, errors, warnings);
	const pageContent = raw['page_content'];
	const content = typeof pageContent === 'string' && pageContent.trim() !== '' ? pageContent : undefined;
	return finish(fileName, raw, lineOf, content, errors, warnings);
}

/** Parse `meta/<id>.yml`: a YAML mapping; `page_content`, if any, becomes `content`. */
export function parseMetaYaml(text: string, fileName: string): ParsedMetadata {
	return parseYamlFile(text, fileName, 'metadata');
}

/** Parse `indicator-config/<id>.yml`: a YAML mapping of config fields. */
export function parseIndicatorConfig(text: string, fileName: string): ParsedMetadata {
	return parseYamlFile(text, fileName, 'configuration');
}

// ---------------------------------------------------------------- writing

function deepEqual(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
	if (isRecord(a) && isRecord(b)) {
		const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
		const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
		return keysA.length === keysB.length && keysA.every((k) => deepEqual(a[k], b[k]));
	}
	return false;
}

function withoutUndefined(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutUndefined);
	if (isRecord(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
	return value;
}

const SILENT: Context = { file: '', errors: [], warnings: [], lineOf: NO_LINES };

/**
 * The fields to write for `meta`: `meta.raw`, with every normalized field that differs from
 * what `raw` itself says written back to the key it was read from (or its Open SDG key when
 * new), and removed when cleared. `id` (the file name decides it) and `sources` (derived) are
 * not written. For `format: 'yml'`, `content` is written as `page_content`; for `'md'` it is
 * the page body and stays out of the fields.
 */
export function metadataToRaw(meta: IndicatorMetadata, format: 'md' | 'yml' = 'yml'): Record<string, unknown> {
	const raw: Record<string, unknown> = { ...meta.raw };
	const rawContent = typeof raw['page_content'] === 'string' && raw['page_content'].trim() !== '' ? raw['page_content'] : undefined;
	const base = normalize(meta.raw, { ...SILENT, errors: [], warnings: [] }, undefined, rawContent);
	for (const field of KEYED_FIELDS) {
		const wanted = meta[field];
		if (deepEqual(wanted, base.metadata[field])) continue;
		const existingKey = base.keyOf[field];
		if (wanted === undefined) {
			if (existingKey !== undefined) delete raw[existingKey];
			continue;
		}
		const key = existingKey ?? READ_KEYS[field].find((k) => k in raw && field !== 'name') ?? WRITE_KEY[field];
		raw[key] = withoutUndefined(wanted);
	}
	const n = base.sourceIndex ?? 1;
	if (!deepEqual(meta.source_name, base.metadata.source_name)) {
		if (meta.source_name === undefined) delete raw[`source_organisation_${n}`];
		else raw[`source_organisation_${n}`] = meta.source_name;
	}
	if (!deepEqual(meta.source_url, base.metadata.source_url)) {
		if (meta.source_url === undefined) delete raw[`source_url_${n}`];
		else raw[`source_url_${n}`] = meta.source_url;
	}
	if ((meta.source_name !== undefined || meta.source_url !== undefined) && raw[`source_active_${n}`] === undefined && base.sourceIndex === null) {
		raw[`source_active_${n}`] = true;
	}
	if (format === 'yml' && meta.content !== rawContent) {
		if (meta.content === undefined) delete raw['page_content'];
		else raw['page_content'] = meta.content;
	}
	return raw;
}

/**
 * YAML text for a field mapping, as Open SDG's readers (YAML 1.1 in Python and Ruby) read it
 * back: strings such as "yes", "on" or "2019-01-01" are quoted so they stay strings.
 */
export function serializeMetaYaml(raw: Record<string, unknown>): string {
	if (Object.keys(raw).length === 0) return '';
	return stringify(withoutUndefined(raw), { version: '1.1' });
}

/** `indicator-config/<id>.yml` (or `meta/<id>.yml`) text for `meta`; see `metadataToRaw`. */
export function serializeIndicatorConfig(meta: IndicatorMetadata): string {
	return serializeMetaYaml(metadataToRaw(meta, 'yml'));
}

/** `meta/<id>.md` text for `meta`: the fields as front matter between `---` lines, then `content`. */
export function serializeMetaMarkdown(meta: IndicatorMetadata): string {
	return `---\n${serializeMetaYaml(metadataToRaw(meta, 'md'))}---\n${meta.content ?? ''}`;
}
