/**
 * docs/PROGRESS-METHOD.md, "What real repositories also do": one test per rule, with small
 * data written for the test.
 */
import { describe, expect, it } from 'vitest';
import { computeIndicatorProgress, computeSeriesProgress, directionOf, selectSeries, type TidyRow } from '../../src/lib/indicators/progress.ts';
import { parseIndicatorConfig, parseMetaMarkdown } from '../../src/lib/indicators/opensdg/metadata.ts';
import { dataConfigFromRaw, defaultLanguage, parseDataConfig } from '../../src/lib/indicators/opensdg/config-data.ts';
import { parseTranslationFile, translateIndicator, translateText, translationPathInfo, translationsFor } from '../../src/lib/indicators/opensdg/translations.ts';
import { DEFAULT_COLUMN_SETTINGS } from '../../src/lib/indicators/columns.ts';
import { parseIndicatorCsv } from '../../src/lib/indicators/opensdg/data-csv.ts';

function rowsOf(values: Record<number, number | string | null>, extra: Record<string, string> = {}): TidyRow[] {
	return Object.entries(values).map(([year, value]) => ({ Year: year, Value: value, ...extra }));
}

const on = (options: object[]) => ({ auto_progress_calculation: true, progress_calculation_options: options as never });

describe('calculation off means options are not read', () => {
	it('passes a manual status through exactly as written, custom ones included, with no score', () => {
		const rows = rowsOf({ 2015: 10, 2020: 5 });
		const custom = computeIndicatorProgress(rows, { progress_status: 'not_available_manual', progress_calculation_options: [{ target: 1 }] });
		expect(custom).toMatchObject({ status: 'not_available_manual', score: null, series: [] });
		expect(computeIndicatorProgress(rows, { auto_progress_calculation: false, progress_status: 'Limited_Progress' }).status).toBe('Limited_Progress');
		expect(computeIndicatorProgress(rows, { auto_progress_calculation: false }).status).toBe('');
	});

	it('does not reject a list target or a blank direction while the calculation is off', () => {
		const text = ['---', 'indicator_name: Test', 'auto_progress_calculation: false', 'progress_status: not_available_manual', 'progress_calculation_options:', '  - target: [1, 2]', '    direction: ""', '    base_year: soon', '---', ''].join('\n');
		const parsed = parseMetaMarkdown(text, 'meta/1-1-1.md');
		expect(parsed.errors).toEqual([]);
		expect(parsed.optionErrors.map((e) => e.column)).toEqual(['progress_calculation_options[entry 1].base_year']);
		expect(parsed.metadata.progress_status).toBe('not_available_manual');
	});

	it("keeps a repository's own progress and reporting statuses in the metadata as written, without a warning", () => {
		const parsed = parseMetaMarkdown('---\nindicator_name: Test\nreporting_status: notapplicable\nprogress_status: not_available_manual\n---\n', 'meta/1-1-1.md');
		expect(parsed.errors).toEqual([]);
		expect(parsed.warnings).toEqual([]);
		expect(parsed.metadata).toMatchObject({ reporting_status: 'notapplicable', progress_status: 'not_available_manual' });
		// Open SDG's own reporting types are read in any spelling.
		expect(parseMetaMarkdown('---\nreporting_status: In Progress\n---\n', 'meta/1-1-1.md').metadata.reporting_status).toBe('inprogress');
	});
});

describe('direction', () => {
	it('is negative for anything but "positive" (trimmed, case as written), a blank included', () => {
		expect(directionOf(' positive ')).toBe('positive');
		for (const other of ['Positive', '', 'up', undefined, null, 1]) expect(directionOf(other), String(other)).toBe('negative');
		const parsed = parseIndicatorConfig('auto_progress_calculation: true\nprogress_calculation_options:\n  - direction: ""\n', 'indicator-config/1-1-1.yml');
		expect(parsed.errors).toEqual([]);
		expect(parsed.metadata.progress_calculation_options).toEqual([{ direction: 'negative' }]);
		// Falling values are progress under a blank direction.
		const r = computeIndicatorProgress(rowsOf({ 2015: 10, 2020: 5 }), on(parsed.metadata.progress_calculation_options!));
		expect(r.status).toBe('substantial_progress');
	});
});

