/**
 * Choropleth maps by GeoCode, computed on the server and drawn as SVG by
 * `ui/ChoroplethMap.svelte` (no map JavaScript reaches the browser).
 *
 * `buildChoropleth` is pure: it takes shapes that are already loaded (see
 * `server/geography.ts`) and one value per GeoCode, and returns everything the
 * component draws — SVG path strings, fills, the legend, one accessible label
 * per place, a summary for screen readers and the rows of the table
 * equivalent.
 *
 * Classes: five equal-interval classes with round boundaries (steps of 1, 2,
 * 2.5, 3, 4 or 5 × 10ⁿ) that cover the values, coloured with ColorBrewer YlGnBu —
 * sequential, colour-blind safe, light = low, dark = high. Places without a
 * value get a hatched grey pattern and "no data". Borders are a dark line on
 * a white casing, so every border reaches at least 3:1 against the fills on
 * both sides (WCAG 1.4.11), whatever the class.
 */
import { geoBounds, geoConicConformal, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry } from 'geojson';

export type MapDirection = 'positive' | 'negative' | null;

export interface ChoroplethValue {
	/** The GeoCode, e.g. the county FIPS code `06061`. */
	code: string;
	/** The place's name in the page's language, e.g. `Placer County`. */
	name: string;
	value: number | null;
}

export interface ChoroplethInput {
	title: string;
	/** E.g. `percent`; written after each value ("12.4 percent"). May be empty. */
	unit: string;
	/** The period the values are for, e.g. `2022`. */
	period: string;
	/** `positive`: higher is better; `negative`: lower is better; `null`: neither. */
	direction: MapDirection;
	/** Shapes, one feature per place, with `properties.code` (or `GEOID`) and `properties.name`. */
	features: FeatureCollection;
	values: ChoroplethValue[];
	/** The values are illustrative sample data. */
	isSample?: boolean;
}

/** Interface text; English by default, every part can be replaced (e.g. with Paraglide messages). */
export interface ChoroplethText {
	noData: string;
	/** `12.4` + `percent` → `12.4 percent`. */
	valueWithUnit: (value: string, unit: string) => string;
	/** `Placer County: 12.4 percent (2022)`; `value` is null when there is no data. */
	featureLabel: (name: string, value: string | null, period: string) => string;
	/** A legend class, e.g. `6.0 to 7.9`. */
	range: (low: string, high: string) => string;
	legendTitle: (unit: string) => string;
	/** `Darker shades mean higher values. Higher is better.` */
	legendNote: (direction: MapDirection) => string;
	summaryHighLow: (period: string, highest: string, highestValue: string, lowest: string, lowestValue: string) => string;
	summaryAllEqual: (period: string, count: number, value: string) => string;
	summaryOne: (period: string, name: string, value: string) => string;
	summaryNone: (period: string) => string;
	/** Appended to the summary when some places have no value. */
	summaryMissing: (names: string) => string;
	tableToggle: string;
	tableCaption: (title: string, period: string) => string;
	columnPlace: string;
	columnValue: (unit: string) => string;
}

export const ENGLISH_TEXT: ChoroplethText = {
	noData: 'No data',
	valueWithUnit: (value, unit) => (unit ? `${value} ${unit}` : value),
	featureLabel: (name, value, period) => `${name}: ${value ?? 'no data'} (${period})`,
	range: (low, high) => (low === high ? low : `${low} to ${high}`),
	legendTitle: (unit) => (unit ? `Legend (${unit})` : 'Legend'),
	legendNote: (direction) =>
		'Darker shades mean higher values.' +
		(direction === 'positive' ? ' Higher is better.' : direction === 'negative' ? ' Lower is better.' : ''),
	summaryHighLow: (period, highest, highestValue, lowest, lowestValue) =>
		`In ${period}, ${highest} had the highest value (${highestValue}) and ${lowest} the lowest (${lowestValue}).`,
	summaryAllEqual: (period, count, value) => `In ${period}, all ${count} places with data had the same value (${value}).`,
	summaryOne: (period, name, value) => `In ${period}, only ${name} has data: ${value}.`,
	summaryNone: (period) => `No values are available for ${period}.`,
	summaryMissing: (names) => ` No data for ${names}.`,
	tableToggle: 'Map data as a table',
	tableCaption: (title, period) => `${title}, ${period}`,
	columnPlace: 'Place',
	columnValue: (unit) => (unit ? `Value (${unit})` : 'Value')
};

