import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { geoArea } from 'd3-geo';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChoropleth, classify, MAP_STYLE, PALETTE } from '../../src/lib/indicators/map.ts';
import type { ChoroplethInput } from '../../src/lib/indicators/map.ts';
import { regionFeatures } from '../../src/lib/indicators/server/geography.ts';

const REGION = path.resolve(import.meta.dirname, '../../region');

const COUNTIES: Array<[string, string]> = [
	['06067', 'Sacramento County'],
	['06061', 'Placer County'],
	['06017', 'El Dorado County'],
	['06113', 'Yolo County'],
	['06101', 'Sutter County'],
	['06115', 'Yuba County']
];
const CODES = COUNTIES.map(([code]) => code);

/** WCAG 2.x contrast ratio. */
function contrast(a: string, b: string): number {
	const lum = (hex: string) => {
		const [r, g, bl] = [1, 3, 5].map((i) => {
			const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		}) as [number, number, number];
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
	return (hi + 0.05) / (lo + 0.05);
}

function input(values: ChoroplethInput['values'], overrides: Partial<ChoroplethInput> = {}): ChoroplethInput {
	return {
		title: 'Unemployment rate',
		unit: 'percent',
		period: '2022',
		direction: 'negative',
		features: regionFeatures(CODES, REGION),
		values,
		...overrides
	};
}

const VALUES: ChoroplethInput['values'] = [
	{ code: '06067', name: 'Sacramento County', value: 8.3 },
	{ code: '06061', name: 'Placer County', value: 6.1 },
	{ code: '06017', name: 'El Dorado County', value: 7 },
	{ code: '06113', name: 'Yolo County', value: 9.9 },
	{ code: '06101', name: 'Sutter County', value: 12.4 },
	{ code: '06115', name: 'Yuba County', value: 15.2 }
];

describe('regionFeatures', () => {
	it('extracts the six counties from us-atlas, in the order asked, with codes and names', () => {
		const fc = regionFeatures(CODES, REGION);
		expect(fc.features).toHaveLength(6);
		expect(fc.features.map((f) => [f.properties.code, f.properties.name])).toEqual(COUNTIES);
		for (const f of fc.features) {
			// d3-geo orientation: each county covers a small part of the sphere, not all but it.
			expect(geoArea(f)).toBeGreaterThan(0);
			expect(geoArea(f)).toBeLessThan(0.001);
		}
		expect(regionFeatures(['06115', '06067'], REGION).features.map((f) => f.properties.code)).toEqual(['06115', '06067']);
	});

	it('takes names from the caller, and leaves out codes it has no shape for', () => {
		const fc = regionFeatures(['06067', '99999', 'SACOG'], REGION, { '06067': 'Condado de Sacramento' });
		expect(fc.features.map((f) => f.properties.name)).toEqual(['Condado de Sacramento']);
	});

	it('draws the six counties in under 8 KB of SVG path data', () => {
		const model = buildChoropleth(input(VALUES));
		const pathBytes = model.features.reduce((n, f) => n + Buffer.byteLength(f.d), 0);
		// Markup around the paths: <path id d>, three <use> per county, <title> labels.
		const markup = model.features.reduce((n, f) => n + 200 + Buffer.byteLength(f.label), 0);
		expect(pathBytes + markup).toBeLessThan(8 * 1024);
		for (const f of model.features) {
			expect(f.d).toMatch(/^M[\d.,LMZ-]+Z$/);
			// Coordinates rounded to one decimal.
			expect(f.d).not.toMatch(/\.\d\d/);
		}
	});

	describe('GeoJSON in the region pack', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'sac2050-geo-'));
		afterAll(() => rmSync(dir, { recursive: true, force: true }));
		mkdirSync(path.join(dir, 'geo'));
		// RFC 7946 orientation (outer rings anticlockwise), as GIS tools write it.
		const square = (x: number, y: number) => [
			[
				[x, y],
				[x + 0.1, y],
				[x + 0.1, y + 0.1],
				[x, y + 0.1],
				[x, y]
			]
		];
		writeFileSync(
			path.join(dir, 'geo', 'city.geojson'),
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{ type: 'Feature', properties: { code: 'C-1', name: 'Davis' }, geometry: { type: 'Polygon', coordinates: square(-121.8, 38.5) } },
					{ type: 'Feature', properties: { GEOID: '0664000', NAME: 'Sacramento' }, geometry: { type: 'Polygon', coordinates: square(-121.5, 38.5) } }
				]
			})
		);

		it('finds shapes by properties.code or GEOID, next to us-atlas counties', () => {
			const fc = regionFeatures(['0664000', 'C-1', '06113'], dir);
			expect(fc.features.map((f) => [f.properties.code, f.properties.name])).toEqual([
				['0664000', 'Sacramento'],
				['C-1', 'Davis'],
				['06113', 'Yolo County']
			]);
			for (const f of fc.features) expect(geoArea(f)).toBeLessThan(0.001);
		});

		it('maps them', () => {
			const fc = regionFeatures(['C-1', '0664000'], dir);
			const model = buildChoropleth(
				{ ...input([]), features: fc, values: [{ code: 'C-1', name: 'Davis', value: 3 }, { code: '0664000', name: 'Sacramento', value: 7.9 }] },
				{ width: 400 }
			);
			expect(model.features.map((f) => f.fill)).toEqual([PALETTE[0], PALETTE[4]]);
			for (const f of model.features) {
				const numbers = f.d.match(/-?\d+(\.\d+)?/g)!.map(Number);
				expect(Math.min(...numbers)).toBeGreaterThanOrEqual(0);
				expect(Math.max(...numbers)).toBeLessThanOrEqual(400);
			}
		});
	});
});