describe('target', () => {
	it('is no target when blank, an empty list or a list, with a warning', () => {
		for (const written of ["''", '[]', '[3, 4]', '']) {
			const parsed = parseIndicatorConfig(`auto_progress_calculation: true\nprogress_calculation_options:\n  - target: ${written}\n    direction: positive\n`, 'indicator-config/1-1-1.yml');
			expect(parsed.errors, written).toEqual([]);
			expect(parsed.metadata.progress_calculation_options, written).toEqual([{ direction: 'positive' }]);
			if (written !== '') expect(parsed.warnings[0]?.message, written).toMatch(/read as no target/);
		}
	});
});

describe('numbers', () => {
	it('reads Inf, -Inf and Infinity in any case as non-finite numbers in the calculation', () => {
		const up = computeIndicatorProgress(rowsOf({ 2015: '1', 2020: 'inf' }), on([{ direction: 'positive' }]));
		expect(up.error).toBeUndefined();
		expect(up.status).toBe('substantial_progress');
		expect(up.score).toBe(5);
		const down = selectSeries(rowsOf({ 2015: '-Infinity', 2016: 2 }), {}, ['Year', 'Value']);
		expect(down.kind === 'selected' && down.points[0]).toEqual({ year: 2015, value: -Infinity });
		expect(computeSeriesProgress({ base_year: 2015, base_value: 1, current_year: 2020, current_value: Infinity, direction: 'negative' }).score).toBe(-5);
	});

	it('reads INF and +Infinity in a data file as numbers, not as errors or blanks', () => {
		const parsed = parseIndicatorCsv('Year,Value\n2015,INF\n2016,+Infinity\n2017,\n', 'data/indicator_1-1-1.csv');
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows.map((r) => r.value)).toEqual([Infinity, Infinity, null]);
		expect(parsed.numericValues).toBe(2);
	});
});