export interface ChoroplethOptions {
	/** SVG user units; default 640. */
	width?: number;
	/** Default: from the shapes' aspect ratio at `width`. */
	height?: number;
	/** BCP 47 locale for numbers, list joins and sorting; default `en`. */
	locale?: string;
	text?: Partial<ChoroplethText>;
}

export interface ChoroplethFeature {
	code: string;
	name: string;
	/** SVG path data in the model's width × height; coordinates rounded to 0.1. */
	d: string;
	value: number | null;
	/** The value formatted with its unit, e.g. `12.4 percent`; null when there is no data. */
	valueText: string | null;
	/** 0 (lowest) … classes.length − 1; null when there is no data. */
	classIndex: number | null;
	/** Fill colour; null means "no data" (drawn with the hatch pattern). */
	fill: string | null;
	/** `Placer County: 12.4 percent (2022)`. */
	label: string;
}

export interface LegendClass {
	fill: string;
	/** Inclusive lower bound. */
	min: number;
	/** Exclusive upper bound, inclusive for the last class. */
	max: number;
	/** E.g. `6.0 to 7.9`. */
	label: string;
	/** How many places are in the class. */
	count: number;
}

export interface ChoroplethModel {
	width: number;
	height: number;
	title: string;
	unit: string;
	period: string;
	direction: MapDirection;
	isSample: boolean;
	/** In the order of the input features. */
	features: ChoroplethFeature[];
	legend: {
		title: string;
		/** Lowest first; empty when no place has data. */
		classes: LegendClass[];
		/** Present when at least one place has no data. */
		noData: { label: string; count: number } | null;
		/** `Darker shades mean higher values. Higher is better.` */
		note: string;
	};
	/** For screen readers: the highest and lowest places. */
	summary: string;
	/** The table equivalent: every mapped place, sorted by name. */
	table: Array<{ code: string; name: string; value: number | null; valueText: string }>;
	/** Values whose GeoCode has no shape: not on the map, for the page to list. */
	unmatched: ChoroplethValue[];
	text: {
		tableToggle: string;
		tableCaption: string;
		columnPlace: string;
		columnValue: string;
		noData: string;
	};
	/** Colours of the drawing, for the component. */
	style: typeof MAP_STYLE;
}

/** ColorBrewer YlGnBu, 5 classes (colour-blind safe, print friendly); lightest = lowest. */
export const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;

export const MAP_STYLE = {
	/** Border line between places; ≥ 3:1 against the light fills… */
	border: '#1b1b1b',
	/** …and a casing under it that is ≥ 3:1 against the dark fills. */
	casing: '#ffffff',
	borderWidth: 1,
	casingWidth: 3,
	/** No-data pattern: hatch lines on a light grey (4.7:1). */
	noDataBackground: '#f0f0f0',
	noDataHatch: '#6b6b6b'
} as const;

const CLASS_COUNT = PALETTE.length;
const MAX_DECIMALS = 3;

/**
 * The shapes drawn for the map: the height and each shape's SVG path. They depend on the
 * shapes and the size only, not on the data, so the last few are kept (the shapes come
 * from caches of their own, so the same place is the same geometry object each time).
 */
const projections: Array<{ geometries: unknown[]; width: number; fixedHeight: number | undefined; height: number; paths: string[] }> = [];
const MAX_PROJECTIONS = 32;

