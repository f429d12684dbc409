/**
 * Open SDG / Statistics Canada progress measure (docs/PROGRESS-METHOD.md), as pure functions.
 * Results must reproduce the published Open SDG build, so edge cases follow its order of
 * operations (sdg-build's ProgressMeasure.py) wherever the method text is silent.
 */

import { columnClassifier, DEFAULT_COLUMN_SETTINGS, seriesColumnOf, unitColumnOf, NON_DISAGGREGATION_COLUMNS, OBSERVATION_ATTRIBUTE_COLUMNS, type ColumnSettings } from './columns.ts';
import { translateIndicator, type Translations } from './opensdg/translations.ts';

export type Direction = 'positive' | 'negative';

export type ProgressStatus =
	| 'target_achieved'
	| 'substantial_progress'
	| 'moderate_progress'
	| 'limited_progress'
	| 'deterioration'
	| 'not_available';

export type PlainLabel = 'improving' | 'steady' | 'worsening' | 'not_reported';

export interface DisaggregationFilter {
	field: string;
	value: string | number;
}

export interface ProgressOptions {
	series?: string;
	unit?: string;
	disaggregation?: DisaggregationFilter[];
	direction?: Direction;
	base_year?: number;
	target?: number | null;
	target_year?: number;
	limit?: number | null;
	/** Members averaged into one score; they inherit this entry's other options as defaults. */
	group?: ProgressOptions[];
}

/** Already-selected inputs of one series (the shape of the published calculation components). */
export interface SeriesInputs {
	base_year: number | null;
	base_value: number | null;
	current_year: number | null;
	current_value: number | null;
	direction?: Direction;
	target?: number | null;
	target_year?: number;
	limit?: number | null;
}

export interface SeriesComponent {
	base_year: number | null;
	/** Effective base value (0 already replaced by 0.001, as published). */
	base_value: number | null;
	current_year: number | null;
	current_value: number | null;
	/** Effective target (0 already replaced by 0.001, as published). */
	target: number | null;
	target_year: number;
	direction: Direction;
	limit: number | null;
	method: 1 | 2;
	sign: 1 | -1 | null;
	/** Limit coefficient C; null without a limit or under method 2. */
	coefficient: number | null;
	progress_value: number | null;
	score: number | null;
	status: ProgressStatus;
	target_achieved: boolean;
	/** Series / unit / disaggregation values, joined with ' / ' (set by computeIndicatorProgress). */
	tag?: string;
	/** Index of the top-level options entry this series belongs to (set by computeIndicatorProgress). */
	entry?: number;
	/** Selection problem that made this series fail (set by computeIndicatorProgress). */
	error?: string;
}

/** Computed statuses, '' when neither computed nor set manually, or a manual status as written. */
export type IndicatorStatus = ProgressStatus | '' | (string & {});

export interface IndicatorProgress {
	status: IndicatorStatus;
	score: number | null;
	label: PlainLabel;
	series: SeriesComponent[];
	error?: string;
}

export interface IndicatorProgressConfig {
	auto_progress_calculation?: boolean;
	progress_status?: string;
	progress_calculation_options?: ProgressOptions[];
	/** The indicator's own direction, used only for the plain-label fallback. */
	direction?: Direction;
}

export type CellValue = string | number | null | undefined;

/** What a repository configures for the calculation (see docs/PROGRESS-METHOD.md, "What real repositories also do"). */
export interface ProgressEnvironment {
	/** The repository's `indicator_options`; the defaults without them. */
	columns?: ColumnSettings;
	/** The repository's translations into its default language, applied before filters are matched. */
	translations?: Translations;
}

export interface TidyRow {
	Year: string | number;
	Value: CellValue;
	[column: string]: CellValue;
}

export interface SeriesPoint {
	year: number;
	value: number;
}

export interface SelectedSeries {
	kind: 'selected';
	points: SeriesPoint[];
	/** The base year used: configured if present, else the next later year; configured when none is later. */
	base_year: number;
	/** Null when no year at or after the configured base year exists. */
	base_value: number | null;
	current_year: number;
	current_value: number;
	warnings: string[];
}

export interface SeriesNotAvailable {
	kind: 'not_available';
	reason: string;
	warnings: string[];
}

export interface SeriesSelectionError {
	kind: 'error';
	error: string;
}

export type SeriesSelection = SelectedSeries | SeriesNotAvailable | SeriesSelectionError;

export interface Projection {
	year: number;
	value: number;
	/** Null when there is no target. */
	meets_target: boolean | null;
}

