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
 * Classes: up to five quantile classes computed from the values (equal numbers
 * of places, equal values never split), so no class is ever empty; each is
 * labelled with the lowest and highest value in it, and coloured from
 * ColorBrewer YlGnBu — sequential, colour-blind safe, light = low, dark = high.
 * Places without a value are still drawn, with a hatched grey pattern, and
 * "no data" in the legend.
 *
 * Names: every place gets a label point (its shape's centroid on the map) and a
 * number; a place whose shape is too small for its name at phone size shows
 * only its number, and the key beside the map names every number. Borders are a dark line on
 * a white casing, so every border reaches at least 3:1 against the fills on
 * both sides (WCAG 1.4.11), whatever the class.
 */
import { geoBounds, geoConicConformal, geoPath } from 'd3-geo';
import { decimalsOf } from './number-format.ts';
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
	/** 1, 2, … in the key beside the map (places sorted by name). */
	number: number;
	/** Where the place's label goes, in percent of the map's width and height. */
	labelAt: { x: number; y: number };
	/** Whether the name fits on the shape at phone size; otherwise only the number is shown on it. */
	nameFits: boolean;
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

/**
 * The shapes drawn for the map: the height and each shape's SVG path. They depend on the
 * shapes and the size only, not on the data, so the last few are kept (the shapes come
 * from caches of their own, so the same place is the same geometry object each time).
 */
interface Projected {
	geometries: unknown[];
	width: number;
	fixedHeight: number | undefined;
	height: number;
	paths: string[];
	centroids: Array<[number, number]>;
	boxes: Array<[[number, number], [number, number]]>;
}
const projections: Projected[] = [];
const MAX_PROJECTIONS = 32;

function projectedShapes(shapeFeatures: Feature[], width: number, fixedHeight: number | undefined, pad: number): Projected {
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
	const projected: Projected = {
		geometries,
		width,
		fixedHeight,
		height,
		paths: shapeFeatures.map((f) => path(f) ?? ''),
		centroids: shapeFeatures.map((f) => path.centroid(f) as [number, number]),
		boxes: shapeFeatures.map((f) => path.bounds(f) as [[number, number], [number, number]])
	};
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

	const { height, paths, centroids, boxes } = projectedShapes(
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
	const classes = classify(mapped);

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
			label: text.featureLabel(name, valueText, input.period),
			number: 0,
			labelAt: { x: round(((centroids[index]?.[0] ?? 0) / width) * 100, 2), y: round(((centroids[index]?.[1] ?? 0) / height) * 100, 2) },
			nameFits: fitsName(boxes[index], name, width)
		};
	});
	const byName = new Intl.Collator(locale);
	[...features].sort((a, b) => byName.compare(a.name, b.name) || a.code.localeCompare(b.code)).forEach((f, i) => (f.number = i + 1));
	spreadNameLabels(features, width, height);

	const legendClasses: LegendClass[] = classes.bounds.map(([min, max], i) => ({
		fill: classes.fills[i] ?? PALETTE[0],
		min,
		max,
		label: text.range(number.format(min), number.format(max)),
		count: features.filter((f) => f.classIndex === i).length
	}));
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
 * Up to `CLASS_COUNT` quantile classes: the distinct values in order, cut into groups of
 * about the same number of places, never splitting equal values; each class's bounds are
 * the lowest and highest value in it, so no class is empty. Fills spread over the palette
 * (three classes: light, middle, dark). One distinct value gives one class in the middle colour.
 */
export function classify(values: number[]): Classes {
	if (values.length === 0) return { bounds: [], fills: [], indexOf: () => 0 };
	const sorted = [...values].sort((a, b) => a - b);
	const distinct = [...new Set(sorted)];
	if (distinct.length === 1) {
		return { bounds: [[distinct[0]!, distinct[0]!]], fills: [PALETTE[2]], indexOf: () => 0 };
	}
	const k = Math.min(CLASS_COUNT, distinct.length);
	const groups: number[][] = [];
	let start = 0;
	for (let c = 0; c < k && start < sorted.length; c++) {
		// the last value of class c is at the (c + 1)/k quantile; equal values stay together
		let end = c === k - 1 ? sorted.length : Math.max(start + 1, Math.round(((c + 1) * sorted.length) / k));
		while (end < sorted.length && sorted[end] === sorted[end - 1]) end++;
		groups.push(sorted.slice(start, end));
		start = end;
	}
	const bounds = groups.filter((g) => g.length > 0).map((g): [number, number] => [g[0]!, g.at(-1)!]);
	const fills = bounds.map((_, i) => PALETTE[bounds.length === 1 ? 2 : Math.round((i * (PALETTE.length - 1)) / (bounds.length - 1))] ?? PALETTE[0]);
	return {
		bounds,
		fills,
		indexOf: (value) => {
			let index = 0;
			for (let i = 0; i < bounds.length; i++) if (value >= bounds[i]![0]) index = i;
			return index;
		}
	};
}