function projectedShapes(shapeFeatures: Feature[], width: number, fixedHeight: number | undefined, pad: number): { height: number; paths: string[] } {
	const geometries = shapeFeatures.map((f) => f.geometry);
	const kept = projections.find(
		(p) => p.width === width && p.fixedHeight === fixedHeight && p.geometries.length === geometries.length && p.geometries.every((g, i) => g === geometries[i])
	);
	if (kept) return kept;

	// Projection: Lambert conformal conic centred on the shapes (the projection of
	// California's State Plane zones), standard parallels at 1/6 and 5/6 of their height.
	const fc: FeatureCollection = { type: 'FeatureCollection', features: shapeFeatures };
	let height = fixedHeight ?? Math.round(width * 0.75);
	const projection = geoConicConformal();
	if (shapeFeatures.length > 0) {
		const [[west, south], [east, north]] = geoBounds(fc);
		const centreLon = east >= west ? (west + east) / 2 : (west + east + 360) / 2;
		projection.rotate([-centreLon, 0]).parallels([south + (north - south) / 6, north - (north - south) / 6]);
		if (fixedHeight === undefined) {
			projection.fitWidth(width - 2 * pad, fc);
			const [[, y0], [, y1]] = geoPath(projection).bounds(fc);
			height = Math.max(1, Math.ceil(y1 - y0) + 2 * pad);
		}
		projection.fitExtent(
			[
				[pad, pad],
				[width - pad, height - pad]
			],
			fc
		);
	}
	const path = geoPath(projection).digits(1);
	const projected = { geometries, width, fixedHeight, height, paths: shapeFeatures.map((f) => path(f) ?? '') };
	if (projections.length >= MAX_PROJECTIONS) projections.shift();
	projections.push(projected);
	return projected;
}

/** The GeoCode of a feature: `properties.code`, `properties.GEOID` or the feature id. */
export function featureCode(feature: Feature<Geometry | null, GeoJsonProperties>): string | null {
	const p = feature.properties ?? {};
	const code = p['code'] ?? p['GEOID'] ?? p['geoid'] ?? feature.id;
	return code === undefined || code === null ? null : String(code);
}

export function buildChoropleth(input: ChoroplethInput, options: ChoroplethOptions = {}): ChoroplethModel {
	const locale = options.locale ?? 'en';
	const text: ChoroplethText = { ...ENGLISH_TEXT, ...options.text };
	const width = options.width ?? 640;
	const pad = 4;

	// Values by code (the first value of a code wins); non-finite numbers count as no data.
	const byCode = new Map<string, ChoroplethValue>();
	for (const v of input.values) {
		if (!byCode.has(v.code)) {
			byCode.set(v.code, { ...v, value: v.value !== null && Number.isFinite(v.value) ? v.value : null });
		}
	}
	const featureCodes = new Set<string>();
	const shapes = input.features.features.flatMap((f) => {
		const code = featureCode(f);
		if (code === null || featureCodes.has(code)) return [];
		featureCodes.add(code);
		return [{ feature: f, code }];
	});
	const unmatched = [...byCode.values()].filter((v) => !featureCodes.has(v.code));

	const { height, paths } = projectedShapes(
		shapes.map((s) => s.feature),
		width,
		options.height,
		pad
	);

	// Classes over the values of places on the map.
	const mapped = shapes.flatMap((s) => {
		const v = byCode.get(s.code)?.value;
		return v === undefined || v === null ? [] : [v];
	});
	const decimals = Math.max(0, ...mapped.map(decimalsOf));
	const number = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
	const fmt = (v: number) => text.valueWithUnit(number.format(v), input.unit);
	const classes = classify(mapped, decimals);

	const features: ChoroplethFeature[] = shapes.map(({ feature, code }, index) => {
		const entry = byCode.get(code);
		const props = feature.properties ?? {};
		const name = entry?.name || (typeof props['name'] === 'string' ? props['name'] : '') || code;
		const value = entry?.value ?? null;
		const classIndex = value === null ? null : classes.indexOf(value);
		const valueText = value === null ? null : fmt(value);
		return {
			code,
			name,
			d: paths[index] ?? '',
			value,
			valueText,
			classIndex,
			fill: classIndex === null ? null : (classes.fills[classIndex] ?? null),
			label: text.featureLabel(name, valueText, input.period)
		};
	});

	const legendClasses: LegendClass[] = classes.bounds.map(([min, max], i) => {
		const isLast = i === classes.bounds.length - 1;
		const shownMax = isLast ? max : max - 10 ** -decimals;
		return {
			fill: classes.fills[i] ?? PALETTE[0],
			min,
			max,
			label: text.range(number.format(min), number.format(Math.max(min, round(shownMax, decimals)))),
			count: features.filter((f) => f.classIndex === i).length
		};
	});
	const missing = features.filter((f) => f.value === null);

	const collator = new Intl.Collator(locale);
	const list = new Intl.ListFormat(locale, { type: 'conjunction' });
	const withData = features.filter((f): f is ChoroplethFeature & { value: number } => f.value !== null);
	let summary: string;
	if (withData.length === 0) {
		summary = text.summaryNone(input.period);
	} else if (withData.length === 1) {
		const only = withData[0]!;
		summary = text.summaryOne(input.period, only.name, fmt(only.value));
	} else {
		const max = Math.max(...withData.map((f) => f.value));
		const min = Math.min(...withData.map((f) => f.value));
		const names = (v: number) =>
			list.format(
				withData
					.filter((f) => f.value === v)
					.map((f) => f.name)
					.sort(collator.compare)
			);
		summary =
			max === min
				? text.summaryAllEqual(input.period, withData.length, fmt(max))
				: text.summaryHighLow(input.period, names(max), fmt(max), names(min), fmt(min));
	}
	if (missing.length > 0 && withData.length > 0) {
		summary += text.summaryMissing(list.format(missing.map((f) => f.name).sort(collator.compare)));
	}

	return {
		width,
		height,
		title: input.title,
		unit: input.unit,
		period: input.period,
		direction: input.direction,
		isSample: input.isSample ?? false,
		features,
		legend: {
			title: text.legendTitle(input.unit),
			classes: legendClasses,
			noData: missing.length > 0 ? { label: text.noData, count: missing.length } : null,
			note: text.legendNote(input.direction)
		},
		summary,
		table: features
			.map((f) => ({ code: f.code, name: f.name, value: f.value, valueText: f.value === null ? text.noData : number.format(f.value) }))
			.sort((a, b) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code)),
		unmatched,
		text: {
			tableToggle: text.tableToggle,
			tableCaption: text.tableCaption(input.title, input.period),
			columnPlace: text.columnPlace,
			columnValue: text.columnValue(input.unit),
			noData: text.noData
		},
		style: MAP_STYLE
	};
}

