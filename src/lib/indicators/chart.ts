/**
 * The indicator chart, computed on the server: `buildChart` turns one to six series into a
 * `ChartModel` (every position, path, tick and label already computed), and `chartSvgMarkup`
 * draws that model as one SVG string. The page, the embed and the SVG/PNG downloads all use
 * `chartSvgMarkup`, so there is exactly one drawing. Pure: no I/O, no Svelte.
 *
 * Readable at every width: text is 12–14 px at the natural size, and a page draws the chart
 * once per width bucket (`CHART_WIDTHS`) and shows the bucket no wider than its container, so
 * the SVG is only ever scaled up, never down (see ui/Chart.svelte). The page puts the title
 * in HTML above the chart, where it wraps; the downloads draw it inside (`drawTitle`).
 *
 * The x axis spans the data. A target or projection for a later year (2050) is drawn in a
 * compact panel to the right of a broken axis, so a long wait until 2050 does not squeeze
 * fifteen years of data into a corner. A target level is kept off the plot's edges.
 *
 * Accessibility: the SVG is `role="img"` with a <title> and a <desc> holding `summary`, a
 * plain-language account built from the data. Colour is never the only cue: series differ by
 * marker shape and dash pattern (lines) or fill pattern (bars), and lines are labelled at
 * their ends. Colours are the Okabe–Ito palette (colour-blind safe), with its orange darkened
 * so that every graphic colour reaches 3:1 against white (WCAG 1.4.11).
 */

import { tickStep } from 'd3-array';
import { dataDecimals } from './number-format.ts';
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

// ───────────────────────────── input ─────────────────────────────

export interface ChartInputPoint {
	year: number;
	/** How the period is shown, e.g. "2019" or "2019–20". */
	period: string;
	value: number;
	/** An observation footnote (e.g. "Provisional"), numbered and marked on the chart. */
	note?: string;
}

export interface ChartInputSeries {
	label: string;
	points: ChartInputPoint[];
}

export interface ChartInput {
	title: string;
	unit: string;
	type: 'line' | 'bar';
	/** Bar charts: the series are parts of one whole, stacked in each year's bar. */
	stacked?: boolean;
	/** One to `MAX_SERIES` series (more are left out); the first is the main one (summary, projection). */
	series: ChartInputSeries[];
	target?: { value: number; year: number; label: string };
	/** A dotted line from the last data point to the target year: a projection, never data. */
	projection?: { fromYear: number; fromValue: number; toYear: number; toValue: number };
	isSample?: boolean;
}

/** Interface text drawn in the chart (English defaults; pass translations). */
export interface ChartLabels {
	year: string;
	/** Legend entry of the projection, e.g. "Projection to 2050 (not data)". */
	projection: string;
	/** Used when `target.label` is empty. */
	target: string;
	sample: string;
	noData: string;
	/** The sentences of the screen-reader summary (see chartSummary). */
	summary: ChartSummaryText;
}

/** Sentences of a chart's summary; values arrive formatted, periods as written. */
export interface ChartSummaryText {
	/** `Unemployment, percent, 2010 to 2024.` */
	span: (head: string, from: string, to: string) => string;
	/** `Unemployment, percent, 2024.` */
	onePeriod: (head: string, period: string) => string;
	was: (value: string, period: string) => string;
	stayed: (value: string, from: string, to: string) => string;
	/** Up to a peak, then down: `since` is '' or one of lowestSince / highestSince. */
	peak: (first: string, firstPeriod: string, high: string, highPeriod: string, last: string, lastPeriod: string, since: string) => string;
	dip: (first: string, firstPeriod: string, low: string, lowPeriod: string, last: string, lastPeriod: string, since: string) => string;
	rose: (first: string, firstPeriod: string, last: string, lastPeriod: string, since: string) => string;
	fell: (first: string, firstPeriod: string, last: string, lastPeriod: string, since: string) => string;
	endedWhereStarted: (last: string, lastPeriod: string) => string;
	/** `, its lowest since 2010` (appended to a sentence before its full stop). */
	lowestSince: (period: string) => string;
	highestSince: (period: string) => string;
	/** One other series: `Female, 32,283 in 2019`. */
	otherSeries: (label: string, value: string, period: string) => string;
	/** `Also shown: ….`, the other series joined. */
	alsoShown: (others: string[]) => string;
	target: (year: number, value: string) => string;
	projection: (value: string, year: number) => string;
}

export const ENGLISH_SUMMARY: ChartSummaryText = {
	span: (head, from, to) => `${head}, ${from} to ${to}.`,
	onePeriod: (head, period) => `${head}, ${period}.`,
	was: (value, period) => `It was ${value} in ${period}.`,
	stayed: (value, from, to) => `It stayed at ${value} from ${from} to ${to}.`,
	peak: (first, fp, high, hp, last, lp, since) => `It rose from ${first} in ${fp} to ${high} in ${hp} and was ${last} in ${lp}${since}.`,
	dip: (first, fp, low, lowP, last, lp, since) => `It fell from ${first} in ${fp} to ${low} in ${lowP} and was ${last} in ${lp}${since}.`,
	rose: (first, fp, last, lp, since) => `It rose from ${first} in ${fp} to ${last} in ${lp}${since}.`,
	fell: (first, fp, last, lp, since) => `It fell from ${first} in ${fp} to ${last} in ${lp}${since}.`,
	endedWhereStarted: (last, lp) => `It ended where it started, at ${last} in ${lp}.`,
	lowestSince: (period) => `, its lowest since ${period}`,
	highestSince: (period) => `, its highest since ${period}`,
	otherSeries: (label, value, period) => `${label}, ${value} in ${period}`,
	alsoShown: (others) => `Also shown: ${others.join('; ')}.`,
	target: (year, value) => `The ${year} target is ${value}.`,
	projection: (value, year) => `If the recent trend continues, it would reach ${value} by ${year} (a projection, not data).`
};

export interface ChartOptions {
	/** Natural width in px. Default 720. */
	width?: number;
	/** Natural height in px; grows if the legend needs more room. Default: from the width. */
	height?: number;
	/** BCP 47 locale for numbers. Default 'en'. */
	locale?: string;
	labels?: Partial<ChartLabels>;
	/** Draw the title inside the SVG (files); pages put it in HTML. Default true. */
	drawTitle?: boolean;
}

/** A chart never shows more lines than this (DESIGN.md: "never more than six lines"). */
export const MAX_SERIES = 6;

/** The natural widths a page draws the chart at; each is shown in containers at least that wide. */
export const CHART_WIDTHS = [280, 420, 560, 760] as const;

/** One drawing of a chart at a natural width, for a page (see ui/Chart.svelte). */
export interface ChartDrawing {
	/** Natural width: shown in containers at least this wide (and narrower than the next width). */
	width: number;
	markup: string;
}

export const DEFAULT_LABELS: ChartLabels = {
	year: 'Year',
	projection: 'Projection (not data)',
	target: 'Target',
	sample: 'Illustrative sample data, not real measurements',
	noData: 'No data to chart yet.',
	summary: ENGLISH_SUMMARY
};