export const DEFAULT_BASE_YEAR = 2015;
export const DEFAULT_TARGET_YEAR = 2030;
export const DEFAULT_DIRECTION: Direction = 'negative';
export const PROJECTION_YEAR = 2050;

/** SDMX / Open SDG observation attributes: never disaggregations. */
export const OBSERVATION_ATTRIBUTES = OBSERVATION_ATTRIBUTE_COLUMNS;
export { NON_DISAGGREGATION_COLUMNS };

/** Strings pandas.read_csv reads as missing by default; the published build sees these as blank. */
export const MISSING_VALUE_STRINGS: ReadonlySet<string> = new Set([
	'',
	'#N/A',
	'#N/A N/A',
	'#NA',
	'-1.#IND',
	'-1.#QNAN',
	'-NaN',
	'-nan',
	'1.#IND',
	'1.#QNAN',
	'<NA>',
	'N/A',
	'NA',
	'NULL',
	'NaN',
	'None',
	'n/a',
	'nan',
	'null'
]);

const METHOD_1_THRESHOLDS = { high: 0.015, med: 0.005, low: 0 } as const;
const METHOD_2_THRESHOLDS = { high: 0.95, med: 0.6, low: 0 } as const;
const LIMIT_EXPONENT = 4.44;

export function isBlank(cell: CellValue): boolean {
	if (cell === null || cell === undefined) return true;
	if (typeof cell === 'number') return Number.isNaN(cell);
	return MISSING_VALUE_STRINGS.has(cell.trim());
}

/**
 * Compound annual growth rate; null when undefined (equal years, zero base, not a real
 * number). An infinite value gives an infinite growth, as in the published build's floats.
 */
export function growth(v1: number, v0: number, t1: number, t0: number): number | null {
	if (t1 === t0 || v0 === 0) return null;
	const g = Math.pow(v1 / v0, 1 / (t1 - t0)) - 1;
	return Number.isNaN(g) ? null : g;
}

/** `positive` (trimmed, as written) is positive; anything else, a blank included, is negative. */
export function directionOf(value: unknown): Direction {
	return typeof value === 'string' && value.trim() === 'positive' ? 'positive' : 'negative';
}

/** `Inf`, `-Inf`, `+Infinity` (any case) as infinities; other text as Number reads it (NaN when not a number). */
export function numberOfCell(text: string): number {
	const t = text.trim();
	const inf = /^([+-]?)inf(?:inity)?$/i.exec(t);
	if (inf) return inf[1] === '-' ? -Infinity : Infinity;
	return t === '' ? NaN : Number(t);
}

/** Limit coefficient C of method 1. */
export function limitCoefficient(baseValue: number, limit: number): number {
	const b = Math.abs(baseValue);
	const l = Math.abs(limit);
	// Checked first so that b = l = 0 gives 1.
	if (b >= 2 * l) return 1;
	if (b <= l) return 1 - Math.pow(b / l, LIMIT_EXPONENT);
	return 1 - Math.pow((2 * l - b) / l, LIMIT_EXPONENT);
}

