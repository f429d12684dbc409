import { describe, expect, it } from 'vitest';
import { compareView, dimensionNames, mapSlice, MAX_COMPARED, selectView, type ViewObservation } from '#lib/indicators/view.ts';
import { chartSettings, stacksWhenCompared } from '#lib/indicators/chart-settings.ts';

function obs(period: string, value: number | null, dims: Record<string, string> = {}): ViewObservation {
	return { period, year: Number(period.slice(0, 4)), value, dims, attributes: {} };
}

const columns = ['Year', 'Units', 'Sex', 'GeoCode', 'COMMENT_OBS', 'Value'];
const data = [
	obs('2015', 10, { Units: 'Percent' }),
	obs('2016', 11, { Units: 'Percent' }),
	obs('2015', 9, { Units: 'Percent', Sex: 'Female' }),
	obs('2016', 8, { Units: 'Percent', Sex: 'Female' }),
	obs('2015', 12, { Units: 'Percent', Sex: 'Male' }),
	obs('2016', 13, { Units: 'Percent', GeoCode: '06067' }),
	obs('2016', 14, { Units: 'Percent', GeoCode: '06061' }),
	obs('2015', 1000, { Units: 'Count' })
];

describe('indicator views', () => {
	it('orders dimensions Units, Series, then file order, and leaves out attributes', () => {
		expect(dimensionNames(columns, data)).toEqual(['Units', 'Sex', 'GeoCode']);
	});

	it('shows the headline of the first unit by default', () => {
		const view = selectView(data, columns, {});
		expect(view.selection).toEqual({ Units: 'Percent', Sex: '', GeoCode: '' });
		expect(view.observations.map((o) => o.value)).toEqual([10, 11]);
		expect(view.isHeadline).toBe(true);
		expect(view.notices).toEqual([]);
		expect(view.dimensions.find((d) => d.name === 'Sex')).toEqual({ name: 'Sex', values: ['Female', 'Male'], hasBlank: true, selected: '' });
		expect(view.dimensions.find((d) => d.name === 'Units')).toMatchObject({ values: ['Percent', 'Count'], hasBlank: false });
	});

	it('follows a request, and offers only values that exist with the earlier choices', () => {
		const view = selectView(data, columns, { Sex: 'Female' });
		expect(view.observations.map((o) => o.value)).toEqual([9, 8]);
		expect(view.isHeadline).toBe(false);
		// No county rows for women: GeoCode offers only the headline.
		expect(view.dimensions.find((d) => d.name === 'GeoCode')).toMatchObject({ values: [], hasBlank: true, selected: '' });
		expect(selectView(data, columns, { Units: 'Count' }).observations.map((o) => o.value)).toEqual([1000]);
	});

	it('falls back to the headline with a notice for unknown or contradictory values', () => {
		const unknown = selectView(data, columns, { Sex: 'Other' });
		expect(unknown.notices).toEqual([{ dimension: 'Sex', requested: 'Other', reason: 'unknown' }]);
		expect(unknown.observations.map((o) => o.value)).toEqual([10, 11]);
		const contradictory = selectView(data, columns, { Sex: 'Female', GeoCode: '06067' });
		expect(contradictory.notices).toEqual([{ dimension: 'GeoCode', requested: '06067', reason: 'unavailable' }]);
		expect(contradictory.observations.map((o) => o.value)).toEqual([9, 8]);
	});

	it('picks the first value where a dimension has no blank rows', () => {
		const counties = [obs('2015', 1, { GeoCode: 'A' }), obs('2015', 2, { GeoCode: 'B' })];
		const view = selectView(counties, ['Year', 'GeoCode', 'Value'], {});
		expect(view.selection).toEqual({ GeoCode: 'A' });
		expect(view.observations.map((o) => o.value)).toEqual([1]);
	});

	it('slices the latest year with several geographies for the map', () => {
		const view = selectView(data, columns, {});
		const slice = mapSlice(data, columns, view.selection);
		expect(slice?.period).toBe('2016');
		expect(slice?.rows.map((o) => o.dims.GeoCode)).toEqual(['06067', '06061']);
		expect(mapSlice(data, columns, { Units: 'Count', Sex: '', GeoCode: '' })).toBeUndefined();
		expect(mapSlice([obs('2015', 1)], ['Year', 'Value'], {})).toBeUndefined();
	});
});