/** Average glyph width of a 13 px label in em (generous), and the phone width names must fit at. */
const LABEL_GLYPH = 0.62;
const LABEL_SIZE = 13;
const PHONE_MAP_WIDTH = 340;

function labelWidth(text: string): number {
	return [...text].length * LABEL_SIZE * LABEL_GLYPH + 8;
}

/** Whether a place's name fits inside its shape's box when the map is drawn at phone width. */
function fitsName(box: [[number, number], [number, number]] | undefined, name: string, width: number): boolean {
	if (!box) return false;
	const scale = PHONE_MAP_WIDTH / width;
	const w = (box[1][0] - box[0][0]) * scale;
	const h = (box[1][1] - box[0][1]) * scale;
	return w >= labelWidth(name) * 0.9 && h >= LABEL_SIZE * 2.6;
}

/** Names that would overlap another name at phone width fall back to their number. */
function spreadNameLabels(features: ChoroplethFeature[], width: number, height: number): void {
	const scale = PHONE_MAP_WIDTH / 100;
	const placed: Array<{ x0: number; x1: number; y0: number; y1: number }> = [];
	for (const f of [...features].sort((a, b) => a.number - b.number)) {
		if (!f.nameFits) continue;
		const cx = f.labelAt.x * scale;
		const cy = ((f.labelAt.y / 100) * height * PHONE_MAP_WIDTH) / width;
		const w = labelWidth(f.name);
		const box = { x0: cx - w / 2, x1: cx + w / 2, y0: cy - LABEL_SIZE * 1.3, y1: cy + LABEL_SIZE * 1.3 };
		if (placed.some((p) => p.x0 < box.x1 && box.x0 < p.x1 && p.y0 < box.y1 && box.y0 < p.y1)) f.nameFits = false;
		else placed.push(box);
	}
}


function round(value: number, decimals: number): number {
	return Number(value.toFixed(Math.max(0, Math.min(20, decimals))));
}

// ───────────────────────────── locator ─────────────────────────────

export interface LocatorModel {
	width: number;
	height: number;
	/** The state's outline. */
	state: string;
	/** The region's places, filled. */
	region: string;
}

const locators = new Map<string, LocatorModel>();

/**
 * A small map of the region within its state: the state's outline and the region's places
 * filled, in the same projection family as the main map. Kept per state and set of places
 * (the shapes never change while Sac2050 runs).
 */
export function buildLocator(state: Feature, region: Feature[], width = 120): LocatorModel {
	const key = `${width}|${region.map((f) => String(f.id ?? featureCode(f))).join(',')}|${String((state.properties as Record<string, unknown> | null)?.['name'] ?? '')}`;
	const kept = locators.get(key);
	if (kept) return kept;
	const [[west, south], [east, north]] = geoBounds(state);
	const projection = geoConicConformal()
		.rotate([-(west + east) / 2, 0])
		.parallels([south + (north - south) / 6, north - (north - south) / 6]);
	projection.fitWidth(width - 4, state);
	const [[, y0], [, y1]] = geoPath(projection).bounds(state);
	const height = Math.max(1, Math.ceil(y1 - y0) + 4);
	projection.fitExtent(
		[
			[2, 2],
			[width - 2, height - 2]
		],
		state
	);
	const path = geoPath(projection).digits(1);
	const model = { width, height, state: path(state) ?? '', region: region.map((f) => path(f) ?? '').join('') };
	if (locators.size > 32) locators.clear();
	locators.set(key, model);
	return model;
}