describe('buildChoropleth', () => {
	it('draws the same shapes for the same places and size however often it is asked, and redraws for another size or set', () => {
		const first = buildChoropleth(input(VALUES));
		// The shapes come back as the same objects, so the projection is reused; the values are not.
		expect(regionFeatures(CODES, REGION).features[0]!.geometry).toBe(regionFeatures(CODES, REGION).features[0]!.geometry);
		const again = buildChoropleth(input(VALUES.map((v) => ({ ...v, value: v.value! + 1 }))));
		expect(again.features.map((f) => f.d)).toEqual(first.features.map((f) => f.d));
		expect(again.height).toBe(first.height);
		expect(again.features.map((f) => f.valueText)).not.toEqual(first.features.map((f) => f.valueText));
		const wider = buildChoropleth(input(VALUES), { width: 960 });
		expect(wider.height).toBeGreaterThan(first.height);
		expect(wider.features[0]!.d).not.toBe(first.features[0]!.d);
		const fewer = buildChoropleth(input(VALUES, { features: regionFeatures(CODES.slice(0, 2), REGION) }));
		expect(fewer.features).toHaveLength(2);
		expect(fewer.features[0]!.d).not.toBe(first.features[0]!.d);
	});

	it('puts the values in classes computed from the data, none empty, light to dark', () => {
		const model = buildChoropleth(input(VALUES));
		expect(model.width).toBe(640);
		expect(model.height).toBeGreaterThan(300);
		expect(model.height).toBeLessThan(640);
		expect(model.legend.classes.map((c) => [c.min, c.max, c.label, c.count])).toEqual([
			[6.1, 6.1, '6.1', 1],
			[7, 7, '7.0', 1],
			[8.3, 9.9, '8.3 to 9.9', 2],
			[12.4, 12.4, '12.4', 1],
			[15.2, 15.2, '15.2', 1]
		]);
		expect(model.legend.classes.every((c) => c.count > 0)).toBe(true);
		expect(model.features.map((f) => [f.code, f.classIndex])).toEqual([
			['06067', 2],
			['06061', 0],
			['06017', 1],
			['06113', 2],
			['06101', 3],
			['06115', 4]
		]);
		expect(model.legend.classes.map((c) => c.fill)).toEqual([...PALETTE]);
		expect(model.legend.noData).toBeNull();
		expect(model.legend.note).toBe('Darker shades mean higher values. Lower is better.');
		expect(model.legend.title).toBe('Legend (percent)');
	});

	it('uses a palette that gets darker with each class, with borders at 3:1 or more against every fill', () => {
		const white = '#ffffff';
		for (let i = 1; i < PALETTE.length; i++) {
			// Each class is darker than the one below it, by a visible step.
			expect(contrast(PALETTE[i]!, white)).toBeGreaterThan(contrast(PALETTE[i - 1]!, white));
			expect(contrast(PALETTE[i]!, PALETTE[i - 1]!)).toBeGreaterThanOrEqual(1.5);
		}
		// Border = dark line on a white casing: one of the two is ≥ 3:1 against each fill.
		for (const fill of [...PALETTE, MAP_STYLE.noDataBackground]) {
			expect(Math.max(contrast(fill, MAP_STYLE.border), contrast(fill, MAP_STYLE.casing))).toBeGreaterThanOrEqual(3);
		}
		expect(contrast(MAP_STYLE.border, MAP_STYLE.casing)).toBeGreaterThanOrEqual(3);
		expect(contrast(MAP_STYLE.noDataHatch, MAP_STYLE.noDataBackground)).toBeGreaterThanOrEqual(3);
	});

	it('labels each place and summarizes the map for screen readers', () => {
		const model = buildChoropleth(input(VALUES));
		expect(model.features.find((f) => f.code === '06101')?.label).toBe('Sutter County: 12.4 percent (2022)');
		expect(model.features.find((f) => f.code === '06017')?.label).toBe('El Dorado County: 7.0 percent (2022)');
		expect(model.summary).toBe(
			'In 2022, Yuba County had the highest value (15.2 percent) and Placer County the lowest (6.1 percent).'
		);
		expect(model.text.tableCaption).toBe('Unemployment rate, 2022');
		expect(model.table.map((r) => [r.name, r.code, r.valueText])).toEqual([
			['El Dorado County', '06017', '7.0'],
			['Placer County', '06061', '6.1'],
			['Sacramento County', '06067', '8.3'],
			['Sutter County', '06101', '12.4'],
			['Yolo County', '06113', '9.9'],
			['Yuba County', '06115', '15.2']
		]);
	});

	it('shows places without a value as no data, and lists values without a shape', () => {
		const values = [
			...VALUES.filter((v) => v.code !== '06101' && v.code !== '06113'),
			{ code: '06113', name: 'Yolo County', value: null },
			{ code: '06099', name: 'Stanislaus County', value: 11.1 },
			{ code: 'SACOG', name: 'Sacramento region', value: 8.8 }
		];
		const model = buildChoropleth(input(values, { direction: 'positive' }), { locale: 'en-US' });
		const byCode = new Map(model.features.map((f) => [f.code, f]));
		for (const code of ['06101', '06113']) {
			expect(byCode.get(code)).toMatchObject({ value: null, fill: null, classIndex: null, valueText: null });
		}
		expect(byCode.get('06101')?.label).toBe('Sutter County: no data (2022)');
		expect(model.legend.noData).toEqual({ label: 'No data', count: 2 });
		expect(model.legend.note).toBe('Darker shades mean higher values. Higher is better.');
		expect(model.summary).toBe(
			'In 2022, Yuba County had the highest value (15.2 percent) and Placer County the lowest (6.1 percent). No data for Sutter County and Yolo County.'
		);
		expect(model.unmatched.map((v) => v.code)).toEqual(['06099', 'SACOG']);
		expect(model.table.find((r) => r.code === '06113')).toEqual({ code: '06113', name: 'Yolo County', value: null, valueText: 'No data' });
		// The unmatched value (11.1) does not change the classes.
		expect(model.legend.classes.map((c) => c.label)).toEqual(['6.1', '7.0', '8.3', '15.2']);
	});

	it('handles ties, one value, equal values and no values', () => {
		const tie = buildChoropleth(input(VALUES.map((v) => (v.code === '06113' ? { ...v, value: 15.2 } : v))));
		expect(tie.summary).toBe(
			'In 2022, Yolo County and Yuba County had the highest value (15.2 percent) and Placer County the lowest (6.1 percent).'
		);

		const one = buildChoropleth(input([{ code: '06067', name: 'Sacramento County', value: 8 }]));
		expect(one.summary).toBe('In 2022, only Sacramento County has data: 8 percent. No data for El Dorado County, Placer County, Sutter County, Yolo County, and Yuba County.');
		expect(one.legend.classes).toHaveLength(1);
		expect(one.legend.classes[0]?.label).toBe('8');

		const equal = buildChoropleth(input(VALUES.map((v) => ({ ...v, value: 5 }))));
		expect(equal.summary).toBe('In 2022, all 6 places with data had the same value (5 percent).');
		expect(new Set(equal.features.map((f) => f.fill)).size).toBe(1);

		const none = buildChoropleth(input([]));
		expect(none.summary).toBe('No values are available for 2022.');
		expect(none.legend.classes).toEqual([]);
		expect(none.legend.noData?.count).toBe(6);
		expect(none.features.every((f) => f.fill === null && f.d.length > 0)).toBe(true);
	});

	it('formats numbers for the locale and takes replacement text', () => {
		const model = buildChoropleth(
			input(VALUES.map((v) => ({ ...v, value: (v.value ?? 0) * 1000 })), { unit: 'dólares' }),
			{ locale: 'es', text: { featureLabel: (name, value, period) => `${name}: ${value ?? 'sin datos'} (${period})` } }
		);
		expect(model.features.find((f) => f.code === '06115')?.label).toBe('Yuba County: 15.200 dólares (2022)');
		expect(model.legend.classes[2]?.label).toBe('8300 to 9900');
	});
});