// ───────────────────────────── model ─────────────────────────────

export type TextAnchor = 'start' | 'middle' | 'end';

/** A line of text placed at (x, y) = its baseline anchor point. */
export interface ChartText {
	x: number;
	y: number;
	text: string;
	anchor: TextAnchor;
	size: number;
	bold?: boolean;
	italic?: boolean;
}

export interface Tick {
	value: number;
	label: string;
	/** x (x axis) or y (y axis) of the tick in the SVG coordinate space. */
	position: number;
	/** Where its label goes (baseline anchor). */
	labelX: number;
	labelY: number;
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'cross';
export type BarFill = 'solid' | 'hatch' | 'outline' | 'dots' | 'crosshatch' | 'hatch-reverse';

export interface SeriesStyle {
	color: string;
	marker: MarkerShape;
	fill: BarFill;
	/** SVG dash array of the line; null for a solid line. */
	dash: string | null;
}

export interface ChartMarker {
	seriesIndex: number;
	year: number;
	period: string;
	value: number;
	x: number;
	y: number;
	shape: MarkerShape;
	/** The marker's outline as a path. */
	d: string;
	/** E.g. "2019: 12.4 percent". */
	label: string;
	/** The number of the observation's footnote, if it has one. */
	note: number | null;
}

export interface ChartBar {
	seriesIndex: number;
	year: number;
	period: string;
	value: number;
	x: number;
	y: number;
	width: number;
	height: number;
	label: string;
	note: number | null;
}

export interface ChartSeries {
	label: string;
	style: SeriesStyle;
	/** Line charts: the path through the points in year order (null for bar charts). */
	path: string | null;
	markers: ChartMarker[];
	bars: ChartBar[];
	/** Line charts: the label at the line's end (its latest value, or its name when several lines are shown). */
	endLabel: ChartText | null;
}

export interface ChartTarget {
	value: number;
	year: number;
	label: string;
	/** The dashed line, one segment per panel. */
	segments: Array<{ x1: number; x2: number }>;
	y: number;
	color: string;
	dash: string;
	labelLines: ChartText[];
}

export interface ChartProjection {
	fromYear: number;
	fromValue: number;
	toYear: number;
	toValue: number;
	d: string;
	end: { x: number; y: number };
	/** Bar charts: an outlined, dashed bar in the projection year's place. */
	bar: { x: number; y: number; width: number; height: number } | null;
	color: string;
	dash: string;
	labelLines: ChartText[];
}

/** The compact panel beyond the broken x axis, for the target year. */
export interface ChartInset {
	left: number;
	right: number;
	/** Where the axis break is marked (between the panels). */
	breakX: number;
}

export interface ChartNote {
	number: number;
	text: string;
}

export interface LegendItem {
	kind: 'series' | 'target' | 'projection';
	label: string;
	/** Swatch box: left edge and vertical centre. */
	x: number;
	y: number;
	swatch:
		| { type: 'line'; color: string; dash: string | null; marker: MarkerShape | null; hollowEnd: boolean; markerD: string | null }
		| { type: 'bar'; color: string; fill: BarFill; seriesIndex: number };
	text: ChartText;
	/** A long label's further lines. */
	more: ChartText[];
}

interface ChartModelBase {
	title: string;
	unit: string;
	type: 'line' | 'bar';
	isSample: boolean;
	width: number;
	height: number;
	/** Empty unless the title is drawn inside (`drawTitle`). */
	titleLines: ChartText[];
	/** The sample-data note (null unless `isSample`). */
	sampleNote: ChartText[] | null;
	/** Plain-language description for screen readers (the SVG's <desc>). */
	summary: string;
	colors: { text: string; axis: string; grid: string; background: string };
}

export interface EmptyChartModel extends ChartModelBase {
	empty: true;
	message: string;
	messageText: ChartText;
}

export interface FilledChartModel extends ChartModelBase {
	empty: false;
	stacked: boolean;
	/** How many series were left out beyond `MAX_SERIES`. */
	omitted: number;
	margin: { top: number; right: number; bottom: number; left: number };
	/** The data panel. */
	plot: { left: number; top: number; right: number; bottom: number; width: number; height: number };
	inset: ChartInset | null;
	xAxis: { label: string; labelText: ChartText; ticks: Tick[]; domain: [number, number] };
	yAxis: {
		/** The unit. */
		label: string;
		labelLines: ChartText[];
		ticks: Tick[];
		domain: [number, number];
		/** y of the zero line when 0 lies strictly inside the domain. */
		zeroY: number | null;
	};
	series: ChartSeries[];
	target: ChartTarget | null;
	projection: ChartProjection | null;
	/** Footnotes of the observations shown, numbered as marked on the chart. */
	notes: ChartNote[];
	noteMarks: ChartText[];
	legend: LegendItem[];
}

export type ChartModel = EmptyChartModel | FilledChartModel;

// ───────────────────────────── style ─────────────────────────────

/**
 * Okabe–Ito: blue, vermillion, bluish green, reddish purple, black, and orange darkened to
 * #996100. Contrast with white: 5.19, 3.87, 3.42, 3.06, 21, 5.17 (all ≥ 3:1 for graphics).
 */
export const SERIES_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#996100'] as const;
const MARKERS: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'];
const FILLS: BarFill[] = ['solid', 'hatch', 'outline', 'dots', 'crosshatch', 'hatch-reverse'];
const DASHES: Array<string | null> = [null, '8 4', '2 3', '12 3 3 3', '5 5', '16 4'];
const TEXT_COLOR = '#1b1b1b'; // 17.2:1
const AXIS_COLOR = '#565c65'; // 6.7:1
const GRID_COLOR = '#dfe1e2'; // decorative: values are read from the labelled ticks and the data table
/** The chart's text, axis and grid colours, for other drawings in the same look. */
export const CHART_COLORS = { text: TEXT_COLOR, axis: AXIS_COLOR, grid: GRID_COLOR } as const;
const TARGET_COLOR = '#1b1b1b';
const TARGET_DASH = '10 5';
const PROJECTION_DASH = '2 4';

const SIZE = { title: 18, text: 14, tick: 13, note: 12 } as const;
/** Text sizes in px at the natural width. */
export const CHART_TEXT_SIZE = SIZE;
/** Average glyph width in em, generous so that estimates hold for DejaVu Sans and system fonts. */
const GLYPH = 0.6;

/** The look of series `i`: a palette colour, a marker shape, a dash pattern and a bar fill. */
export function seriesStyle(i: number): SeriesStyle {
	const n = SERIES_COLORS.length;
	return {
		color: SERIES_COLORS[i % n] ?? SERIES_COLORS[0],
		marker: MARKERS[i % MARKERS.length] ?? 'circle',
		fill: FILLS[i % FILLS.length] ?? 'solid',
		dash: DASHES[i % DASHES.length] ?? null
	};
}

// ───────────────────────────── helpers ─────────────────────────────

const r2 = (n: number): number => Math.round(n * 100) / 100;

export function textWidth(text: string, size: number): number {
	return [...text].length * size * GLYPH;
}

/** Cut `text` to fit `width`, ending in an ellipsis. */
function ellipsize(text: string, width: number, size: number): string {
	if (textWidth(text, size) <= width) return text;
	const chars = [...text];
	const fit = Math.max(1, Math.floor(width / (size * GLYPH)) - 1);
	return chars.slice(0, fit).join('').trimEnd() + '…';
}

/** Greedy word wrap into at most `maxLines` lines; the last line is ellipsized if needed. */
export function wrap(text: string, width: number, size: number, maxLines: number): string[] {
	const words = text.trim().split(/\s+/).filter(Boolean);
	const lines: string[] = [];
	let current = '';
	for (const word of words) {
		const candidate = current ? `${current} ${word}` : word;
		if (textWidth(candidate, size) <= width || !current) current = candidate;
		else {
			lines.push(current);
			current = word;
		}
	}
	if (current) lines.push(current);
	if (lines.length > maxLines) {
		const kept = lines.slice(0, maxLines);
		kept[maxLines - 1] = `${kept[maxLines - 1] ?? ''}…`;
		return kept.map((l) => ellipsize(l, width, size));
	}
	return lines.map((l) => ellipsize(l, width, size));
}

/** Intl.NumberFormat for the locale, or English when the runtime does not know the locale. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
	try {
		return new Intl.NumberFormat(locale, options);
	} catch {
		return new Intl.NumberFormat('en', options);
	}
}


/** Avoid "-0". */
const unsign = (n: number): number => (n === 0 ? 0 : n);

function withUnit(formatted: string, unit: string): string {
	const u = unit.trim();
	if (!u) return formatted;
	return u === '%' ? `${formatted}%` : `${formatted} ${u}`;
}

function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
	const p = (n: number) => r2(n);
	switch (shape) {
		case 'circle':
			return `M${p(x - r)},${p(y)}a${p(r)},${p(r)} 0 1,0 ${p(2 * r)},0a${p(r)},${p(r)} 0 1,0 ${p(-2 * r)},0Z`;
		case 'square': {
			const a = r * 0.9;
			return `M${p(x - a)},${p(y - a)}h${p(2 * a)}v${p(2 * a)}h${p(-2 * a)}Z`;
		}
		case 'triangle':
			return `M${p(x)},${p(y - r * 1.25)}L${p(x + r * 1.15)},${p(y + r * 0.85)}L${p(x - r * 1.15)},${p(y + r * 0.85)}Z`;
		case 'triangle-down':
			return `M${p(x)},${p(y + r * 1.25)}L${p(x + r * 1.15)},${p(y - r * 0.85)}L${p(x - r * 1.15)},${p(y - r * 0.85)}Z`;
		case 'diamond':
			return `M${p(x)},${p(y - r * 1.3)}L${p(x + r * 1.3)},${p(y)}L${p(x)},${p(y + r * 1.3)}L${p(x - r * 1.3)},${p(y)}Z`;
		case 'cross': {
			const a = r * 1.15;
			const b = r * 0.42;
			return `M${p(x - b)},${p(y - a)}h${p(2 * b)}v${p(a - b)}h${p(a - b)}v${p(2 * b)}h${p(b - a)}v${p(a - b)}h${p(-2 * b)}v${p(b - a)}h${p(b - a)}v${p(-2 * b)}h${p(a - b)}Z`;
		}
	}
}