export function computeSeriesProgress(inputs: SeriesInputs): SeriesComponent {
	const direction: Direction = inputs.direction === undefined ? DEFAULT_DIRECTION : directionOf(inputs.direction);
	const dir = direction === 'positive' ? 1 : -1;
	const target = inputs.target === undefined || inputs.target === null ? null : inputs.target === 0 ? 0.001 : inputs.target;
	const targetYear = inputs.target_year ?? DEFAULT_TARGET_YEAR;
	const limit = inputs.limit ?? null;
	const method: 1 | 2 = target === null ? 1 : 2;
	const { base_year: by, current_year: cy, current_value: current } = inputs;
	const rawBase = inputs.base_value;
	// The published build takes sign and C from the base value before 0 becomes 0.001.
	const sign: 1 | -1 | null = rawBase === null ? null : rawBase < 0 ? -1 : 1;
	const base = rawBase === 0 ? 0.001 : rawBase;

	let coefficient: number | null = null;
	let thresholds: { high: number; med: number; low: number } = method === 1 ? METHOD_1_THRESHOLDS : METHOD_2_THRESHOLDS;
	if (method === 1 && limit !== null && rawBase !== null) {
		const c = limitCoefficient(rawBase, limit);
		coefficient = c;
		thresholds = { high: thresholds.high * c, med: thresholds.med * c, low: thresholds.low * c };
	}

	const targetAchieved = target !== null && current !== null && (dir === -1 ? current <= target : current >= target);

	let progress: number | null = null;
	if (
		base !== null &&
		current !== null &&
		by !== null &&
		cy !== null &&
		sign !== null &&
		!((base > 0 && current < 0) || (base < 0 && current > 0)) &&
		by <= cy &&
		cy - by >= 1
	) {
		const observed = growth(current, base, cy, by);
		if (observed !== null) {
			if (target === null) {
				progress = sign * dir * observed;
			} else {
				// Base equal to target makes the required growth 0: no value, the target test decides.
				const required = growth(target, base, targetYear, by);
				if (required !== null && required !== 0) progress = (sign * dir * observed) / Math.abs(required);
			}
			if (progress !== null && Number.isNaN(progress)) progress = null;
		}
	}

	let status: ProgressStatus;
	if (targetAchieved) status = 'target_achieved';
	else if (progress === null) status = 'not_available';
	else if (progress >= thresholds.high) status = 'substantial_progress';
	else if (progress >= thresholds.med) status = 'moderate_progress';
	else if (progress >= thresholds.low) status = 'limited_progress';
	else status = 'deterioration';

	let score: number | null = null;
	if (targetAchieved) {
		score = 5;
	} else if (progress !== null) {
		const p = progress;
		if (method === 1) {
			const c = coefficient ?? 1;
			if (p < thresholds.low) score = Math.max(125 * p - 2.5, -5);
			else if (c === 0) score = 5;
			else if (p >= thresholds.high) score = Math.min((500 * p) / c - 5, 5);
			else if (p >= thresholds.med) score = (250 * p) / c - 1.25;
			else score = (500 * p) / c - 2.5;
		} else if (p >= thresholds.med) {
			score = Math.min(7.1429 * p - 4.2857, 5);
		} else {
			score = Math.max(4.1667 * p - 2.5, -5);
		}
	}

	return {
		base_year: by,
		base_value: base,
		current_year: cy,
		current_value: current,
		target,
		target_year: targetYear,
		direction,
		limit,
		method,
		sign,
		coefficient,
		progress_value: progress,
		score,
		status,
		target_achieved: targetAchieved
	};
}

/** `2015-16` and `2009-2010` count as their first four characters. */
export function parseYear(year: string | number): number | null {
	let text = String(year).trim();
	if (text.length > 4) text = text.slice(0, 4);
	if (!/^-?\d+$/.test(text)) return null;
	return Number(text);
}

function sameCell(cell: CellValue, wanted: string | number): boolean {
	return !isBlank(cell) && String(cell).trim() === String(wanted).trim();
}

function cellKey(cell: CellValue): string | null {
	return isBlank(cell) ? null : String(cell).trim();
}

export function seriesTag(options: ProgressOptions): string {
	const parts: string[] = [];
	if (options.series !== undefined) parts.push(options.series);
	if (options.unit !== undefined) parts.push(options.unit);
	for (const d of options.disaggregation ?? []) parts.push(String(d.value));
	return parts.join(' / ');
}

/**
 * Steps 1–5 of "Selecting the series". `columns` is the CSV header; `settings` says which
 * columns are not disaggregations and which hold the series and the unit (the repository's
 * `indicator_options`, else the defaults).
 */