describe('which columns are disaggregations', () => {
	const columns = ['Year', 'COMMENT_OBS_0', 'NOTE', 'Value'];
	const rows: TidyRow[] = [
		{ Year: '2015', COMMENT_OBS_0: 'provisional', NOTE: '', Value: 10 },
		{ Year: '2020', COMMENT_OBS_0: '', NOTE: 'estimate', Value: 5 }
	];

	it("comes from the repository's config_data.yml, replacing the defaults wholesale", () => {
		const { config, errors } = parseDataConfig(
			'languages: [fr, en]\nindicator_options:\n  non_disaggregation_columns: [Year, Units, Series, Value, GeoCode, NOTE]\n  observation_attributes: [COMMENT_OBS, COMMENT_OBS_0]\nsite_extra: kept\n'
		);
		expect(errors).toEqual([]);
		expect(config.columns).toEqual({ nonDisaggregation: ['Year', 'Units', 'Series', 'Value', 'GeoCode', 'NOTE'], observationAttributes: ['COMMENT_OBS', 'COMMENT_OBS_0'] });
		expect(config.raw['site_extra']).toBe('kept');
		expect(defaultLanguage(config)).toBe('fr');
		const r = computeIndicatorProgress(rows, on([{}]), columns, { columns: config.columns });
		expect(r.status).toBe('substantial_progress');
		// With the defaults NOTE is a disaggregation: no headline rows in 2020, so no data.
		expect(computeIndicatorProgress(rows, on([{}]), columns).status).toBe('not_available');
	});

	it('uses the reference defaults without one: numbered COMMENT_OBS columns are not disaggregations', () => {
		expect(dataConfigFromRaw({}).columns).toBeUndefined();
		const r = computeIndicatorProgress(rows.map(({ NOTE: _, ...rest }) => rest as TidyRow), on([{}]), ['Year', 'COMMENT_OBS_0', 'Value']);
		expect(r.status).toBe('substantial_progress');
		// A repository's list that leaves out COMMENT_OBS_0 makes it a disaggregation again.
		const own = { nonDisaggregation: ['GeoCode'], observationAttributes: ['COMMENT_OBS'] };
		expect(computeIndicatorProgress(rows, on([{}]), columns, { columns: own }).status).toBe('not_available');
		expect(DEFAULT_COLUMN_SETTINGS.observationAttributes).toContain('COMMENT_OBS');
		// Two numbered comment columns, as a national repository writes them.
		const comments: TidyRow[] = [
			{ Year: '2015', COMMENT_OBS_0: 'a', COMMENT_OBS_1: '', Value: 10 },
			{ Year: '2020', COMMENT_OBS_0: '', COMMENT_OBS_1: 'b', Value: 10.4 }
		];
		expect(computeIndicatorProgress(comments, on([{ direction: 'positive' }]), ['Year', 'COMMENT_OBS_0', 'COMMENT_OBS_1', 'Value']).status).toBe('moderate_progress');
	});

	it('matches series and unit options against the columns series_column and unit_column name', () => {
		const { config } = parseDataConfig('indicator_options:\n  series_column: SERIES\n  unit_column: UNIT_MEASURE\n');
		expect(config.columns).toMatchObject({ seriesColumn: 'SERIES', unitColumn: 'UNIT_MEASURE' });
		// Only the two names given: the default column lists stay, numbered comments included.
		expect(config.columns?.nonDisaggregation).toEqual(DEFAULT_COLUMN_SETTINGS.nonDisaggregation);
		const columns = ['Year', 'SERIES', 'UNIT_MEASURE', 'COMMENT_OBS_0', 'Value'];
		const sdmx: TidyRow[] = [
			...rowsOf({ 2015: 10, 2020: 5 }, { SERIES: 'SH_A', UNIT_MEASURE: 'PT', COMMENT_OBS_0: 'x' }),
			...rowsOf({ 2015: 10, 2020: 20 }, { SERIES: 'SH_B', UNIT_MEASURE: 'PT', COMMENT_OBS_0: '' })
		];
		const env = { columns: config.columns! };
		const a = computeIndicatorProgress(sdmx, on([{ series: 'SH_A', unit: 'PT' }]), columns, env);
		expect(a.series.map((s) => [s.tag, s.status])).toEqual([['SH_A / PT', 'substantial_progress']]);
		expect(computeIndicatorProgress(sdmx, on([{ series: 'SH_B' }]), columns, env).status).toBe('deterioration');
		// Without the setting, SERIES is a disaggregation and no Series column exists: no data.
		expect(computeIndicatorProgress(sdmx, on([{ series: 'SH_A', unit: 'PT' }]), columns).status).toBe('not_available');
		// Unfiltered, the renamed series column is not a disaggregation: two series left is an error.
		expect(computeIndicatorProgress(sdmx, on([{ unit: 'PT' }]), columns, env).error).toMatch(/More than one sub-series .*SERIES: SH_A, SH_B/);
		// Option values are translated as cells of the renamed columns.
		const translations = translationsFor({ en: { SERIES: { SH_A: 'Smokers' }, UNIT_MEASURE: { PT: 'Percent' } } }, 'en');
		const named = computeIndicatorProgress(sdmx, on([{ series: 'SH_A', unit: 'PT' }]), columns, { ...env, translations });
		expect(named.series.map((s) => s.status)).toEqual(['substantial_progress']);
		// A blank or non-text name is no setting.
		expect(dataConfigFromRaw({ indicator_options: { series_column: ' ', unit_column: ['x'] } }).columns).toBeUndefined();
		// Given with the lists, the names join them.
		const both = dataConfigFromRaw({ indicator_options: { non_disaggregation_columns: ['Year', 'Value'], series_column: 'SERIES' } }).columns;
		expect(both).toEqual({ nonDisaggregation: ['Year', 'Value'], observationAttributes: [], seriesColumn: 'SERIES' });
		// There UNIT_MEASURE is neither listed nor the unit column: a disaggregation, which must then be blank or filtered.
		const own = { ...both!, observationAttributes: ['COMMENT_OBS_0'] };
		expect(selectSeries(sdmx, { series: 'SH_B' }, columns, own).kind).toBe('not_available');
		expect(selectSeries(sdmx, { series: 'SH_B', disaggregation: [{ field: 'UNIT_MEASURE', value: 'PT' }] }, columns, own).kind).toBe('selected');
	});
});