describe('classify', () => {
	const labels = (values: number[]) => classify(values).bounds;

	it('never makes an empty class, and never more classes than distinct values', () => {
		for (const values of [[0, 100], [1, 3], [1, 1, 1, 2], [6.1, 7, 8.3, 9.9, 12.4, 15.2], [5, 5, 5, 5, 5, 40], [...Array(40).keys()].map((i) => i * i)]) {
			const c = classify(values);
			const counts = c.bounds.map((_, i) => values.filter((v) => c.indexOf(v) === i).length);
			expect(counts.every((n) => n > 0), JSON.stringify(values)).toBe(true);
			expect(c.bounds.length).toBeLessThanOrEqual(Math.min(5, new Set(values).size));
			// every value lies within its class's bounds
			for (const v of values) {
				const [lo, hi] = c.bounds[c.indexOf(v)]!;
				expect(v).toBeGreaterThanOrEqual(lo);
				expect(v).toBeLessThanOrEqual(hi);
			}
		}
	});

	it('keeps equal values together and spreads the fills light to dark', () => {
		expect(labels([5, 5, 5, 5, 5, 40])).toEqual([[5, 5], [40, 40]]);
		expect(classify([1, 2, 3]).fills).toEqual([PALETTE[0], PALETTE[2], PALETTE[4]]);
		expect(classify([7]).fills).toEqual([PALETTE[2]]);
		expect(labels([...Array(10).keys()])).toEqual([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]);
	});
});

