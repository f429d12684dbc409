import { describe, expect, it } from 'vitest';
import { areaCrumb, basePoint, changeSince, dashboardArea, matchesFilter, OTHER_INDICATORS_ID, parseStatusFilter, summarize } from '#lib/indicators/dashboard.ts';

const point = { period: '2024', year: 2024, value: 1 };
const indicators = [
	{ id: 'a', label: 'improving' as const, latest: point },
	{ id: 'b', label: 'improving' as const, latest: point },
	{ id: 'c', label: 'steady' as const, latest: point },
	{ id: 'd', label: 'worsening' as const, latest: point },
	{ id: 'e', label: 'not_reported' as const, latest: point },
	{ id: 'f', label: 'not_reported' as const, latest: null },
	{ id: 'g', label: 'not_reported' as const, latest: null }
];

describe('home dashboard summary', () => {
	it('counts measured indicators by status and the ones without data', () => {
		expect(summarize(indicators)).toEqual({ total: 7, measured: 5, improving: 2, steady: 1, worsening: 1, unclear: 1, notMeasured: 2 });
		expect(summarize([])).toEqual({ total: 0, measured: 0, improving: 0, steady: 0, worsening: 0, unclear: 0, notMeasured: 0 });
	});

	it('never counts an indicator without data as improving, even if a stale label says so', () => {
		expect(summarize([{ label: 'improving', latest: null }])).toMatchObject({ measured: 0, improving: 0, notMeasured: 1 });
	});
});

describe('status filter', () => {
	it('reads only the statuses it offers, anything else shows all', () => {
		expect(parseStatusFilter('worsening')).toBe('worsening');
		expect(parseStatusFilter('not_reported')).toBe('not_reported');
		expect(parseStatusFilter(null)).toBe('all');
		expect(parseStatusFilter('')).toBe('all');
		expect(parseStatusFilter('Improving')).toBe('all');
		expect(parseStatusFilter('<script>')).toBe('all');
	});

	it('groups an area into measured rows and "not yet measured"', () => {
		const all = dashboardArea(indicators, 'all');
		expect(all.measured.map((i) => i.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(all.notMeasured.map((i) => i.id)).toEqual(['f', 'g']);
		expect(all.total).toBe(7);
	});

	it('keeps only the chosen status; "not reported" includes the indicators without data', () => {
		expect(dashboardArea(indicators, 'improving')).toMatchObject({ measured: [{ id: 'a' }, { id: 'b' }], notMeasured: [] });
		expect(dashboardArea(indicators, 'worsening').measured.map((i) => i.id)).toEqual(['d']);
		const notReported = dashboardArea(indicators, 'not_reported');
		expect(notReported.measured.map((i) => i.id)).toEqual(['e']);
		expect(notReported.notMeasured.map((i) => i.id)).toEqual(['f', 'g']);
		expect(matchesFilter({ label: 'improving', latest: null }, 'improving')).toBe(false);
	});
});

describe('change since the base year', () => {
	const points = [
		{ period: '2012', year: 2012, value: 5 },
		{ period: '2016', year: 2016, value: 7 },
		{ period: '2015', year: 2015, value: 6 },
		{ period: '2020', year: 2020, value: 9 }
	];

	it('starts from the base year, else the first year after it, else the first year', () => {
		expect(basePoint(points, 2015)?.year).toBe(2015);
		expect(basePoint(points, 2014)?.year).toBe(2015);
		expect(basePoint(points, 2010)?.year).toBe(2012);
		expect(basePoint(points, 2030)?.year).toBe(2012);
		expect(basePoint([], 2015)).toBeNull();
	});

	it('is the difference to the latest value, without float noise', () => {
		expect(changeSince({ value: 0.1 }, { value: 0.3 })).toBe(0.2);
		expect(changeSince({ value: 9 }, { value: 4.5 })).toBe(-4.5);
		expect(changeSince(null, { value: 1 })).toBeNull();
	});
});

describe('the area step of an indicator breadcrumb', () => {
	it('is the area, or the home page’s other indicators for an indicator in none', () => {
		expect(areaCrumb({ id: 'economy', name: 'The Economy' }, 'Other indicators')).toEqual({ label: 'The Economy', href: '/areas/economy' });
		expect(areaCrumb(null, 'Otros indicadores')).toEqual({ label: 'Otros indicadores', href: `/#${OTHER_INDICATORS_ID}` });
		expect(OTHER_INDICATORS_ID).toMatch(/^[a-z][a-z-]*$/);
	});
});