describe('translations first', () => {
	const en = translationsFor(
		{
			en: {
				SEX: { F: 'Female', M: 'Male', SEX: 'Sex' },
				data: { PT: 'Percent', Urban: 'Urban areas' }
			},
			fr: { SEX: { F: 'Femmes' } }
		},
		'en'
	);

	it('reads translations/<lang>/<group>.yml as <group>.<key>', () => {
		expect(translationPathInfo('translations/en/SEX.yml')).toEqual({ language: 'en', group: 'SEX' });
		expect(translationPathInfo('translations/README.md')).toBeNull();
		expect(parseTranslationFile('F: Female\nM: Male\n2: 2\n', 'translations/en/SEX.yml').entries).toEqual({ F: 'Female', M: 'Male', '2': '2' });
		expect(parseTranslationFile('F: [unclosed\n', 'translations/en/SEX.yml').errors[0]?.file).toBe('translations/en/SEX.yml');
	});

	it('looks a text up as a key, then <column>.<text>, then data.<text>', () => {
		expect(translateText('SEX.F', ['other'], en)).toBe('Female');
		expect(translateText('F', ['SEX', 'data'], en)).toBe('Female');
		expect(translateText('PT', ['Units', 'data'], en)).toBe('Percent');
		expect(translateText('X', ['SEX', 'data'], en)).toBe('X');
	});

	it('translates cells, column names and option values before the filters are matched', () => {
		const rows: TidyRow[] = [...rowsOf({ 2015: 10, 2020: 5 }, { SEX: 'F', Units: 'PT' }), ...rowsOf({ 2015: 10, 2020: 20 }, { SEX: 'M', Units: 'PT' })];
		const columns = ['Year', 'SEX', 'Units', 'Value'];
		// The option is written with the translated value; the data holds codes.
		const options = [{ unit: 'Percent', disaggregation: [{ field: 'Sex', value: 'Female' }] }];
		const translated = translateIndicator(rows, columns, options, DEFAULT_COLUMN_SETTINGS, en);
		expect(translated.columns).toEqual(['Year', 'Sex', 'Units', 'Value']);
		expect(translated.rows[0]).toEqual({ Year: '2015', Value: 10, Sex: 'Female', Units: 'Percent' });
		expect(computeIndicatorProgress(rows, on(options), columns, { translations: en }).status).toBe('substantial_progress');
		// Without the translations, the filter matches nothing: no data.
		expect(computeIndicatorProgress(rows, on(options), columns).status).toBe('not_available');
		// Option values written as codes are translated too.
		const coded = [{ unit: 'PT', disaggregation: [{ field: 'SEX', value: 'M' }] }];
		expect(computeIndicatorProgress(rows, on(coded), columns, { translations: en }).status).toBe('deterioration');
	});
});

