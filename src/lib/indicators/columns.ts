/** Column names of the Open SDG tidy data format, shared by the parser and the progress measure. */

export const YEAR_COLUMN = 'Year';
export const VALUE_COLUMN = 'Value';
export const UNITS_COLUMN = 'Units';
export const SERIES_COLUMN = 'Series';
export const GEOCODE_COLUMN = 'GeoCode';
export const PROGRESS_COLUMN = 'Progress';

/**
 * Columns that describe one observation rather than identify it (SDMX observation
 * attributes), plus the spelled-out names older Open SDG sites use for three of them.
 */
export const OBSERVATION_ATTRIBUTE_COLUMNS: readonly string[] = [
	'COMMENT_OBS',
	'OBS_STATUS',
	'UNIT_MULT',
	'UNIT_MEASURE',
	'COMMENT_TS',
	'TIME_DETAIL',
	'TIME_COVERAGE',
	'NATURE',
	'SOURCE_DETAIL',
	'REPORTING_TYPE',
	'BASE_PER',
	'UPPER_BOUND',
	'LOWER_BOUND',
	'OBS_VALUE',
	'Observation status',
	'Unit multiplier',
	'Unit measure'
];

/** Every column that is not a disaggregation (see docs/PROGRESS-METHOD.md, "Selecting the series"). */
export const NON_DISAGGREGATION_COLUMNS: readonly string[] = [
	YEAR_COLUMN,
	VALUE_COLUMN,
	UNITS_COLUMN,
	SERIES_COLUMN,
	GEOCODE_COLUMN,
	PROGRESS_COLUMN,
	...OBSERVATION_ATTRIBUTE_COLUMNS
];

/**
 * Which columns are not disaggregations, as an Open SDG repository configures them in its
 * `config_data.yml` (`indicator_options.non_disaggregation_columns` and
 * `indicator_options.observation_attributes`). A repository's own lists replace the defaults
 * wholesale; Year, Value, Units, Series and Progress are never disaggregations, as in the
 * published build, which treats them specially whatever the lists say.
 */
export interface ColumnSettings {
	nonDisaggregation: readonly string[];
	observationAttributes: readonly string[];
	/**
	 * `indicator_options.series_column` / `unit_column`: the columns a progress entry's `series`
	 * and `unit` options are matched against (Series and Units when not set). Like Series and
	 * Units by default, they are never disaggregations; the default names then are, unless a list
	 * names them.
	 */
	seriesColumn?: string;
	unitColumn?: string;
}

/** Always read specially, whatever a repository's lists say (Series and Units unless renamed, see `specialColumns`). */
export const SPECIAL_COLUMNS: readonly string[] = [YEAR_COLUMN, VALUE_COLUMN, UNITS_COLUMN, SERIES_COLUMN, PROGRESS_COLUMN];

/** The column holding the series of `settings`' repository: `Series` unless `series_column` names another. */
export function seriesColumnOf(settings: ColumnSettings = DEFAULT_COLUMN_SETTINGS): string {
	return settings.seriesColumn ?? SERIES_COLUMN;
}

/** The column holding the unit of `settings`' repository: `Units` unless `unit_column` names another. */
export function unitColumnOf(settings: ColumnSettings = DEFAULT_COLUMN_SETTINGS): string {
	return settings.unitColumn ?? UNITS_COLUMN;
}

/** Year, Value, Progress and the repository's series and unit columns. */
export function specialColumns(settings: ColumnSettings = DEFAULT_COLUMN_SETTINGS): string[] {
	return [YEAR_COLUMN, VALUE_COLUMN, unitColumnOf(settings), seriesColumnOf(settings), PROGRESS_COLUMN];
}

/** Numbered comment columns (`COMMENT_OBS_0`, `COMMENT_OBS_1`, …), observation attributes by default. */
const NUMBERED_COMMENT = /^COMMENT_OBS_\d+$/i;

/** The defaults, for a repository without `indicator_options`: every name above, and numbered COMMENT_OBS columns. */
export const DEFAULT_COLUMN_SETTINGS: ColumnSettings = {
	nonDisaggregation: NON_DISAGGREGATION_COLUMNS.filter((c) => !OBSERVATION_ATTRIBUTE_COLUMNS.includes(c)),
	observationAttributes: OBSERVATION_ATTRIBUTE_COLUMNS
};

export interface ColumnClassifier {
	isObservationAttribute(name: string): boolean;
	/** True for every column that is neither special, nor listed as non-disaggregation, nor an observation attribute. */
	isDisaggregation(name: string): boolean;
}

const classifiers = new WeakMap<ColumnSettings, ColumnClassifier>();

/** Case-insensitive lookups for `settings` (cached per settings object). */
export function columnClassifier(settings: ColumnSettings = DEFAULT_COLUMN_SETTINGS): ColumnClassifier {
	let classifier = classifiers.get(settings);
	if (classifier) return classifier;
	// The default attribute list (kept when only the series or unit column is renamed) brings numbered comments.
	const defaults = settings.observationAttributes === DEFAULT_COLUMN_SETTINGS.observationAttributes;
	const attributes = new Set(settings.observationAttributes.map((c) => c.trim().toLowerCase()));
	const other = new Set([...specialColumns(settings), ...settings.nonDisaggregation].map((c) => c.trim().toLowerCase()));
	const isObservationAttribute = (name: string) => {
		const lower = name.trim().toLowerCase();
		return attributes.has(lower) || (defaults && NUMBERED_COMMENT.test(lower));
	};
	classifier = {
		isObservationAttribute,
		isDisaggregation: (name) => {
			const lower = name.trim().toLowerCase();
			return lower !== '' && !other.has(lower) && !isObservationAttribute(name);
		}
	};
	classifiers.set(settings, classifier);
	return classifier;
}