describe('labels and locator', () => {
	it('numbers the places by name and places every label inside the map', () => {
		const model = buildChoropleth(input(VALUES));
		expect([...model.features].sort((a, b) => a.number - b.number).map((f) => f.name)).toEqual([
			'El Dorado County', 'Placer County', 'Sacramento County', 'Sutter County', 'Yolo County', 'Yuba County'
		]);
		for (const f of model.features) {
			expect(f.labelAt.x).toBeGreaterThan(0);
			expect(f.labelAt.x).toBeLessThan(100);
			expect(f.labelAt.y).toBeGreaterThan(0);
			expect(f.labelAt.y).toBeLessThan(100);
		}
		// large counties carry their name; at least one small one falls back to its number
		expect(model.features.find((f) => f.code === '06017')?.nameFits).toBe(true);
		expect(model.features.some((f) => !f.nameFits)).toBe(true);
	});

	it('draws the region within its state', async () => {
		const { stateShape } = await import('../../src/lib/indicators/server/geography.ts');
		const { buildLocator } = await import('../../src/lib/indicators/map.ts');
		const california = stateShape('06');
		expect(california?.name).toBe('California');
		expect(stateShape('99')).toBeUndefined();
		const locator = buildLocator({ type: 'Feature', properties: {}, geometry: california!.geometry }, regionFeatures(CODES, REGION).features);
		expect(locator.width).toBe(120);
		expect(locator.height).toBeGreaterThan(100);
		expect(locator.state.startsWith('M')).toBe(true);
		expect(locator.region.match(/M/g)!.length).toBeGreaterThanOrEqual(6);
	});
});