describe('filters', () => {
	const columns = ['Year', 'Sex', 'Value'];
	const rows: TidyRow[] = [...rowsOf({ 2015: 10, 2020: 5 }, { Sex: 'Female' }), ...rowsOf({ 2015: 10, 2020: 5 }, { Sex: '' })];

	it('gives a series no data when a filter value matches nothing; the series is left out of the mean', () => {
		const r = computeIndicatorProgress(rows, on([{ disaggregation: [{ field: 'Sex', value: 'Other' }] }, { disaggregation: [{ field: 'Sex', value: 'Female' }] }]), columns);
		expect(r.series.map((s) => s.status)).toEqual(['not_available', 'substantial_progress']);
		expect(r.status).toBe('substantial_progress');
		expect(r.error).toBeUndefined();
		expect(selectSeries(rows, { unit: 'Percent' }, columns).kind).toBe('not_available');
		expect(selectSeries(rows, { disaggregation: [{ field: 'Age', value: '15' }] }, columns).kind).toBe('not_available');
	});

	it('requires every disaggregation column an entry does not filter on to be blank', () => {
		const more: TidyRow[] = [...rowsOf({ 2015: 10, 2020: 5 }, { Sex: 'Female', Age: '' }), ...rowsOf({ 2015: 10, 2020: 40 }, { Sex: 'Female', Age: 'Young' })];
		const s = selectSeries(more, { disaggregation: [{ field: 'Sex', value: 'Female' }] }, ['Year', 'Sex', 'Age', 'Value']);
		expect(s.kind === 'selected' && s.current_value).toBe(5);
	});

	it('gives no data, not an error, when no row has every unfiltered disaggregation blank, with or without filters', () => {
		const columns = ['Year', 'Sex', 'Age', 'Value'];
		const everyAge: TidyRow[] = [...rowsOf({ 2015: 10, 2020: 5 }, { Sex: 'Female', Age: 'Young' }), ...rowsOf({ 2015: 10, 2020: 5 }, { Sex: 'Male', Age: 'Old' })];
		const filtered = computeIndicatorProgress(everyAge, on([{ disaggregation: [{ field: 'Sex', value: 'Female' }] }]), columns);
		expect(filtered).toMatchObject({ status: 'not_available', score: null });
		expect(filtered.error).toBeUndefined();
		const headline = computeIndicatorProgress(everyAge, on([{}]), columns);
		expect(headline).toMatchObject({ status: 'not_available', score: null });
		expect(headline.error).toBeUndefined();
		expect(selectSeries(everyAge, {}, columns).kind).toBe('not_available');
	});
});

describe('groups', () => {
	it('nest to any depth, each the mean of its scored members, empty groups left out', () => {
		const columns = ['Year', 'Sex', 'Value'];
		const rows: TidyRow[] = [
			...rowsOf({ 2015: 20, 2020: 10 }, { Sex: 'A' }), // target 10 reached: 5
			...rowsOf({ 2015: 100, 2020: 200 }, { Sex: 'B' }), // higher is worse: -5
			...rowsOf({ 2015: 50, 2020: 50 }, { Sex: 'C' }) // flat: -2.5
		];
		const A = { disaggregation: [{ field: 'Sex', value: 'A' }], target: 10 };
		const B = { disaggregation: [{ field: 'Sex', value: 'B' }] };
		const C = { disaggregation: [{ field: 'Sex', value: 'C' }] };
		const missing = { disaggregation: [{ field: 'Sex', value: 'Z' }] };
		// mean( mean(A, mean(B, C)), C, group(missing) ) = mean( mean(5, -3.75), -2.5 ) = mean(0.625, -2.5)
		const r = computeIndicatorProgress(rows, on([{ group: [A, { group: [B, C] }] }, C, { group: [missing, { group: [missing] }] }]), columns);
		expect(r.score).toBeCloseTo((0.625 - 2.5) / 2, 12);
		expect(r.series).toHaveLength(6);
		const parsed = parseIndicatorConfig('auto_progress_calculation: true\nprogress_calculation_options:\n  - group:\n      - group:\n          - series: A\n', 'indicator-config/1-1-1.yml');
		expect(parsed.errors).toEqual([]);
		expect(parsed.metadata.progress_calculation_options).toEqual([{ group: [{ group: [{ series: 'A' }] }] }]);
	});
});