export function selectSeries(
	rows: readonly TidyRow[],
	options: ProgressOptions,
	columns: readonly string[],
	settings: ColumnSettings = DEFAULT_COLUMN_SETTINGS
): SeriesSelection {
	const warnings: string[] = [];
	const tag = seriesTag(options) || 'headline';
	const has = new Set(columns);
	const classifier = columnClassifier(settings);
	const disaggregationColumns = columns.filter((c) => classifier.isDisaggregation(c));
	const valueColumn = has.has('Progress') ? 'Progress' : 'Value';
	const seriesColumn = seriesColumnOf(settings);
	const unitColumn = unitColumnOf(settings);

	let kept: readonly TidyRow[] = rows;
	if (columns.length > 2) {
		// A filter whose column or value is absent matches nothing: no data for this series.
		const filters: { column: string; wanted: string | number }[] = [];
		if (options.unit !== undefined) filters.push({ column: unitColumn, wanted: options.unit });
		if (options.series !== undefined) filters.push({ column: seriesColumn, wanted: options.series });
		for (const d of options.disaggregation ?? []) filters.push({ column: d.field, wanted: d.value });
		for (const { column, wanted } of filters) {
			if (!has.has(column)) {
				return { kind: 'not_available', reason: `Column ${column} not found for series ${tag}`, warnings: [`Column ${column} not found for series ${tag}`] };
			}
			kept = kept.filter((r) => sameCell(r[column], wanted));
			if (kept.length === 0) {
				return { kind: 'not_available', reason: `Value ${wanted} not found in column ${column} for series ${tag}`, warnings: [`Value ${wanted} not found in column ${column} for series ${tag}`] };
			}
		}
		// Every disaggregation column the entry does not filter on must be blank.
		const filtered = new Set(filters.map((f) => f.column));
		const unfiltered = disaggregationColumns.filter((c) => !filtered.has(c));
		if (unfiltered.length > 0) kept = kept.filter((r) => unfiltered.every((c) => isBlank(r[c])));
		for (const column of [seriesColumn, unitColumn, ...disaggregationColumns]) {
			if (!has.has(column)) continue;
			const distinct = new Set(kept.map((r) => cellKey(r[column])));
			if (distinct.size > 1) {
				const shown = [...distinct].map((v) => v ?? '(blank)').join(', ');
				return { kind: 'error', error: `More than one sub-series left for series ${tag} (${column}: ${shown})` };
			}
		}
	}

	const points: SeriesPoint[] = [];
	for (const row of kept) {
		const cell = row[valueColumn];
		if (isBlank(cell)) continue;
		const year = parseYear(row.Year);
		if (year === null) return { kind: 'error', error: `Invalid year '${row.Year}' for series ${tag}` };
		const value = typeof cell === 'number' ? cell : numberOfCell(String(cell));
		if (Number.isNaN(value)) return { kind: 'error', error: `Non-numeric value '${cell}' in ${year} for series ${tag}` };
		points.push({ year, value });
	}
	const seen = new Set<number>();
	const duplicates = new Set<number>();
	for (const p of points) {
		if (seen.has(p.year)) duplicates.add(p.year);
		seen.add(p.year);
	}
	if (duplicates.size > 0) {
		const years = [...duplicates].sort((a, b) => a - b).join(', ');
		return { kind: 'error', error: `Duplicate value for year ${years} in series ${tag}` };
	}
	if (points.length === 0) return { kind: 'not_available', reason: `No data for series ${tag}`, warnings };

	points.sort((a, b) => a.year - b.year);
	const last = points[points.length - 1] as SeriesPoint;
	const configuredBase = options.base_year ?? DEFAULT_BASE_YEAR;
	const basePoint = points.find((p) => p.year >= configuredBase);
	return {
		kind: 'selected',
		points,
		base_year: basePoint ? basePoint.year : configuredBase,
		base_value: basePoint ? basePoint.value : null,
		current_year: last.year,
		current_value: last.value,
		warnings
	};
}

export function labelForStatus(status: IndicatorStatus): PlainLabel | null {
	switch (status) {
		case 'target_achieved':
		case 'substantial_progress':
		case 'moderate_progress':
		// Open SDG's pre-2.0 names for the two statuses above, still found in manual metadata.
		case 'on_track':
		case 'progress_needs_acceleration':
			return 'improving';
		case 'limited_progress':
			return 'steady';
		case 'deterioration':
			return 'worsening';
		case 'not_available':
			return 'not_reported';
		default:
			return null;
	}
}

export function statusFromScore(score: number | null, targetAchieved: boolean): ProgressStatus {
	if (targetAchieved) return 'target_achieved';
	if (score === null) return 'not_available';
	if (score >= 2.5) return 'substantial_progress';
	if (score >= 0) return 'moderate_progress';
	if (score >= -2.5) return 'limited_progress';
	return 'deterioration';
}

function mean(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	let sum = 0;
	for (const v of values) sum += v;
	return sum / values.length;
}

function seriesForOptions(
	rows: readonly TidyRow[],
	options: ProgressOptions,
	columns: readonly string[],
	settings: ColumnSettings
): SeriesComponent {
	const selection = selectSeries(rows, options, columns, settings);
	const own = {
		direction: options.direction,
		target: options.target,
		target_year: options.target_year,
		limit: options.limit
	};
	const component =
		selection.kind === 'selected'
			? computeSeriesProgress({ ...selection, ...own })
			: computeSeriesProgress({ base_year: null, base_value: null, current_year: null, current_value: null, ...own });
	component.tag = seriesTag(options);
	if (selection.kind === 'error') component.error = selection.error;
	return component;
}

interface EntryResult {
	score: number | null;
	/** Target-achieved flags of the scored series inside the entry. */
	achieved: boolean[];
	series: SeriesComponent[];
}

