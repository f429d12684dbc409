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
