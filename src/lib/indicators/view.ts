import { GEOCODE_COLUMN, NON_DISAGGREGATION_COLUMNS, PROGRESS_COLUMN, UNITS_COLUMN, SERIES_COLUMN, VALUE_COLUMN, YEAR_COLUMN } from './columns.ts';
import type { Dims } from './series-key.ts';

/** The part of an observation a view needs. */
export interface ViewObservation {
	period: string;
	year: number;
	value: number | null;
	dims: Dims;
	attributes: Record<string, string>;
}

export interface DimensionChoice {
	/** The column name, e.g. `Units`, `GeoCode`, `Sex`. */
	name: string;
	/** Values available given the choices made before this dimension, in data order. */
	values: string[];
	/** Whether "all / headline" (a blank value) is one of the choices. */
	hasBlank: boolean;
	/** The chosen value; '' means the headline (blank) rows. */
	selected: string;
}

export interface ViewNotice {
	dimension: string;
	requested: string;
	/** `unknown`: no such value at all; `unavailable`: not together with the other choices. */
	reason: 'unknown' | 'unavailable';
}

export interface IndicatorView<T extends ViewObservation> {
	dimensions: DimensionChoice[];
	/** The chosen value of every dimension ('' for headline). */
	selection: Record<string, string>;
	/** Observations matching the selection, in source order. */
	observations: T[];
	/** Requests that could not be honoured and fell back. */
	notices: ViewNotice[];
	/** Every disaggregation at its headline (blank) value. */
	isHeadline: boolean;
}

const NOT_DIMENSIONS = new Set([YEAR_COLUMN, VALUE_COLUMN, PROGRESS_COLUMN]);
const ATTRIBUTE_LOWER = new Set(
	NON_DISAGGREGATION_COLUMNS.filter((c) => ![UNITS_COLUMN, SERIES_COLUMN, GEOCODE_COLUMN].includes(c) && !NOT_DIMENSIONS.has(c)).map((c) => c.toLowerCase())
);

/**
 * The dimensions of an indicator's data in the order a visitor chooses them: Units, Series,
 * then the file's other identifying columns in file order (GeoCode and disaggregations).
 */
export function dimensionNames(columns: readonly string[], observations: readonly ViewObservation[]): string[] {
	const seen = new Set<string>();
	for (const o of observations) for (const name in o.dims) seen.add(name);
	const fromColumns = columns.filter((c) => !NOT_DIMENSIONS.has(c) && !ATTRIBUTE_LOWER.has(c.toLowerCase()));
	const ordered = [UNITS_COLUMN, SERIES_COLUMN, ...fromColumns.filter((c) => c !== UNITS_COLUMN && c !== SERIES_COLUMN)];
	const names = ordered.filter((c, i) => ordered.indexOf(c) === i && seen.has(c));
	for (const name of seen) if (!names.includes(name)) names.push(name);
	return names;
}

/**
 * Chooses the observations to show for a request such as `{ Units: 'Percent', Sex: 'Female' }`.
 * Each dimension in turn narrows the rows: a requested value is used when it exists among
 * the rows left; otherwise (or when not requested) the headline — blank — rows if there are
 * any, else the first value. Unknown or contradictory requests fall back with a notice.
 */
export function selectView<T extends ViewObservation>(
	observations: readonly T[],
	columns: readonly string[],
	request: Readonly<Record<string, string | undefined>>
): IndicatorView<T> {
	const names = dimensionNames(columns, observations);
	const allValues = new Map<string, Set<string>>();
	for (const name of names) allValues.set(name, new Set());
	for (const o of observations) for (const name of names) allValues.get(name)!.add(o.dims[name] ?? '');

	let rows: readonly T[] = observations;
	const dimensions: DimensionChoice[] = [];
	const selection: Record<string, string> = {};
	const notices: ViewNotice[] = [];

	for (const name of names) {
		const values: string[] = [];
		let hasBlank = false;
		for (const o of rows) {
			const v = o.dims[name] ?? '';
			if (v === '') hasBlank = true;
			else if (!values.includes(v)) values.push(v);
		}
		const fallback = hasBlank ? '' : (values[0] ?? '');
		const requested = request[name];
		let selected = fallback;
		if (requested !== undefined) {
			if (requested === '' ? hasBlank : values.includes(requested)) selected = requested;
			else notices.push({ dimension: name, requested, reason: allValues.get(name)!.has(requested) ? 'unavailable' : 'unknown' });
		}
		selection[name] = selected;
		dimensions.push({ name, values, hasBlank, selected });
		rows = rows.filter((o) => (o.dims[name] ?? '') === selected);
	}

	const isHeadline = dimensions.every((d) => d.name === UNITS_COLUMN || d.name === SERIES_COLUMN || d.selected === '' || !d.hasBlank);
	return { dimensions, selection, observations: [...rows], notices, isHeadline };
}