interface CleanSeries {
	label: string;
	points: ChartInputPoint[];
}

function cleanSeries(series: ChartInputSeries[]): CleanSeries[] {
	return series.slice(0, MAX_SERIES).map((s) => ({
		label: s.label,
		points: s.points
			.filter((p) => Number.isFinite(p.year) && Number.isFinite(p.value))
			.map((p, i) => ({ p, i }))
			.sort((a, b) => a.p.year - b.p.year || a.i - b.i)
			.map(({ p }) => p)
	}));
}

/**
 * Push label centres apart so that no two are closer than `gap`, keeping them within
 * [min, max]; returns the new centres in the input order.
 */
export function spreadLabels(centres: number[], gap: number, min: number, max: number): number[] {
	const order = centres.map((c, i) => ({ c, i })).sort((a, b) => a.c - b.c);
	for (let k = 1; k < order.length; k++) {
		const prev = order[k - 1]!;
		const cur = order[k]!;
		if (cur.c - prev.c < gap) cur.c = prev.c + gap;
	}
	const last = order.at(-1);
	if (last && last.c > max) {
		last.c = max;
		for (let k = order.length - 2; k >= 0; k--) {
			const next = order[k + 1]!;
			const cur = order[k]!;
			if (next.c - cur.c < gap) cur.c = next.c - gap;
		}
	}
	const first = order[0];
	if (first && first.c < min) {
		first.c = min;
		for (let k = 1; k < order.length; k++) {
			const prev = order[k - 1]!;
			const cur = order[k]!;
			if (cur.c - prev.c < gap) cur.c = prev.c + gap;
		}
	}
	const out = new Array<number>(centres.length);
	for (const o of order) out[o.i] = r2(o.c);
	return out;
}

// ───────────────────────────── summary ─────────────────────────────

/**
 * The screen-reader summary: what is shown, the shape of the main series (first, last,
 * highest, lowest, direction), the other series' latest values, the target and the projection.
 */