// ───────────────────────────── classes ─────────────────────────────

interface Classes {
	/** [min, max) per class, lowest first; the last class includes its max. */
	bounds: Array<[number, number]>;
	fills: string[];
	indexOf: (value: number) => number;
}

/**
 * Five equal-interval classes with round boundaries: the smallest step of
 * 1, 2, 2.5, 3, 4 or 5 × 10ⁿ (and no finer than the data's precision) such that five
 * steps from a multiple of the step below the minimum reach the maximum.
 * One value (or all equal) gives one class in the middle colour.
 */
export function classify(values: number[], decimals: number): Classes {
	if (values.length === 0) return { bounds: [], fills: [], indexOf: () => 0 };
	const min = Math.min(...values);
	const max = Math.max(...values);
	if (min === max) {
		return { bounds: [[min, max]], fills: [PALETTE[2]], indexOf: () => 0 };
	}
	const unit = 10 ** -decimals;
	const raw = Math.max((max - min) / CLASS_COUNT, unit);
	let step = unit;
	let start = min;
	search: for (let e = Math.floor(Math.log10(raw)); ; e++) {
		for (const m of [1, 2, 2.5, 3, 4, 5]) {
			const candidate = round(m * 10 ** e, decimals + 1 - Math.min(0, e));
			// A step must be a whole number of data units (2.5 × 10⁻¹ on data with 1 decimal is not).
			if (candidate < unit - 1e-12 || Math.abs(candidate / unit - Math.round(candidate / unit)) > 1e-9) continue;
			const first = round(Math.floor(min / candidate + 1e-9) * candidate, decimals);
			if (first + CLASS_COUNT * candidate >= max - 1e-9) {
				step = candidate;
				start = first;
				break search;
			}
		}
	}
	const edges = Array.from({ length: CLASS_COUNT + 1 }, (_, i) => round(start + i * step, decimals));
	const bounds = edges.slice(0, -1).map((lo, i): [number, number] => [lo, edges[i + 1] ?? lo]);
	return {
		bounds,
		fills: [...PALETTE],
		indexOf: (value) => {
			let index = 0;
			for (let i = 1; i < CLASS_COUNT; i++) if (value >= (edges[i] ?? Infinity) - 1e-9) index = i;
			return index;
		}
	};
}

/** Decimal places a value is written with, at most MAX_DECIMALS. */
function decimalsOf(value: number): number {
	for (let d = 0; d < MAX_DECIMALS; d++) {
		const scaled = value * 10 ** d;
		if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return d;
	}
	return MAX_DECIMALS;
}

function round(value: number, decimals: number): number {
	return Number(value.toFixed(Math.max(0, Math.min(20, decimals))));
}