function evaluateEntry(
	rows: readonly TidyRow[],
	options: ProgressOptions,
	columns: readonly string[],
	settings: ColumnSettings,
	index: number
): EntryResult {
	const { group, ...own } = options;
	if (group === undefined) {
		const component = seriesForOptions(rows, options, columns, settings);
		component.entry = index;
		return {
			score: component.score,
			achieved: component.score === null ? [] : [component.target_achieved],
			series: [component]
		};
	}
	const members = group.map((member) => evaluateEntry(rows, { ...own, ...member }, columns, settings, index));
	const scores = members.flatMap((m) => (m.score === null ? [] : [m.score]));
	return {
		score: mean(scores),
		achieved: members.flatMap((m) => m.achieved),
		series: members.flatMap((m) => m.series)
	};
}

function columnsOf(rows: readonly TidyRow[]): string[] {
	const seen = new Set<string>();
	for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
	return [...seen];
}

/**
 * Indicator progress. `columns` defaults to every key seen in `rows`; pass the CSV header
 * when rows may omit columns. `env` holds the repository's column settings and translations:
 * the calculation runs on the indicator translated into the repository's default language.
 */
export function computeIndicatorProgress(
	rows: readonly TidyRow[],
	config: IndicatorProgressConfig,
	columns: readonly string[] = columnsOf(rows),
	env: ProgressEnvironment = {}
): IndicatorProgress {
	const settings = env.columns ?? DEFAULT_COLUMN_SETTINGS;
	if (config.auto_progress_calculation !== true) {
		// Calculation off: the options are not read; a manual status passes through as written.
		const status = config.progress_status ?? '';
		if (status !== '') return { status, score: null, label: labelForStatus(status) ?? 'not_reported', series: [] };
		if (config.direction === undefined) return { status, score: null, label: 'not_reported', series: [] };
		const translated = translateIndicator(rows, columns, [], settings, env.translations);
		const label = fallbackLabel(translated.rows, config.direction, translated.columns, settings);
		return { status, score: null, label, series: [] };
	}

	const given = config.progress_calculation_options?.length ? config.progress_calculation_options : [{}];
	const translated = translateIndicator(rows, columns, given, settings, env.translations);
	const results = translated.options.map((options, i) => evaluateEntry(translated.rows, options, translated.columns, settings, i));
	const series = results.flatMap((r) => r.series);
	const failed = series.find((s) => s.error !== undefined);
	if (failed?.error !== undefined) {
		return { status: 'not_available', score: null, label: 'not_reported', series, error: failed.error };
	}
	// A group (at any depth) with no scored member has no score and is left out of the mean.
	const scores = results.flatMap((r) => (r.score === null ? [] : [r.score]));
	const score = mean(scores);
	const achieved = results.flatMap((r) => r.achieved);
	const status = statusFromScore(score, score !== null && achieved.length > 0 && achieved.every(Boolean));
	return { status, score, label: labelForStatus(status) ?? 'not_reported', series };
}

/** Method 1 on the headline series, for indicators with neither a calculation nor a manual status. */
function fallbackLabel(
	rows: readonly TidyRow[],
	direction: Direction | undefined,
	columns: readonly string[],
	settings: ColumnSettings
): PlainLabel {
	if (direction === undefined) return 'not_reported';
	const component = seriesForOptions(rows, { direction, base_year: DEFAULT_BASE_YEAR }, columns, settings);
	if (component.error !== undefined) return 'not_reported';
	return labelForStatus(component.status) ?? 'not_reported';
}

/** Base case: the current trend carried forward. A projection, never data. */
export function projectTrend(
	current_year: number,
	current_value: number,
	base_year: number,
	base_value: number,
	target?: number | null,
	year: number = PROJECTION_YEAR,
	direction: Direction = DEFAULT_DIRECTION
): Projection | null {
	const g = growth(current_value, base_value, current_year, base_year);
	if (g === null) return null;
	const value = current_value * Math.pow(1 + g, year - current_year);
	if (!Number.isFinite(value)) return null;
	const meets = target === undefined || target === null ? null : direction === 'positive' ? value >= target : value <= target;
	return { year, value, meets_target: meets };
}

/** Projection of a computed series to 2050 (or `year`), against its target. */
export function projectTo2050(component: SeriesComponent, year: number = PROJECTION_YEAR): Projection | null {
	const { current_year, current_value, base_year, base_value } = component;
	if (current_year === null || current_value === null || base_year === null || base_value === null) return null;
	return projectTrend(current_year, current_value, base_year, base_value, component.target, year, component.direction);
}