export function chartSummary(input: ChartInput, format: (n: number) => string, labels: ChartLabels = DEFAULT_LABELS): string {
	const series = cleanSeries(input.series);
	const main = series.find((s) => s.points.length > 0);
	const unit = input.unit.trim();
	const head = [input.title.trim(), unit].filter(Boolean).join(', ');
	if (!main) {
		return [`${head}.`, input.isSample ? `${labels.sample}.` : '', labels.noData].filter(Boolean).join(' ');
	}
	const pts = main.points;
	const first = pts[0] as ChartInputPoint;
	const last = pts[pts.length - 1] as ChartInputPoint;
	const text = labels.summary;
	const sentences: string[] = [];
	sentences.push(pts.length === 1 || first.period === last.period ? text.onePeriod(head, first.period) : text.span(head, first.period, last.period));
	if (input.isSample) sentences.push(`${labels.sample}.`);

	const f = (p: ChartInputPoint) => format(p.value);
	if (pts.length === 1) {
		sentences.push(text.was(f(first), first.period));
	} else if (pts.every((p) => format(p.value) === f(first))) {
		sentences.push(text.stayed(f(first), first.period, last.period));
	} else {
		// first occurrences of the highest and lowest values
		let hi = first;
		let lo = first;
		for (const p of pts) {
			if (p.value > hi.value) hi = p;
			if (p.value < lo.value) lo = p;
		}
		const interior = (p: ChartInputPoint) => p !== first && p !== last;
		const peak = interior(hi) && hi.value > first.value && hi.value > last.value;
		const dip = interior(lo) && lo.value < first.value && lo.value < last.value;
		let turn: 'peak' | 'dip' | null = null;
		if (peak && dip) {
			const up = hi.value - first.value;
			const down = first.value - lo.value;
			turn = up > down || (up === down && hi.year <= lo.year) ? 'peak' : 'dip';
		} else if (peak) turn = 'peak';
		else if (dip) turn = 'dip';

		const strictlyLowest = pts.every((p) => p === last || p.value > last.value);
		const strictlyHighest = pts.every((p) => p === last || p.value < last.value);
		const since =
			pts.length >= 3 && strictlyLowest
				? text.lowestSince(first.period)
				: pts.length >= 3 && strictlyHighest
					? text.highestSince(first.period)
					: '';
		if (turn === 'peak') {
			sentences.push(text.peak(f(first), first.period, f(hi), hi.period, f(last), last.period, since));
		} else if (turn === 'dip') {
			sentences.push(text.dip(f(first), first.period, f(lo), lo.period, f(last), last.period, since));
		} else if (last.value > first.value) {
			sentences.push(text.rose(f(first), first.period, f(last), last.period, since));
		} else if (last.value < first.value) {
			sentences.push(text.fell(f(first), first.period, f(last), last.period, since));
		} else {
			sentences.push(text.endedWhereStarted(f(last), last.period));
		}
	}

	const others = series.filter((s) => s !== main && s.points.length > 0);
	if (others.length > 0) {
		sentences.push(
			text.alsoShown(
				others.map((s) => {
					const p = s.points[s.points.length - 1] as ChartInputPoint;
					return text.otherSeries(s.label, f(p), p.period);
				})
			)
		);
	}
	if (input.target && Number.isFinite(input.target.value)) {
		sentences.push(text.target(input.target.year, format(input.target.value)));
	}
	if (input.projection && Number.isFinite(input.projection.toValue)) {
		sentences.push(text.projection(format(input.projection.toValue), input.projection.toYear));
	}
	return sentences.join(' ');
}

// ───────────────────────────── build ─────────────────────────────

/** Footnote numbers by text, in the order the notes first appear (series by series, year by year). */
function numberNotes(series: CleanSeries[]): { notes: ChartNote[]; numberOf: (p: ChartInputPoint) => number | null } {
	const byText = new Map<string, number>();
	for (const s of series) {
		for (const p of s.points) {
			const text = p.note?.trim();
			if (text && !byText.has(text)) byText.set(text, byText.size + 1);
		}
	}
	return {
		notes: [...byText].map(([text, number]) => ({ number, text })),
		numberOf: (p) => (p.note?.trim() ? (byText.get(p.note.trim()) ?? null) : null)
	};
}