describe('comparing a dimension', () => {
	const many = [
		...data,
		...['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((g) => obs('2016', 1, { Units: 'Percent', Group: g }))
	];
	const cols = [...columns.slice(0, -1), 'Group', 'Value'];

	it('draws one series per value, the headline first, the main view being the first', () => {
		const { view, comparison } = compareView(data, columns, { Units: 'Percent' }, { dimension: 'Sex', values: [] });
		expect(comparison?.choices).toEqual(['', 'Female', 'Male']);
		expect(comparison?.series.map((s) => [s.value, s.observations.map((o) => o.value)])).toEqual([
			['', [10, 11]],
			['Female', [9, 8]],
			['Male', [12]]
		]);
		expect(view.selection['Sex']).toBe('');
	});

	it('honours the values asked for, and keeps at most six', () => {
		const two = compareView(data, columns, {}, { dimension: 'Sex', values: ['Male', 'Female'] }).comparison;
		expect(two?.series.map((s) => s.value)).toEqual(['Male', 'Female']);
		const seven = compareView(many, cols, {}, { dimension: 'Group', values: ['A', 'B', 'C', 'D', 'E', 'F', 'G'] }).comparison;
		expect(MAX_COMPARED).toBe(6);
		expect(seven?.series).toHaveLength(6);
		expect(seven?.omitted).toEqual(['G']);
		// none or one value asked: the first six choices, nothing "left out"
		const defaults = compareView(many, cols, {}, { dimension: 'Group', values: ['B'] }).comparison;
		expect(defaults?.series.map((s) => s.value)).toEqual(['', 'A', 'B', 'C', 'D', 'E']);
		expect(defaults?.omitted).toEqual([]);
	});

	it('is no comparison for an unknown dimension or one with a single value', () => {
		expect(compareView(data, columns, {}, { dimension: 'Nope', values: [] }).comparison).toBeUndefined();
		expect(compareView(data, columns, { Units: 'Count' }, { dimension: 'Sex', values: [] }).comparison).toBeUndefined();
		expect(compareView(data, columns, {}, { dimension: '', values: [] }).view.selection).toEqual({ Units: 'Percent', Sex: '', GeoCode: '' });
	});
});

describe('chart settings from Open SDG metadata', () => {
	it('stacks the disaggregation graph_stacked_disaggregation names, on bar charts only', () => {
		const meta = (raw: Record<string, string>, config: Record<string, string> = {}) => JSON.stringify({ meta: { raw }, config: { raw: config } });
		const bar = chartSettings(meta({ graph_type: 'bar', graph_stacked_disaggregation: 'Sex' }), 'bar');
		expect(bar).toEqual({ type: 'bar', stackedDisaggregation: 'Sex', stackAny: false });
		expect(stacksWhenCompared(bar, 'Sex')).toBe(true);
		expect(stacksWhenCompared(bar, 'Age')).toBe(false);
		expect(chartSettings(meta({ graph_type: 'line', graph_stacked_disaggregation: 'Sex' }), 'line').stackedDisaggregation).toBeNull();
		// indicator-config wins over meta
		expect(chartSettings(meta({ graph_type: 'line' }, { graph_type: 'bar', graph_stacked_disaggregation: 'Age' }), 'line')).toMatchObject({ type: 'bar', stackedDisaggregation: 'Age' });
		const any = chartSettings(meta({ graph_type: 'stacked_bar' }), 'bar');
		expect(stacksWhenCompared(any, 'Anything')).toBe(true);
		expect(chartSettings('not json', 'line')).toEqual({ type: 'line', stackedDisaggregation: null, stackAny: false });
	});
});
