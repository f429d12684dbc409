import { describe, expect, it } from 'vitest';
import { dimensionNames, mapSlice, selectView, type ViewObservation } from '#lib/indicators/view.ts';

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