export function buildChart(input: ChartInput, options: ChartOptions = {}): ChartModel {
	const width = Math.max(280, Math.round(options.width ?? 720));
	const small = width < 400;
	const PAD = small ? 10 : 16;
	let height = Math.max(240, Math.round(options.height ?? Math.min(440, Math.max(300, width * 0.62))));
	const locale = options.locale ?? 'en';
	const labels: ChartLabels = { ...DEFAULT_LABELS, ...options.labels };
	const isSample = input.isSample === true;
	const series = cleanSeries(input.series);
	const omitted = Math.max(0, input.series.length - MAX_SERIES);
	const allPoints = series.flatMap((s) => s.points);
	const stacked = input.type === 'bar' && input.stacked === true && series.length > 1;

	const decimals = dataDecimals(allPoints.map((p) => p.value));
	const valueFormat = numberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
	const fmt = (n: number) => valueFormat.format(unsign(n));
	const summary = chartSummary({ ...input, series }, fmt, labels);
	const colors = { text: TEXT_COLOR, axis: AXIS_COLOR, grid: GRID_COLOR, background: '#ffffff' };

	// title (files only) and sample note
	let y = PAD;
	const titleLines: ChartText[] =
		options.drawTitle === false
			? []
			: wrap(input.title, width - 2 * PAD, SIZE.title, 3).map((text, i) => ({
					x: PAD,
					y: r2(y + SIZE.title + i * SIZE.title * 1.25),
					text,
					anchor: 'start',
					size: SIZE.title,
					bold: true
				}));
	y += titleLines.length * SIZE.title * 1.25 + (titleLines.length ? 6 : 0);
	let sampleNote: ChartText[] | null = null;
	if (isSample) {
		sampleNote = wrap(labels.sample, width - 2 * PAD, SIZE.tick, 2).map((text, i) => ({
			x: PAD,
			y: r2(y + SIZE.tick + i * SIZE.tick * 1.3),
			text,
			anchor: 'start',
			size: SIZE.tick,
			italic: true
		}));
		y += sampleNote.length * SIZE.tick * 1.3 + 6;
	}

	const base = { title: input.title, unit: input.unit, type: input.type, isSample, width, titleLines, sampleNote, summary, colors };

	if (allPoints.length === 0) {
		height = Math.max(160, Math.min(height, 220));
		const message = labels.noData;
		return {
			...base,
			height,
			empty: true,
			message,
			messageText: { x: r2(width / 2), y: r2((y + height) / 2), text: ellipsize(message, width - 2 * PAD, SIZE.text), anchor: 'middle', size: SIZE.text }
		};
	}

	// the unit names the y axis, above it
	const unitLines = input.unit.trim() ? wrap(input.unit, width - 2 * PAD, SIZE.tick, 2) : [];
	const yAxisLabelLines: ChartText[] = unitLines.map((text, i) => ({
		x: PAD,
		y: r2(y + SIZE.tick + i * SIZE.tick * 1.3),
		text,
		anchor: 'start',
		size: SIZE.tick,
		bold: true
	}));
	y += unitLines.length * SIZE.tick * 1.3;
	const { notes, numberOf } = numberNotes(series);
	const plotTop = r2(y + (notes.length ? 22 : 14));

	const years = allPoints.map((p) => p.year);
	const minYear = Math.min(...years);
	const maxYear = Math.max(...years);
	const target = input.target && Number.isFinite(input.target.value) && Number.isFinite(input.target.year) ? input.target : undefined;
	const projection =
		input.projection &&
		[input.projection.fromYear, input.projection.fromValue, input.projection.toYear, input.projection.toValue].every(Number.isFinite) &&
		input.projection.toYear > maxYear
			? input.projection
			: undefined;
	const insetYear = Math.max(projection?.toYear ?? -Infinity, target && target.year > maxYear ? target.year : -Infinity);
	const hasInset = Number.isFinite(insetYear);
	const targetLabel = target ? target.label.trim() || labels.target : '';

	// legend, laid out across the full width in rows
	const shownSeries = series.map((s, i) => ({ s, i })).filter(({ s }) => s.points.length > 0);
	const legendEntries: Array<{ kind: LegendItem['kind']; label: string; seriesIndex: number }> = [
		...shownSeries.map(({ s, i }) => ({ kind: 'series' as const, label: s.label, seriesIndex: i })),
		...(target ? [{ kind: 'target' as const, label: `${targetLabel}: ${withUnit(fmt(target.value), input.unit === '%' ? '%' : '')}`, seriesIndex: -1 }] : []),
		...(projection ? [{ kind: 'projection' as const, label: labels.projection, seriesIndex: -1 }] : [])
	];
	const SWATCH = 30;
	const ROW = 22;
	const legendMaxText = width - 2 * PAD - SWATCH - 8;
	const placed: Array<{ entry: (typeof legendEntries)[number]; lines: string[]; row: number; x: number }> = [];
	{
		let row = 0;
		let x = PAD;
		for (const entry of legendEntries) {
			const lines = wrap(entry.label, legendMaxText, SIZE.text, 2);
			const w = SWATCH + 8 + Math.max(...lines.map((l) => textWidth(l, SIZE.text)));
			if (x > PAD && (x + w > width - PAD || lines.length > 1)) {
				row += 1;
				x = PAD;
			}
			placed.push({ entry, lines, row, x: r2(x) });
			if (lines.length > 1) {
				row += lines.length;
				x = PAD;
			} else x += w + 20;
		}
	}
	const legendRows = placed.length ? Math.max(...placed.map((p) => p.row + p.lines.length)) : 0;
	const below = SIZE.tick + 8 + 20 + 12 + legendRows * ROW; // tick labels, "Year", gap, legend
	const MIN_PLOT = small ? 150 : 180;
	if (height - PAD - below - plotTop < MIN_PLOT) height = Math.ceil(plotTop + MIN_PLOT + below + PAD);
	const plotBottom = r2(height - PAD - below);
	const plotHeight = plotBottom - plotTop;

	// y scale: the data (stacked: the sums), 0 for bars, the target and the projection
	const yValues = allPoints.map((p) => p.value);
	if (stacked) {
		const sums = new Map<number, { pos: number; neg: number }>();
		for (const p of allPoints) {
			const s = sums.get(p.year) ?? { pos: 0, neg: 0 };
			if (p.value >= 0) s.pos += p.value;
			else s.neg += p.value;
			sums.set(p.year, s);
		}
		for (const s of sums.values()) yValues.push(s.pos, s.neg);
	}
	if (input.type === 'bar') yValues.push(0);
	if (projection) yValues.push(projection.fromValue, projection.toValue);
	let y0 = Math.min(...yValues, ...(target ? [target.value] : []));
	let y1 = Math.max(...yValues, ...(target ? [target.value] : []));
	if (y0 === y1) {
		const pad = Math.abs(y0) * 0.1 || 1;
		y0 = y0 >= 0 && y0 - pad < 0 ? 0 : y0 - pad;
		y1 = y1 <= 0 && y1 + pad > 0 ? 0 : y1 + pad;
		if (y0 === y1) y1 = y0 + 1;
	}
	// A target at the edge of the range would vanish into the axis: give it room.
	if (target) {
		const room = (y1 - y0) * 0.08;
		if (target.value <= y0 && !(input.type === 'bar' && target.value === 0)) y0 = target.value - room;
		if (target.value >= y1) y1 = target.value + room;
	}
	const yCount = Math.max(3, Math.min(8, Math.round(plotHeight / 44)));
	const yScale = scaleLinear().domain([y0, y1]).range([plotBottom, plotTop]).nice(yCount);
	const [d0, d1] = yScale.domain() as [number, number];
	const yTickValues = yScale.ticks(yCount);
	const step = tickStep(d0, d1, yCount);
	const tickDecimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
	const big = Math.max(Math.abs(d0), Math.abs(d1)) >= 1e5;
	const tickFormat = numberFormat(
		locale,
		big ? { notation: 'compact', maximumFractionDigits: 1 } : { minimumFractionDigits: tickDecimals, maximumFractionDigits: tickDecimals }
	);
	const yTickLabels = yTickValues.map((v) => tickFormat.format(unsign(v)));
	const left = r2(PAD + Math.max(...yTickLabels.map((l) => textWidth(l, SIZE.tick))) + 6);
	const yPos = (v: number) => r2(yScale(v));

	// right side: direct labels of several lines, then the panel for the target year
	const styles = series.map((_, i) => seriesStyle(i));
	const multi = shownSeries.length > 1;
	const directLabels = input.type === 'line' && multi;
	const labelColumn = directLabels
		? Math.min(
				Math.round(width * (small ? 0.3 : 0.26)),
				Math.max(...shownSeries.map(({ s }) => textWidth(s.label, SIZE.note))) + 10
			)
		: 0;
	const insetWidth = hasInset ? Math.round(Math.min(130, Math.max(small ? 64 : 84, (width - left) * 0.16))) : 0;
	const GAP = hasInset ? 16 : 0;
	const endPad = input.type === 'line' && !directLabels ? 10 : 6;
	const plotRight = r2(width - PAD - labelColumn - insetWidth - GAP - endPad);
	const inset: ChartInset | null = hasInset
		? { left: r2(plotRight + GAP), right: r2(plotRight + GAP + insetWidth), breakX: r2(plotRight + GAP / 2) }
		: null;
	const plot = { left, top: plotTop, right: plotRight, bottom: plotBottom, width: r2(plotRight - left), height: r2(plotHeight) };
	const yTicks: Tick[] = yTickValues.map((value, i) => ({
		value: unsign(value),
		label: yTickLabels[i] ?? '',
		position: yPos(value),
		labelX: r2(left - 6),
		labelY: r2(yPos(value) + SIZE.tick * 0.35)
	}));
	const zeroY = d0 < 0 && d1 > 0 ? yPos(0) : null;

	const tickLabelY = r2(plotBottom + SIZE.tick + 7);
	const label = (s: CleanSeries, p: ChartInputPoint) =>
		`${series.length > 1 ? `${s.label}, ` : ''}${p.period}: ${withUnit(fmt(p.value), input.unit)}${p.note?.trim() ? ` (${p.note.trim()})` : ''}`;
	let chartSeries: ChartSeries[];
	let xTicks: Tick[];
	let xOf: (year: number) => number;
	const mainColor = styles[0]?.color ?? SERIES_COLORS[0];
	const noteMarks: ChartText[] = [];
	const insetX = inset
		? scaleLinear()
				.domain([maxYear, insetYear])
				.range([inset.left + 4, inset.right - 8])
		: null;

	if (input.type === 'bar') {
		const present = [...new Set(years)].sort((a, b) => a - b);
		const slots: string[] = maxYear - minYear <= 100 ? Array.from({ length: maxYear - minYear + 1 }, (_, i) => String(minYear + i)) : present.map(String);
		const band = scaleBand<string>().domain(slots).range([left, plotRight]).paddingInner(0.2).paddingOuter(0.1);
		const inner = scaleBand<number>()
			.domain(stacked ? [0] : shownSeries.map(({ i }) => i))
			.range([0, band.bandwidth()])
			.paddingInner(shownSeries.length > 1 && !stacked ? 0.08 : 0);
		const baseY = yPos(Math.max(d0, Math.min(d1, 0)));
		xOf = (year) => r2((band(String(year)) ?? left) + band.bandwidth() / 2);
		const stackTop = new Map<number, { pos: number; neg: number }>();
		chartSeries = series.map((s, i) => ({
			label: s.label,
			style: styles[i] ?? seriesStyle(i),
			path: null,
			markers: [],
			endLabel: null,
			bars: s.points.map((p) => {
				const x = (band(String(p.year)) ?? left) + (inner(stacked ? 0 : i) ?? 0);
				let from = 0;
				if (stacked) {
					const t = stackTop.get(p.year) ?? { pos: 0, neg: 0 };
					from = p.value >= 0 ? t.pos : t.neg;
					if (p.value >= 0) t.pos += p.value;
					else t.neg += p.value;
					stackTop.set(p.year, t);
				}
				const a = yPos(from);
				const b = yPos(from + p.value);
				const top = Math.min(a, b);
				const note = numberOf(p);
				const bar: ChartBar = {
					seriesIndex: i,
					year: p.year,
					period: p.period,
					value: p.value,
					x: r2(x),
					y: r2(top),
					width: r2(inner.bandwidth()),
					height: r2(Math.max(Math.abs(b - a), p.value === 0 ? 0 : 1)),
					label: label(s, p),
					note
				};
				if (note !== null) {
					noteMarks.push({ x: r2(x + inner.bandwidth() / 2), y: r2((stacked ? top + 13 : top - 4)), text: String(note), anchor: 'middle', size: SIZE.note, bold: true });
				}
				void baseY;
				return bar;
			})
		}));
		const maxLabels = Math.max(2, Math.floor(plot.width / (textWidth('2000', SIZE.tick) + 10)));
		const every = Math.ceil(slots.length / maxLabels);
		xTicks = slots
			.map(Number)
			.filter((yr) => (yr - minYear) % every === 0 || (yr === maxYear && (maxYear - minYear) % every >= every / 2))
			.map((yr) => ({ value: yr, label: String(yr), position: xOf(yr), labelX: xOf(yr), labelY: tickLabelY }));
	} else {
		let x0 = minYear;
		let x1 = maxYear;
		if (x0 === x1) {
			x0 -= 1;
			x1 += 1;
		}
		const xScale = scaleLinear().domain([x0, x1]).range([left + 8, plotRight]);
		xOf = (year) => r2(xScale(year));
		const xCount = Math.max(2, Math.floor(plot.width / 56));
		xTicks = xScale
			.ticks(Math.min(xCount, x1 - x0))
			.filter((v) => Number.isInteger(v))
			.map((v) => ({ value: v, label: String(v), position: xOf(v), labelX: xOf(v), labelY: tickLabelY }));
		const count = allPoints.length;
		const radius = count > plot.width / 9 ? 3 : 4.5;
		const path = line<ChartMarker>()
			.x((m) => m.x)
			.y((m) => m.y)
			.digits(2);
		chartSeries = series.map((s, i) => {
			const style = styles[i] ?? seriesStyle(i);
			const markers: ChartMarker[] = s.points.map((p) => {
				const mx = xOf(p.year);
				const my = yPos(p.value);
				const note = numberOf(p);
				if (note !== null) noteMarks.push({ x: r2(mx + 6), y: r2(my - 7), text: String(note), anchor: 'start', size: SIZE.note, bold: true });
				return {
					seriesIndex: i,
					year: p.year,
					period: p.period,
					value: p.value,
					x: mx,
					y: my,
					shape: style.marker,
					d: markerPath(style.marker, mx, my, radius),
					label: label(s, p),
					note
				};
			});
			return { label: s.label, style, path: markers.length > 1 ? path(markers) : null, markers, bars: [], endLabel: null };
		});
		// labels at the lines' ends: the latest value of one line; the names of several, pushed apart
		if (directLabels) {
			const ends = chartSeries.filter((s) => s.markers.length > 0);
			const centres = spreadLabels(
				ends.map((s) => s.markers.at(-1)!.y),
				SIZE.note + 3,
				plotTop + 4,
				plotBottom
			);
			ends.forEach((s, k) => {
				s.endLabel = {
					x: r2(plotRight + endPad + (inset ? GAP + insetWidth : 0) + 4),
					y: r2((centres[k] ?? 0) + SIZE.note * 0.35),
					text: ellipsize(s.label, labelColumn - 4, SIZE.note),
					anchor: 'start',
					size: SIZE.note
				};
			});
		} else {
			const s = chartSeries.find((c) => c.markers.length > 0);
			const last = s?.markers.at(-1);
			if (s && last) {
				const text = `${withUnit(fmt(last.value), input.unit === '%' ? '%' : '')} (${last.period})`;
				const w = textWidth(text, SIZE.note);
				const above = last.y - plotTop > 22;
				s.endLabel = {
					x: r2(Math.max(left + w, Math.min(last.x, plotRight + endPad))),
					y: r2(above ? last.y - 10 : last.y + 20),
					text,
					anchor: 'end',
					size: SIZE.note,
					bold: true
				};
			}
		}
	}
	if (inset && insetX) {
		xTicks.push({ value: insetYear, label: String(insetYear), position: r2(insetX(insetYear)), labelX: r2(insetX(insetYear)), labelY: tickLabelY });
	}

	// projection: a dotted continuation from the last data point into the panel
	let projectionModel: ChartProjection | null = null;
	if (projection && insetX) {
		const fromBar = chartSeries[0]?.bars.findLast((b) => b.year === projection.fromYear);
		const from = fromBar
			? { x: r2(fromBar.x + fromBar.width / 2), y: yPos(projection.fromValue) }
			: { x: xOf(projection.fromYear), y: yPos(projection.fromValue) };
		const end = { x: r2(insetX(projection.toYear)), y: yPos(projection.toValue) };
		const baseY = yPos(Math.max(d0, Math.min(d1, 0)));
		const bw = Math.min(22, insetWidth * 0.3);
		projectionModel = {
			...projection,
			d: `M${from.x},${from.y}L${end.x},${end.y}`,
			end,
			bar: input.type === 'bar' ? { x: r2(end.x - bw / 2), y: r2(Math.min(end.y, baseY)), width: r2(bw), height: r2(Math.abs(end.y - baseY)) } : null,
			color: mainColor,
			dash: PROJECTION_DASH,
			labelLines: []
		};
	}

	// target: a dashed level across the panels, its value written beside it
	let targetModel: ChartTarget | null = null;
	if (target) {
		const ty = yPos(target.value);
		targetModel = {
			value: target.value,
			year: target.year,
			label: targetLabel,
			segments: inset ? [{ x1: left, x2: plotRight }, { x1: inset.left, x2: inset.right }] : [{ x1: left, x2: plotRight }],
			y: ty,
			color: TARGET_COLOR,
			dash: TARGET_DASH,
			labelLines: []
		};
	}
	// value labels in the panel: target above its line, projection beside its end point
	if (inset) {
		const items: Array<{ y: number; set: (t: ChartText) => void; text: string; bold: boolean }> = [];
		if (targetModel) {
			const t = targetModel;
			items.push({ y: t.y - 6, text: fmt(t.value), bold: true, set: (l) => (t.labelLines = [l]) });
		}
		if (projectionModel) {
			const p = projectionModel;
			items.push({ y: p.end.y + (targetModel && p.end.y > targetModel.y ? 18 : -8), text: fmt(p.toValue), bold: false, set: (l) => (p.labelLines = [l]) });
		}
		const centres = spreadLabels(
			items.map((i) => i.y),
			SIZE.note + 4,
			plotTop + SIZE.note,
			plotBottom - 4
		);
		items.forEach((item, k) =>
			item.set({ x: r2(inset.left + 2), y: centres[k] ?? item.y, text: ellipsize(item.text, insetWidth - 12, SIZE.note), anchor: 'start', size: SIZE.note, bold: item.bold })
		);
	} else if (targetModel) {
		const t = targetModel;
		t.labelLines = [{ x: r2(plotRight - 2), y: r2(t.y - 6 < plotTop + 10 ? t.y + 16 : t.y - 6), text: fmt(t.value), anchor: 'end', size: SIZE.note, bold: true }];
	}

	// legend items
	const legendTop = plotBottom + SIZE.tick + 8 + 20 + 6;
	const legend: LegendItem[] = placed.map(({ entry, lines, row, x }) => {
		const cy = r2(legendTop + row * ROW + ROW / 2);
		const textItem: ChartText = { x: r2(x + SWATCH + 8), y: r2(cy + SIZE.text * 0.35), text: lines[0] ?? '', anchor: 'start', size: SIZE.text };
		const more: ChartText[] = lines.slice(1).map((text, i) => ({ ...textItem, y: r2(textItem.y + (i + 1) * (ROW - 4)), text }));
		if (entry.kind === 'series') {
			const style = styles[entry.seriesIndex] ?? seriesStyle(entry.seriesIndex);
			return {
				kind: 'series',
				label: entry.label,
				x,
				y: cy,
				swatch:
					input.type === 'bar'
						? { type: 'bar', color: style.color, fill: style.fill, seriesIndex: entry.seriesIndex }
						: { type: 'line', color: style.color, dash: style.dash, marker: style.marker, hollowEnd: false, markerD: markerPath(style.marker, x + SWATCH / 2, cy, 4.5) },
				text: textItem,
				more
			};
		}
		if (entry.kind === 'target') {
			return { kind: 'target', label: entry.label, x, y: cy, swatch: { type: 'line', color: TARGET_COLOR, dash: TARGET_DASH, marker: null, hollowEnd: false, markerD: null }, text: textItem, more };
		}
		return { kind: 'projection', label: entry.label, x, y: cy, swatch: { type: 'line', color: mainColor, dash: PROJECTION_DASH, marker: null, hollowEnd: true, markerD: null }, text: textItem, more };
	});

	return {
		...base,
		height,
		empty: false,
		stacked,
		omitted,
		margin: { top: plotTop, right: r2(width - plotRight), bottom: r2(height - plotBottom), left },
		plot,
		inset,
		xAxis: {
			label: labels.year,
			labelText: { x: r2((left + (inset?.right ?? plotRight)) / 2), y: r2(plotBottom + SIZE.tick + 8 + 18), text: labels.year, anchor: 'middle', size: SIZE.tick },
			ticks: xTicks,
			domain: [minYear, maxYear]
		},
		yAxis: { label: input.unit, labelLines: yAxisLabelLines, ticks: yTicks, domain: [unsign(d0), unsign(d1)], zeroY },
		series: chartSeries,
		target: targetModel,
		projection: projectionModel,
		notes,
		noteMarks,
		legend
	};
}

