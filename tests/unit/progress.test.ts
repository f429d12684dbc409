import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
	computeIndicatorProgress,
	computeSeriesProgress,
	growth,
	labelForStatus,
	limitCoefficient,
	projectTo2050,
	projectTrend,
	selectSeries,
	statusFromScore
} from '../../src/lib/indicators/progress.ts';
import type {
	Direction,
	IndicatorProgressConfig,
	ProgressOptions,
	ProgressStatus,
	SelectedSeries,
	SeriesSelection,
	TidyRow
} from '../../src/lib/indicators/progress.ts';

interface Vector {
	name: string;
	inputs: {
		base_year: number;
		base_value: number;
		current_year: number;
		current_value: number;
		direction: Direction;
		target: number | null;
		target_year: number;
		limit: number | null;
	};
	expected: { progress_value: number | null; score: number | null; status: ProgressStatus };
}

const fixturePath = path.resolve(import.meta.dirname, '../../../shared/fixtures/progress/series-vectors.yml');
const vectors = parse(readFileSync(fixturePath, 'utf8')) as Vector[];

function expectClose(actual: number | null, expected: number | null): void {
	if (expected === null) {
		expect(actual).toBeNull();
		return;
	}
	expect(actual).not.toBeNull();
	const a = actual as number;
	const tolerance = 1e-9 * Math.max(Math.abs(expected), Number.MIN_VALUE);
	expect(Math.abs(a - expected), `${a} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function selected(selection: SeriesSelection): SelectedSeries {
	if (selection.kind !== 'selected') throw new Error(`expected a selection, got ${JSON.stringify(selection)}`);
	return selection;
}

function auto(options: ProgressOptions[]): IndicatorProgressConfig {
	return { auto_progress_calculation: true, progress_calculation_options: options };
}

/** Rows of one series over the given years (value per year). */
function rowsOf(values: Record<number, number | string | null>, extra: Record<string, string> = {}): TidyRow[] {
	return Object.entries(values).map(([year, value]) => ({ Year: year, Value: value, ...extra }));
}

describe('published vectors (Statistics Canada Open SDG build)', () => {
	it('loads the fixture', () => {
		expect(vectors.length).toBeGreaterThanOrEqual(50);
	});

	it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
		const result = computeSeriesProgress(vector.inputs);
		expect(result.status).toBe(vector.expected.status);
		expectClose(result.progress_value, vector.expected.progress_value);
		expectClose(result.score, vector.expected.score);
	});
});

describe('growth', () => {
	it('is the compound annual growth rate', () => {
		expect(growth(121, 100, 2022, 2020)).toBeCloseTo(0.1, 12);
		expect(growth(50, 100, 2016, 2015)).toBe(-0.5);
	});
	it('is undefined for equal years or a zero base', () => {
		expect(growth(5, 4, 2020, 2020)).toBeNull();
		expect(growth(5, 0, 2020, 2015)).toBeNull();
	});
});

describe('computeSeriesProgress edge cases', () => {
	const base = { base_year: 2015, current_year: 2020, target_year: 2030 } as const;

	it('replaces a target of 0 by 0.001', () => {
		const r = computeSeriesProgress({ ...base, base_value: 10, current_value: 5, target: 0 });
		expect(r.target).toBe(0.001);
		expect(r.method).toBe(2);
		const observed = Math.pow(0.5, 1 / 5) - 1;
		const required = Math.pow(0.001 / 10, 1 / 15) - 1;
		// sign 1 · dir −1 · observed (negative) / |required|: positive.
		expectClose(r.progress_value, -observed / Math.abs(required));
	});

	it('replaces a base value of 0 by 0.001', () => {
		const r = computeSeriesProgress({ ...base, base_value: 0, current_value: 2, direction: 'positive' });
		expect(r.base_value).toBe(0.001);
		expectClose(r.progress_value, Math.pow(2000, 1 / 5) - 1);
		expect(r.status).toBe('substantial_progress');
		expect(r.score).toBe(5);
	});

	it('has no value when base and current have opposite signs', () => {
		const r = computeSeriesProgress({ ...base, base_value: 3, current_value: -1 });
		expect(r.progress_value).toBeNull();
		expect(r.score).toBeNull();
		expect(r.status).toBe('not_available');
	});

	it('uses the sign of a negative base value', () => {
		// -10 → -5 is an increase, which is progress when higher is better.
		const r = computeSeriesProgress({ ...base, base_value: -10, current_value: -5, direction: 'positive' });
		expect(r.sign).toBe(-1);
		expectClose(r.progress_value, -(Math.pow(0.5, 1 / 5) - 1));
		expect(r.status).toBe('substantial_progress');
	});

	it('has no value when the base year is after the current year or equal to it', () => {
		expect(computeSeriesProgress({ ...base, base_year: 2021, base_value: 1, current_value: 2 }).status).toBe('not_available');
		expect(computeSeriesProgress({ ...base, base_year: 2020, base_value: 1, current_value: 2 }).status).toBe('not_available');
	});

	it('leaves the value undefined when the required growth is 0, and lets the target test decide', () => {
		const missed = computeSeriesProgress({ ...base, base_value: 100, current_value: 90, target: 100, direction: 'positive' });
		expect(missed.progress_value).toBeNull();
		expect(missed.status).toBe('not_available');
		expect(missed.score).toBeNull();
		const met = computeSeriesProgress({ ...base, base_value: 100, current_value: 100, target: 100, direction: 'positive' });
		expect(met.progress_value).toBeNull();
		expect(met.status).toBe('target_achieved');
		expect(met.score).toBe(5);
		expect(met.target_achieved).toBe(true);
	});

	it('defaults to negative direction, 2030 target year, no target', () => {
		const r = computeSeriesProgress({ base_year: 2015, base_value: 100, current_year: 2020, current_value: 90 });
		expect(r.direction).toBe('negative');
		expect(r.target_year).toBe(2030);
		expect(r.method).toBe(1);
		expectClose(r.progress_value, -(Math.pow(0.9, 1 / 5) - 1));
		expect(r.status).toBe('substantial_progress');
	});

	it('scores method 2 on both branches', () => {
		const required = Math.abs(Math.pow(0.5, 1 / 15) - 1);
		const fast = computeSeriesProgress({ ...base, base_value: 100, current_value: 84, target: 50 });
		const p = -(Math.pow(0.84, 1 / 5) - 1) / required;
		expect(p).toBeGreaterThanOrEqual(0.6);
		expect(p).toBeLessThan(0.95);
		expectClose(fast.progress_value, p);
		expect(fast.status).toBe('moderate_progress');
		expectClose(fast.score, 7.1429 * p - 4.2857);

		const slow = computeSeriesProgress({ ...base, base_value: 100, current_value: 95, target: 50 });
		const q = -(Math.pow(0.95, 1 / 5) - 1) / required;
		expect(q).toBeLessThan(0.6);
		expectClose(slow.progress_value, q);
		expect(slow.status).toBe('limited_progress');
		expectClose(slow.score, 4.1667 * q - 2.5);
	});
});

describe('limit coefficient C', () => {
	it('follows the three branches', () => {
		expectClose(limitCoefficient(90, 100), 0.37362164501282824);
		expectClose(limitCoefficient(150, 100), 0.9539290869596531);
		expect(limitCoefficient(250, 100)).toBe(1);
		expect(limitCoefficient(200, 100)).toBe(1);
		expect(limitCoefficient(100, 100)).toBe(0);
		expect(limitCoefficient(0, 0)).toBe(1);
		expect(limitCoefficient(-90, -100)).toBe(limitCoefficient(90, 100));
	});

	it('reduces method-1 thresholds and rescales the score', () => {
		const inputs = { base_year: 2015, base_value: 90, current_year: 2020, current_value: 91, direction: 'positive' } as const;
		const plain = computeSeriesProgress(inputs);
		expect(plain.status).toBe('limited_progress');
		expectClose(plain.score, -1.393794492598408);
		const limited = computeSeriesProgress({ ...inputs, limit: 100 });
		expectClose(limited.coefficient, 0.37362164501282824);
		expectClose(limited.progress_value, 0.002212411014803184);
		expect(limited.status).toBe('moderate_progress');
		expectClose(limited.score, 0.23038198825928635);
	});

	it('scores 5 when C is 0 and the limit is held', () => {
		const r = computeSeriesProgress({
			...{ base_year: 2015, base_value: 100, current_year: 2020, current_value: 100 },
			direction: 'positive',
			limit: 100
		});
		expect(r.coefficient).toBe(0);
		expect(r.status).toBe('substantial_progress');
		expect(r.score).toBe(5);
	});

	it('is ignored with a target', () => {
		const r = computeSeriesProgress({
			...{ base_year: 2015, base_value: 90, current_year: 2020, current_value: 91 },
			direction: 'positive',
			limit: 100,
			target: 100
		});
		expect(r.coefficient).toBeNull();
		expect(r.method).toBe(2);
	});
});

describe('selectSeries', () => {
	it('counts year ranges as their first four digits', () => {
		const rows: TidyRow[] = [
			{ Year: '2015-16', Value: '10' },
			{ Year: '2016-17', Value: '11' },
			{ Year: '2018-2019', Value: 12 }
		];
		const s = selected(selectSeries(rows, {}, ['Year', 'Value']));
		expect(s.points).toEqual([
			{ year: 2015, value: 10 },
			{ year: 2016, value: 11 },
			{ year: 2018, value: 12 }
		]);
		expect(s.base_year).toBe(2015);
		expect(s.current_year).toBe(2018);
		expect(s.current_value).toBe(12);
	});

	it('uses the Progress column instead of Value when present', () => {
		const rows: TidyRow[] = [
			{ Year: '2015', Value: '10', Progress: '1' },
			{ Year: '2016', Value: '20', Progress: '' },
			{ Year: '2017', Value: '30', Progress: '3' }
		];
		const s = selected(selectSeries(rows, {}, ['Year', 'Value', 'Progress']));
		expect(s.points).toEqual([
			{ year: 2015, value: 1 },
			{ year: 2017, value: 3 }
		]);
	});

	it('keeps headline rows, ignoring GeoCode, Units and observation attributes', () => {
		const columns = ['Year', 'Units', 'Sex', 'GeoCode', 'COMMENT_OBS', 'Value'];
		const rows: TidyRow[] = [
			{ Year: '2015', Units: 'Percent', Sex: '', GeoCode: '06067', COMMENT_OBS: 'estimate', Value: '50' },
			{ Year: '2015', Units: 'Percent', Sex: 'Female', GeoCode: '06067', COMMENT_OBS: '', Value: '52' },
			{ Year: '2016', Units: 'Percent', Sex: null, GeoCode: '06067', COMMENT_OBS: '', Value: '48' },
			{ Year: '2016', Units: 'Percent', Sex: 'Female', GeoCode: '06067', COMMENT_OBS: 'x', Value: '49' }
		];
		const s = selected(selectSeries(rows, {}, columns));
		expect(s.points).toEqual([
			{ year: 2015, value: 50 },
			{ year: 2016, value: 48 }
		]);
	});

	it('filters by disaggregation, unit and series', () => {
		const columns = ['Year', 'Series', 'Units', 'Sex', 'Value'];
		const rows: TidyRow[] = [
			{ Year: '2015', Series: 'A', Units: 'Percent', Sex: 'Female', Value: '1' },
			{ Year: '2015', Series: 'A', Units: 'Count', Sex: 'Female', Value: '100' },
			{ Year: '2015', Series: 'B', Units: 'Percent', Sex: 'Female', Value: '7' },
			{ Year: '2016', Series: 'A', Units: 'Percent', Sex: 'Female', Value: '2' },
			{ Year: '2016', Series: 'A', Units: 'Percent', Sex: 'Male', Value: '5' }
		];
		const s = selected(
			selectSeries(rows, { series: 'A', unit: 'Percent', disaggregation: [{ field: 'Sex', value: 'Female' }] }, columns)
		);
		expect(s.points).toEqual([
			{ year: 2015, value: 1 },
			{ year: 2016, value: 2 }
		]);
	});

	it('is an error when more than one sub-series is left', () => {
		const columns = ['Year', 'Units', 'Value'];
		const rows: TidyRow[] = [
			{ Year: '2015', Units: 'Percent', Value: '1' },
			{ Year: '2015', Units: 'Count', Value: '100' }
		];
		const result = selectSeries(rows, {}, columns);
		expect(result.kind).toBe('error');
		expect(result.kind === 'error' && result.error).toMatch(/sub-series.*Units/);
		expect(selected(selectSeries(rows, { unit: 'Count' }, columns)).current_value).toBe(100);
	});

	it('keeps only rows where every disaggregation it does not filter on is blank', () => {
		const columns = ['Year', 'Sex', 'Age', 'Value'];
		const rows: TidyRow[] = [
			{ Year: '2015', Sex: 'Female', Age: '', Value: '1' },
			{ Year: '2016', Sex: 'Female', Age: '15-24', Value: '2' },
			{ Year: '2017', Sex: 'Female', Age: '', Value: '3' }
		];
		const s = selected(selectSeries(rows, { disaggregation: [{ field: 'Sex', value: 'Female' }] }, columns));
		expect(s.points).toEqual([
			{ year: 2015, value: 1 },
			{ year: 2017, value: 3 }
		]);
		// With Age filtered on too, Sex must be blank: no such rows is simply no data.
		expect(selectSeries(rows, { disaggregation: [{ field: 'Age', value: '15-24' }] }, columns).kind).toBe('not_available');
	});

	it('drops blank values and is an error on two values for one year', () => {
		const blankRows = rowsOf({ 2015: '4', 2016: '', 2017: null, 2018: 'NA', 2019: '5' });
		const blanks = selected(selectSeries(blankRows, {}, ['Year', 'Value']));
		expect(blanks.points.map((p) => p.year)).toEqual([2015, 2019]);

		const rows: TidyRow[] = [
			{ Year: '2015', Value: '1' },
			{ Year: '2016', Value: '2' },
			{ Year: '2016', Value: '3' }
		];
		const result = selectSeries(rows, {}, ['Year', 'Value']);
		expect(result.kind).toBe('error');
		expect(result.kind === 'error' && result.error).toContain('2016');
		// A blank duplicate is dropped before the check.
		const withBlank = [...rows.slice(0, 2), { Year: '2016', Value: '' }];
		expect(selectSeries(withBlank, {}, ['Year', 'Value']).kind).toBe('selected');
	});

	it('takes the next later year when the base year is absent', () => {
		const rows = rowsOf({ 2012: 1, 2014: 2, 2017: 3, 2020: 4 });
		const s = selected(selectSeries(rows, {}, ['Year', 'Value']));
		expect(s.base_year).toBe(2017);
		expect(s.base_value).toBe(3);
		expect(s.current_year).toBe(2020);
		const exact = selected(selectSeries(rows, { base_year: 2014 }, ['Year', 'Value']));
		expect(exact.base_year).toBe(2014);
		expect(exact.base_value).toBe(2);
	});

	it('has no base value when the base year is after all the data', () => {
		const s = selected(selectSeries(rowsOf({ 2012: 1, 2014: 2 }), {}, ['Year', 'Value']));
		expect(s.base_year).toBe(2015);
		expect(s.base_value).toBeNull();
		expect(computeSeriesProgress(s).status).toBe('not_available');
	});

	it('is not available without rows', () => {
		expect(selectSeries([], {}, ['Year', 'Value']).kind).toBe('not_available');
		expect(selectSeries(rowsOf({ 2015: '' }), {}, ['Year', 'Value']).kind).toBe('not_available');
	});
});

describe('statusFromScore and labels', () => {
	it('maps the mean score to a status', () => {
		expect(statusFromScore(5, false)).toBe('substantial_progress');
		expect(statusFromScore(2.5, false)).toBe('substantial_progress');
		expect(statusFromScore(2.4999, false)).toBe('moderate_progress');
		expect(statusFromScore(0, false)).toBe('moderate_progress');
		expect(statusFromScore(-0.0001, false)).toBe('limited_progress');
		expect(statusFromScore(-2.5, false)).toBe('limited_progress');
		expect(statusFromScore(-2.5001, false)).toBe('deterioration');
		expect(statusFromScore(-5, false)).toBe('deterioration');
		expect(statusFromScore(-5, true)).toBe('target_achieved');
		expect(statusFromScore(null, false)).toBe('not_available');
	});

	it('maps statuses to plain labels', () => {
		expect(labelForStatus('target_achieved')).toBe('improving');
		expect(labelForStatus('substantial_progress')).toBe('improving');
		expect(labelForStatus('moderate_progress')).toBe('improving');
		expect(labelForStatus('limited_progress')).toBe('steady');
		expect(labelForStatus('deterioration')).toBe('worsening');
		expect(labelForStatus('not_available')).toBe('not_reported');
		expect(labelForStatus('')).toBeNull();
	});
});

describe('computeIndicatorProgress', () => {
	const columns = ['Year', 'Sex', 'Value'];
	// Female: target 10 reached (score 5). Male: 100 → 50 with higher better (score -5).
	// Other: flat (P = 0, limited, score -2.5).
	const rows: TidyRow[] = [
		...rowsOf({ 2015: 20, 2020: 10 }, { Sex: 'Female' }),
		...rowsOf({ 2015: 100, 2020: 50 }, { Sex: 'Male' }),
		...rowsOf({ 2015: 7, 2020: 7 }, { Sex: 'Other' })
	];
	const female = { disaggregation: [{ field: 'Sex', value: 'Female' }], target: 10 };
	const male = { disaggregation: [{ field: 'Sex', value: 'Male' }], direction: 'positive' as const };
	const other = { disaggregation: [{ field: 'Sex', value: 'Other' }] };

	it('averages the series scores', () => {
		const r = computeIndicatorProgress(rows, auto([female, male, other]), columns);
		expect(r.series.map((s) => s.score)).toEqual([5, -5, -2.5]);
		expect(r.series.map((s) => s.status)).toEqual(['target_achieved', 'deterioration', 'limited_progress']);
		expectClose(r.score, -2.5 / 3);
		expect(r.status).toBe('limited_progress');
		expect(r.label).toBe('steady');
		expect(r.series.map((s) => s.tag)).toEqual(['Female', 'Male', 'Other']);
	});

	it('reduces a group to its mean before the indicator mean', () => {
		const r = computeIndicatorProgress(
			rows,
			{ auto_progress_calculation: true, progress_calculation_options: [female, { group: [male, other] }] },
			columns
		);
		expect(r.series).toHaveLength(3);
		expect(r.series.map((s) => s.entry)).toEqual([0, 1, 1]);
		expectClose(r.score, (5 + (-5 + -2.5) / 2) / 2);
		expect(r.status).toBe('moderate_progress');
		expect(r.label).toBe('improving');
	});

	it('lets group members inherit the group options', () => {
		const r = computeIndicatorProgress(
			rows,
			auto([{ direction: 'positive', group: [{ disaggregation: male.disaggregation }] }]),
			columns
		);
		expect(r.series[0]?.direction).toBe('positive');
		expect(r.score).toBe(-5);
	});

	it('is target_achieved only when every scored series achieved its target', () => {
		const two = [
			...rowsOf({ 2015: 20, 2020: 10 }, { Sex: 'Female' }),
			...rowsOf({ 2015: 30, 2020: 12 }, { Sex: 'Male' }),
			...rowsOf({ 2020: 3 }, { Sex: 'Other' })
		];
		const male12 = { disaggregation: [{ field: 'Sex', value: 'Male' }], target: 12 };
		const unscored = { disaggregation: [{ field: 'Sex', value: 'Other' }] };
		const all = computeIndicatorProgress(two, auto([female, male12, unscored]), columns);
		expect(all.series[2]?.score).toBeNull();
		expect(all.score).toBe(5);
		expect(all.status).toBe('target_achieved');

		const male11 = { ...male12, target: 11 };
		const some = computeIndicatorProgress(two, auto([female, male11]), columns);
		expect(some.series.map((s) => s.target_achieved)).toEqual([true, false]);
		// Both score 5, yet one target is missed: the status comes from the mean.
		expect(some.series.map((s) => s.score)).toEqual([5, 5]);
		expect(some.score).toBe(5);
		expect(some.status).toBe('substantial_progress');
	});

	it('is not_available when no series has a score', () => {
		const r = computeIndicatorProgress(rowsOf({ 2020: 3 }), { auto_progress_calculation: true }, ['Year', 'Value']);
		expect(r.score).toBeNull();
		expect(r.status).toBe('not_available');
		expect(r.label).toBe('not_reported');
	});

	it('uses the headline series with default options', () => {
		const headline = [...rowsOf({ 2015: 100, 2020: 90 }, { Sex: '' }), ...rows];
		const r = computeIndicatorProgress(headline, { auto_progress_calculation: true }, columns);
		expect(r.series).toHaveLength(1);
		expect(r.series[0]?.direction).toBe('negative');
		expect(r.status).toBe('substantial_progress');
	});

	it('reports a selection error for the indicator', () => {
		// No headline rows is no data for that series, not an error.
		const r = computeIndicatorProgress(rows, { auto_progress_calculation: true }, columns);
		expect(r.status).toBe('not_available');
		expect(r.score).toBeNull();
		expect(r.error).toBeUndefined();

		const dupRows = rowsOf({ 2015: 1, 2016: 2 }).concat(rowsOf({ 2016: 3 }));
		const dup = computeIndicatorProgress(dupRows, { auto_progress_calculation: true });
		expect(dup.error).toContain('2016');
		expect(dup.status).toBe('not_available');
	});

	it('uses a manual status as is when the calculation is off', () => {
		const manual = computeIndicatorProgress(
			rows,
			{ progress_status: 'moderate_progress', progress_calculation_options: [female] },
			columns
		);
		expect(manual).toEqual({ status: 'moderate_progress', score: null, label: 'improving', series: [] });
		const offConfig = { auto_progress_calculation: false, progress_status: 'deterioration' };
		const off = computeIndicatorProgress(rows, offConfig, columns);
		expect(off.status).toBe('deterioration');
		expect(off.label).toBe('worsening');
		const ignored = computeIndicatorProgress(
			rows,
			{ auto_progress_calculation: true, progress_status: 'deterioration', progress_calculation_options: [female] },
			columns
		);
		expect(ignored.status).toBe('target_achieved');
		expect(ignored.score).toBe(5);
	});

	it('falls back to method 1 on the headline series for the label', () => {
		const rising = rowsOf({ 2010: 50, 2015: 100, 2020: 120 });
		const pos = computeIndicatorProgress(rising, { direction: 'positive' });
		expect(pos).toEqual({ status: '', score: null, label: 'improving', series: [] });
		expect(computeIndicatorProgress(rising, { direction: 'negative' }).label).toBe('worsening');
		expect(computeIndicatorProgress(rising, {}).label).toBe('not_reported');
		// From 2015, not the earliest year: flat since 2015 is steady.
		const flat = rowsOf({ 2010: 1, 2015: 100, 2020: 100 });
		expect(computeIndicatorProgress(flat, { direction: 'positive' }).label).toBe('steady');
		// Data starting after 2015: the earliest year is the base.
		const late = rowsOf({ 2017: 100, 2019: 99, 2020: 100.2 });
		expect(computeIndicatorProgress(late, { direction: 'positive' }).label).toBe('steady');
		expect(computeIndicatorProgress(rowsOf({ 2017: 100, 2020: 90 }), { direction: 'positive' }).label).toBe('worsening');
		// A single year: not enough data.
		expect(computeIndicatorProgress(rowsOf({ 2020: 3 }), { direction: 'positive' }).label).toBe('not_reported');
	});
});

describe('projection to 2050', () => {
	it('carries the current growth forward', () => {
		const p = projectTrend(2020, 110, 2010, 100, 150, 2050, 'positive');
		expect(p).not.toBeNull();
		expectClose(p?.value ?? null, 146.40999999999988);
		expect(p?.year).toBe(2050);
		expect(p?.meets_target).toBe(false);
		expect(projectTrend(2020, 110, 2010, 100, 140, 2050, 'positive')?.meets_target).toBe(true);
		expect(projectTrend(2020, 110, 2010, 100, 150, 2050, 'negative')?.meets_target).toBe(true);
		expect(projectTrend(2020, 110, 2010, 100)?.meets_target).toBeNull();
		expectClose(projectTrend(2020, 110, 2010, 100, null, 2030)?.value ?? null, 121);
	});

	it('is null when growth is undefined', () => {
		expect(projectTrend(2020, 5, 2020, 5, 1)).toBeNull();
		expect(projectTrend(2020, 5, 2015, 0, 1)).toBeNull();
	});

	it('projects a computed series against its target and direction', () => {
		const c = computeSeriesProgress({
			...{ base_year: 2015, base_value: 80, current_year: 2020, current_value: 60 },
			target: 20,
			target_year: 2050
		});
		const p = projectTo2050(c);
		expectClose(p?.value ?? null, 60 * Math.pow(60 / 80, 30 / 5));
		expect(p?.meets_target).toBe(true);
		const none = computeSeriesProgress({ base_year: null, base_value: null, current_year: null, current_value: null });
		expect(projectTo2050(none)).toBeNull();
	});
});