/**
 * The rows of one year by GeoCode for a map: the current selection with GeoCode left free.
 * Returns the requested period when it has values for at least two geographies, else the
 * latest that has; `periods` lists every period that has (latest first), for a year choice.
 */
export function mapSlice<T extends ViewObservation>(
	observations: readonly T[],
	columns: readonly string[],
	selection: Readonly<Record<string, string>>,
	requestedPeriod?: string
): { period: string; year: number; rows: T[]; periods: string[] } | undefined {
	const others = Object.entries(selection).filter(([name]) => name !== GEOCODE_COLUMN);
	const candidates = observations.filter(
		(o) => (o.dims[GEOCODE_COLUMN] ?? '') !== '' && o.value !== null && others.every(([name, value]) => (o.dims[name] ?? '') === value)
	);
	if (!columns.includes(GEOCODE_COLUMN) && candidates.length === 0) return undefined;
	const byPeriod = new Map<string, T[]>();
	for (const o of candidates) {
		const list = byPeriod.get(o.period) ?? [];
		list.push(o);
		byPeriod.set(o.period, list);
	}
	const usable = [...byPeriod]
		.filter(([, rows]) => rows.length >= 2)
		.map(([period, rows]) => ({ period, year: rows[0]!.year, rows }))
		.sort((a, b) => b.year - a.year || b.period.localeCompare(a.period));
	const best = usable.find((u) => u.period === requestedPeriod) ?? usable[0];
	return best ? { ...best, periods: usable.map((u) => u.period) } : undefined;
}

/** At most this many series are compared on one chart (DESIGN.md: never more than six lines). */
export const MAX_COMPARED = 6;

export interface ComparedSeries<T extends ViewObservation> {
	/** The compared dimension's value ('' for the headline). */
	value: string;
	observations: T[];
}

export interface Comparison<T extends ViewObservation> {
	dimension: string;
	/** Every value the dimension offers with the other choices ('' first when there is a headline). */
	choices: string[];
	series: ComparedSeries<T>[];
	/** Requested values left out beyond `MAX_COMPARED`. */
	omitted: string[];
}

/**
 * A view compared across one dimension: `request` holds the other choices, `compare` names
 * the dimension and `values` the values to compare (two to six; fewer, or none, takes the
 * first six the dimension offers). The main view — form, progress, map — is the first value's.
 * Returns no comparison when the dimension is unknown or offers fewer than two values.
 */
export function compareView<T extends ViewObservation>(
	observations: readonly T[],
	columns: readonly string[],
	request: Readonly<Record<string, string | undefined>>,
	compare: { dimension: string; values: readonly string[] }
): { view: IndicatorView<T>; comparison: Comparison<T> | undefined } {
	const probe = selectView(observations, columns, { ...request, [compare.dimension]: compare.values[0] });
	const dimension = probe.dimensions.find((d) => d.name === compare.dimension);
	const choices = dimension ? [...(dimension.hasBlank ? [''] : []), ...dimension.values] : [];
	if (!dimension || choices.length < 2) return { view: probe, comparison: undefined };
	const requested = [...new Set(compare.values)].filter((v) => choices.includes(v));
	const wanted = requested.length >= 2 ? requested : choices;
	const chosen = wanted.slice(0, MAX_COMPARED);
	const omitted = requested.length >= 2 ? wanted.slice(MAX_COMPARED) : [];
	const series: ComparedSeries<T>[] = [];
	let view = probe;
	for (const value of chosen) {
		const one = selectView(observations, columns, { ...request, [compare.dimension]: value });
		if (one.selection[compare.dimension] !== value) continue;
		if (series.length === 0) view = one;
		series.push({ value, observations: one.observations });
	}
	return { view, comparison: { dimension: compare.dimension, choices, series, omitted } };
}