// ───────────────────────────── drawing ─────────────────────────────

export const CHART_FONT_FAMILY = "system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

export function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** A safe XML id prefix. */
function safeId(prefix: string): string {
	const cleaned = prefix.replace(/[^A-Za-z0-9_-]/g, '-');
	return /^[A-Za-z_]/.test(cleaned) ? cleaned : `c-${cleaned}`;
}

function textEl(t: ChartText, fill: string, halo = false): string {
	const attrs = [`x="${t.x}"`, `y="${t.y}"`, `font-size="${t.size}"`, `fill="${fill}"`];
	if (t.anchor !== 'start') attrs.push(`text-anchor="${t.anchor}"`);
	if (t.bold) attrs.push('font-weight="bold"');
	if (t.italic) attrs.push('font-style="italic"');
	if (halo) attrs.push('stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round"');
	return `<text ${attrs.join(' ')}>${escapeXml(t.text)}</text>`;
}

function patternDefs(id: string, model: FilledChartModel): string {
	const defs: string[] = [];
	model.series.forEach((s, i) => {
		const c = s.style.color;
		const pid = `${id}-fill-${i}`;
		if (s.style.fill === 'hatch' || s.style.fill === 'hatch-reverse') {
			const angle = s.style.fill === 'hatch' ? 45 : -45;
			defs.push(
				`<pattern id="${pid}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${c}" stroke-width="3"/></pattern>`
			);
		} else if (s.style.fill === 'crosshatch') {
			defs.push(
				`<pattern id="${pid}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${c}" stroke-width="1.5"/><line x1="0" y1="0" x2="6" y2="0" stroke="${c}" stroke-width="1.5"/></pattern>`
			);
		} else if (s.style.fill === 'dots') {
			defs.push(
				`<pattern id="${pid}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.4" fill="${c}"/></pattern>`
			);
		}
	});
	return defs.length ? `<defs>${defs.join('')}</defs>` : '';
}

function barFill(id: string, style: SeriesStyle, seriesIndex: number): string {
	if (style.fill === 'solid') return style.color;
	if (style.fill === 'outline') return '#ffffff';
	return `url(#${id}-fill-${seriesIndex})`;
}

/**
 * The chart as one `<svg>` element. The page embeds it (width 100%, height auto: see
 * ui/Chart.svelte for the width buckets); `standalone` drops the responsive inline style so
 * that the width/height attributes alone size the file (SVG export, PNG rendering).
 */
export function chartSvgMarkup(model: ChartModel, options: { idPrefix?: string; standalone?: boolean } = {}): string {
	const id = safeId(options.idPrefix ?? 'chart');
	const { width: w, height: h, colors } = model;
	const rootAttrs = [
		'xmlns="http://www.w3.org/2000/svg"',
		`viewBox="0 0 ${w} ${h}"`,
		`width="${w}"`,
		`height="${h}"`,
		'role="img"',
		`aria-labelledby="${id}-title ${id}-desc"`,
		`font-family="${CHART_FONT_FAMILY.replace(/"/g, '&quot;')}"`
	];
	if (!options.standalone) rootAttrs.push('style="display:block;width:100%;height:auto"');
	const out: string[] = [];
	out.push(`<svg ${rootAttrs.join(' ')}>`);
	out.push(`<title id="${id}-title">${escapeXml(model.title)}</title>`);
	out.push(`<desc id="${id}-desc">${escapeXml(model.summary)}</desc>`);
	if (!model.empty) out.push(patternDefs(id, model));
	out.push(`<rect width="${w}" height="${h}" fill="${colors.background}"/>`);
	for (const t of model.titleLines) out.push(textEl(t, colors.text));
	for (const t of model.sampleNote ?? []) out.push(textEl(t, colors.text));

	if (model.empty) {
		out.push(textEl(model.messageText, colors.text));
		out.push('</svg>');
		return out.join('');
	}

	const { plot, inset } = model;
	const panels = inset ? [{ l: plot.left, r: plot.right }, { l: inset.left, r: inset.right }] : [{ l: plot.left, r: plot.right }];
	// gridlines and y ticks
	out.push(`<g stroke="${colors.grid}" stroke-width="1">`);
	for (const t of model.yAxis.ticks) for (const p of panels) out.push(`<line x1="${p.l}" x2="${p.r}" y1="${t.position}" y2="${t.position}"/>`);
	out.push('</g>');
	out.push(`<g fill="${colors.text}" font-size="13" text-anchor="end">`);
	for (const t of model.yAxis.ticks) out.push(`<text x="${t.labelX}" y="${t.labelY}">${escapeXml(t.label)}</text>`);
	out.push('</g>');
	for (const t of model.yAxis.labelLines) out.push(textEl(t, colors.text));
	// axes
	if (model.yAxis.zeroY !== null) {
		for (const p of panels) out.push(`<line x1="${p.l}" x2="${p.r}" y1="${model.yAxis.zeroY}" y2="${model.yAxis.zeroY}" stroke="${colors.axis}" stroke-width="1.5"/>`);
	}
	for (const p of panels) out.push(`<line x1="${p.l}" x2="${p.r}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="${colors.axis}" stroke-width="1"/>`);
	if (inset) {
		// the broken axis: two slanted strokes between the panels
		const b = inset.breakX;
		const yb = plot.bottom;
		out.push(
			`<path d="M${r2(b - 6)},${r2(yb + 5)}L${r2(b - 2)},${r2(yb - 5)}M${r2(b + 2)},${r2(yb + 5)}L${r2(b + 6)},${r2(yb - 5)}" stroke="${colors.axis}" stroke-width="1.5" fill="none"/>`
		);
	}
	out.push(`<g stroke="${colors.axis}" stroke-width="1">`);
	for (const t of model.xAxis.ticks) out.push(`<line x1="${t.position}" x2="${t.position}" y1="${plot.bottom}" y2="${r2(plot.bottom + 5)}"/>`);
	out.push('</g>');
	out.push(`<g fill="${colors.text}" font-size="13" text-anchor="middle">`);
	for (const t of model.xAxis.ticks) out.push(`<text x="${t.labelX}" y="${t.labelY}">${escapeXml(t.label)}</text>`);
	out.push('</g>');
	out.push(textEl(model.xAxis.labelText, colors.text));

	// series
	for (const [i, s] of model.series.entries()) {
		const c = s.style.color;
		if (s.bars.length) {
			out.push(`<g fill="${barFill(id, s.style, i)}" stroke="${c}" stroke-width="1.5">`);
			for (const b of s.bars) {
				out.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}"><title>${escapeXml(b.label)}</title></rect>`);
			}
			out.push('</g>');
		}
		if (s.path) {
			const dash = s.style.dash ? ` stroke-dasharray="${s.style.dash}"` : '';
			out.push(`<path d="${s.path}" fill="none" stroke="${c}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"${dash}/>`);
		}
	}

	// target (above the bars, so that a target at zero stays visible)
	const target = model.target;
	if (target) {
		for (const seg of target.segments) {
			out.push(
				`<line x1="${seg.x1}" x2="${seg.x2}" y1="${target.y}" y2="${target.y}" stroke="${target.color}" stroke-width="2" stroke-dasharray="${target.dash}"/>`
			);
		}
		for (const t of target.labelLines) out.push(textEl(t, target.color, true));
	}

	// projection: dotted, never drawn like data; hollow end marker and its value
	const projection = model.projection;
	if (projection) {
		const p = projection;
		if (p.bar) {
			out.push(
				`<rect x="${p.bar.x}" y="${p.bar.y}" width="${p.bar.width}" height="${p.bar.height}" fill="none" stroke="${p.color}" stroke-width="1.5" stroke-dasharray="4 3"/>`
			);
		}
		out.push(`<path d="${p.d}" fill="none" stroke="${p.color}" stroke-width="2.5" stroke-linecap="round" stroke-dasharray="${p.dash}"/>`);
		out.push(`<circle cx="${p.end.x}" cy="${p.end.y}" r="5" fill="#ffffff" stroke="${p.color}" stroke-width="2"/>`);
		for (const t of p.labelLines) out.push(textEl(t, colors.text, true));
	}

	// markers above the lines, footnote rings, labels at the lines' ends
	for (const s of model.series) {
		if (!s.markers.length) continue;
		out.push(`<g fill="${s.style.color}" stroke="#ffffff" stroke-width="1">`);
		for (const m of s.markers) out.push(`<path d="${m.d}"><title>${escapeXml(m.label)}</title></path>`);
		out.push('</g>');
		const noted = s.markers.filter((m) => m.note !== null);
		if (noted.length) {
			out.push(`<g fill="none" stroke="${colors.text}" stroke-width="1.5">`);
			for (const m of noted) out.push(`<circle cx="${m.x}" cy="${m.y}" r="8"/>`);
			out.push('</g>');
		}
	}
	for (const t of model.noteMarks) out.push(textEl(t, colors.text, true));
	for (const s of model.series) if (s.endLabel) out.push(textEl(s.endLabel, colors.text, true));

	// legend
	for (const item of model.legend) {
		const sw = item.swatch;
		const x0 = item.x;
		const x1 = r2(item.x + 30);
		if (sw.type === 'bar') {
			const style = model.series[sw.seriesIndex]?.style ?? seriesStyle(sw.seriesIndex);
			out.push(
				`<rect x="${r2(x0 + 7)}" y="${r2(item.y - 8)}" width="16" height="16" fill="${barFill(id, style, sw.seriesIndex)}" stroke="${sw.color}" stroke-width="1.5"/>`
			);
		} else {
			const dash = sw.dash ? ` stroke-dasharray="${sw.dash}"` : '';
			out.push(`<line x1="${x0}" x2="${sw.hollowEnd ? r2(x1 - 6) : x1}" y1="${item.y}" y2="${item.y}" stroke="${sw.color}" stroke-width="2.5"${dash}/>`);
			if (sw.hollowEnd) out.push(`<circle cx="${r2(x1 - 4)}" cy="${item.y}" r="4" fill="#ffffff" stroke="${sw.color}" stroke-width="2"/>`);
			if (sw.markerD) out.push(`<path d="${sw.markerD}" fill="${sw.color}" stroke="#ffffff" stroke-width="1"/>`);
		}
		out.push(textEl(item.text, colors.text));
		for (const t of item.more) out.push(textEl(t, colors.text));
	}
	out.push('</svg>');
	return out.join('');
}
