/**
 * The indicator chart, computed on the server: `buildChart` turns a series into a `ChartModel`
 * (every position, path, tick and label already computed), and `chartSvgMarkup` draws that
 * model as one SVG string. The page component and the standalone SVG/PNG export both use
 * `chartSvgMarkup`, so there is exactly one drawing. Pure: no I/O, no Svelte.
 *
 * Accessibility: the SVG is `role="img"` with a <title> and a <desc> holding `summary`, a
 * plain-language account built from the data. Colour is never the only cue: series differ by
 * marker shape (lines) or fill pattern (bars); the target and the projection are dashed with
 * different dash patterns and labelled in text. Every graphic colour reaches 3:1 against white
 * (WCAG 1.4.11); text is at least 12px at the natural size.
 */

import { tickStep } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

// ───────────────────────────── input ─────────────────────────────

export interface ChartInputPoint {
	year: number;
	/** How the period is shown, e.g. "2019" or "2019–20". */
	period: string;
	value: number;
}

export interface ChartInputSeries {
	label: string;
	points: ChartInputPoint[];
}

export interface ChartInput {
	title: string;
	unit: string;
	type: 'line' | 'bar';
	/** One or more series; the first is the main one (summary, projection). */
	series: ChartInputSeries[];
	target?: { value: number; year: number; label: string };
	/** A dashed line from the last data point to the target year: a projection, never data. */
	projection?: { fromYear: number; fromValue: number; toYear: number; toValue: number };
	isSample?: boolean;
}

/** Interface text drawn in the chart (English defaults; pass translations). */
export interface ChartLabels {
	year: string;
	projection: string;
	/** Used when `target.label` is empty. */
	target: string;
	sample: string;
	noData: string;
}

export interface ChartOptions {
	/** Natural width in px (the SVG scales down to its container). Default 720. */
	width?: number;
	/** Natural height in px; grows if the legend needs more room. Default 420. */
	height?: number;
	/** BCP 47 locale for numbers. Default 'en'. */
	locale?: string;
	labels?: Partial<ChartLabels>;
}

export const DEFAULT_LABELS: ChartLabels = {
	year: 'Year',
	projection: 'Projection',
	target: 'Target',
	sample: 'Illustrative sample data, not real measurements',
	noData: 'No data to chart yet.'
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

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down';
export type BarFill = 'solid' | 'hatch' | 'outline' | 'dots' | 'crosshatch';

export interface SeriesStyle {
	color: string;
	marker: MarkerShape;
	fill: BarFill;
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
}

export interface ChartSeries {
	label: string;
	style: SeriesStyle;
	/** Line charts: the path through the points in year order (null for bar charts). */
	path: string | null;
	markers: ChartMarker[];
	bars: ChartBar[];
}

export interface ChartTarget {
	value: number;
	year: number;
	label: string;
	x1: number;
	x2: number;
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
	/** Bar charts: an outlined, dashed bar in the projection year's slot. */
	bar: { x: number; y: number; width: number; height: number } | null;
	color: string;
	dash: string;
	labelLines: ChartText[];
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
}

interface ChartModelBase {
	title: string;
	unit: string;
	type: 'line' | 'bar';
	isSample: boolean;
	width: number;
	height: number;
	titleLines: ChartText[];
	/** The sample-data note under the title (null unless `isSample`). */
	sampleNote: ChartText | null;
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
	margin: { top: number; right: number; bottom: number; left: number };
	plot: { left: number; top: number; right: number; bottom: number; width: number; height: number };
	xAxis: { label: string; labelText: ChartText; ticks: Tick[] };
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
	legend: LegendItem[];
}

export type ChartModel = EmptyChartModel | FilledChartModel;

// ───────────────────────────── style ─────────────────────────────

/** Contrast with white: 6.02, 6.72, 4.59, 5.98, 9.68 (all ≥ 3:1 for graphics). */
export const SERIES_COLORS = ['#1f6f5c', '#005ea2', '#c05600', '#7a4fa8', '#3d4551'] as const;
const MARKERS: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down'];
const FILLS: BarFill[] = ['solid', 'hatch', 'outline', 'dots', 'crosshatch'];
const TEXT_COLOR = '#1b1b1b'; // 17.2:1
const AXIS_COLOR = '#565c65'; // 6.7:1
const GRID_COLOR = '#dfe1e2'; // decorative: values are read from the labelled ticks and the data table
const TARGET_COLOR = '#1b1b1b';
const TARGET_DASH = '10 5';
const PROJECTION_DASH = '4 4';

const PAD = 16;
const SIZE = { title: 18, text: 14, tick: 13 } as const;
/** Average glyph width in em, generous so that estimates hold for DejaVu Sans and system fonts. */
const GLYPH = 0.62;

function styleFor(i: number): SeriesStyle {
	return {
		color: SERIES_COLORS[i % SERIES_COLORS.length] ?? SERIES_COLORS[0],
		marker: MARKERS[i % MARKERS.length] ?? 'circle',
		fill: FILLS[i % FILLS.length] ?? 'solid'
	};
}

// ───────────────────────────── helpers ─────────────────────────────

const r2 = (n: number): number => Math.round(n * 100) / 100;

function textWidth(text: string, size: number): number {
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
function wrap(text: string, width: number, size: number, maxLines: number): string[] {
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

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
	try {
		return new Intl.NumberFormat(locale, options);
	} catch {
		return new Intl.NumberFormat('en', options);
	}
}

/** Decimal places written in a value (at most 3). */
function decimalsOf(value: number): number {
	const fixed = Math.abs(value).toFixed(3).replace(/0+$/, '');
	const dot = fixed.indexOf('.');
	return dot < 0 ? 0 : fixed.length - dot - 1;
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
	}
}

interface CleanSeries {
	label: string;
	points: ChartInputPoint[];
}

function cleanSeries(series: ChartInputSeries[]): CleanSeries[] {
	return series.map((s) => ({
		label: s.label,
		points: s.points
			.filter((p) => Number.isFinite(p.year) && Number.isFinite(p.value))
			.map((p, i) => ({ p, i }))
			.sort((a, b) => a.p.year - b.p.year || a.i - b.i)
			.map(({ p }) => p)
	}));
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
	const sentences: string[] = [];
	sentences.push(pts.length === 1 || first.period === last.period ? `${head}, ${first.period}.` : `${head}, ${first.period} to ${last.period}.`);
	if (input.isSample) sentences.push(`${labels.sample}.`);

	const f = (p: ChartInputPoint) => format(p.value);
	if (pts.length === 1) {
		sentences.push(`It was ${f(first)} in ${first.period}.`);
	} else if (pts.every((p) => format(p.value) === f(first))) {
		sentences.push(`It stayed at ${f(first)} from ${first.period} to ${last.period}.`);
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
				? `, its lowest since ${first.period}`
				: pts.length >= 3 && strictlyHighest
					? `, its highest since ${first.period}`
					: '';
		if (turn === 'peak') {
			sentences.push(`It rose from ${f(first)} in ${first.period} to ${f(hi)} in ${hi.period} and was ${f(last)} in ${last.period}${since}.`);
		} else if (turn === 'dip') {
			sentences.push(`It fell from ${f(first)} in ${first.period} to ${f(lo)} in ${lo.period} and was ${f(last)} in ${last.period}${since}.`);
		} else {
			const verb = last.value > first.value ? 'rose' : last.value < first.value ? 'fell' : 'ended where it started,';
			sentences.push(
				verb.endsWith(',')
					? `It ${verb} at ${f(last)} in ${last.period}.`
					: `It ${verb} from ${f(first)} in ${first.period} to ${f(last)} in ${last.period}${since}.`
			);
		}
	}

	const others = series.filter((s) => s !== main && s.points.length > 0);
	if (others.length > 0) {
		const parts = others.map((s) => {
			const p = s.points[s.points.length - 1] as ChartInputPoint;
			return `${s.label}, ${f(p)} in ${p.period}`;
		});
		sentences.push(`Also shown: ${parts.join('; ')}.`);
	}
	if (input.target && Number.isFinite(input.target.value)) {
		sentences.push(`The ${input.target.year} target is ${format(input.target.value)}.`);
	}
	if (input.projection && Number.isFinite(input.projection.toValue)) {
		sentences.push(
			`If the recent trend continues, it would reach ${format(input.projection.toValue)} by ${input.projection.toYear} (a projection, not data).`
		);
	}
	return sentences.join(' ');
}

// ───────────────────────────── build ─────────────────────────────

export function buildChart(input: ChartInput, options: ChartOptions = {}): ChartModel {
	const width = Math.max(320, Math.round(options.width ?? 720));
	let height = Math.max(240, Math.round(options.height ?? 420));
	const locale = options.locale ?? 'en';
	const labels: ChartLabels = { ...DEFAULT_LABELS, ...options.labels };
	const isSample = input.isSample === true;
	const series = cleanSeries(input.series);
	const allPoints = series.flatMap((s) => s.points);

	const decimals = Math.max(0, ...allPoints.map((p) => decimalsOf(p.value)));
	const valueFormat = numberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
	const fmt = (n: number) => valueFormat.format(unsign(n));
	const summary = chartSummary(input, fmt, labels);
	const colors = { text: TEXT_COLOR, axis: AXIS_COLOR, grid: GRID_COLOR, background: '#ffffff' };

	// title and sample note
	let y = PAD;
	const titleLines: ChartText[] = wrap(input.title, width - 2 * PAD, SIZE.title, 2).map((text, i) => ({
		x: PAD,
		y: y + SIZE.title + i * SIZE.title * 1.25,
		text,
		anchor: 'start',
		size: SIZE.title,
		bold: true
	}));
	y += titleLines.length * SIZE.title * 1.25;
	let sampleNote: ChartText | null = null;
	if (isSample) {
		sampleNote = { x: PAD, y: r2(y + SIZE.tick + 4), text: ellipsize(labels.sample, width - 2 * PAD, SIZE.tick), anchor: 'start', size: SIZE.tick, italic: true };
		y += SIZE.tick * 1.3 + 4;
	}
	y += 8;

	const base = { title: input.title, unit: input.unit, type: input.type, isSample, width, titleLines, sampleNote, summary, colors };

	if (allPoints.length === 0) {
		height = Math.max(200, Math.min(height, 260));
		const message = labels.noData;
		return {
			...base,
			height,
			empty: true,
			message,
			messageText: { x: width / 2, y: r2((y + height) / 2), text: ellipsize(message, width - 2 * PAD, SIZE.text), anchor: 'middle', size: SIZE.text }
		};
	}

	// unit above the y axis
	const unitLines = input.unit.trim() ? wrap(input.unit, width - 2 * PAD, SIZE.tick, 2) : [];
	const yAxisLabelLines: ChartText[] = unitLines.map((text, i) => ({
		x: PAD,
		y: r2(y + SIZE.tick + i * SIZE.tick * 1.3),
		text,
		anchor: 'start',
		size: SIZE.tick
	}));
	y += unitLines.length * SIZE.tick * 1.3;
	const plotTop = r2(y + 12);

	// legend (laid out across the full width, rows as needed)
	const target = input.target && Number.isFinite(input.target.value) && Number.isFinite(input.target.year) ? input.target : undefined;
	const projection =
		input.projection && [input.projection.fromYear, input.projection.fromValue, input.projection.toYear, input.projection.toValue].every(Number.isFinite)
			? input.projection
			: undefined;
	const targetLabel = target ? target.label.trim() || labels.target : '';
	const legendEntries: Array<{ kind: LegendItem['kind']; label: string; seriesIndex: number }> = [
		...series.map((s, i) => ({ kind: 'series' as const, label: s.label, seriesIndex: i })).filter((e) => (series[e.seriesIndex]?.points.length ?? 0) > 0),
		...(target ? [{ kind: 'target' as const, label: targetLabel, seriesIndex: -1 }] : []),
		...(projection ? [{ kind: 'projection' as const, label: `${labels.projection} (not data)`, seriesIndex: -1 }] : [])
	];
	const SWATCH = 30;
	const ROW = 24;
	const legendMaxText = width - 2 * PAD - SWATCH - 8;
	const placed: Array<{ entry: (typeof legendEntries)[number]; text: string; row: number; x: number }> = [];
	{
		let row = 0;
		let x = PAD;
		for (const entry of legendEntries) {
			const text = ellipsize(entry.label, legendMaxText, SIZE.text);
			const w = SWATCH + 8 + textWidth(text, SIZE.text);
			if (x > PAD && x + w > width - PAD) {
				row += 1;
				x = PAD;
			}
			placed.push({ entry, text, row, x });
			x += w + 24;
		}
	}
	const legendRows = placed.length ? Math.max(...placed.map((p) => p.row)) + 1 : 0;
	const below = SIZE.tick + 8 + 22 + 16 + legendRows * ROW; // tick labels, "Year", gap, legend
	const MIN_PLOT = 120;
	if (height - PAD - below - plotTop < MIN_PLOT) height = Math.ceil(plotTop + MIN_PLOT + below + PAD);
	const plotBottom = r2(height - PAD - below);
	const plotHeight = plotBottom - plotTop;

	// y scale
	const yValues = allPoints.map((p) => p.value);
	if (input.type === 'bar') yValues.push(0);
	if (target) yValues.push(target.value);
	if (projection) yValues.push(projection.fromValue, projection.toValue);
	let y0 = Math.min(...yValues);
	let y1 = Math.max(...yValues);
	if (y0 === y1) {
		const pad = Math.abs(y0) * 0.1 || 1;
		y0 = y0 >= 0 && y0 - pad < 0 ? 0 : y0 - pad;
		y1 = y1 <= 0 && y1 + pad > 0 ? 0 : y1 + pad;
		if (y0 === y1) y1 = y0 + 1;
	}
	const yCount = Math.max(2, Math.min(8, Math.round(plotHeight / 48)));
	const yScale = scaleLinear().domain([y0, y1]).range([plotBottom, plotTop]).nice(yCount);
	const [d0, d1] = yScale.domain() as [number, number];
	const yTickValues = yScale.ticks(yCount);
	const step = tickStep(d0, d1, yCount);
	const tickDecimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
	const big = Math.max(Math.abs(d0), Math.abs(d1)) >= 1e6;
	const tickFormat = numberFormat(
		locale,
		big ? { notation: 'compact', maximumFractionDigits: 1 } : { minimumFractionDigits: tickDecimals, maximumFractionDigits: tickDecimals }
	);
	const yTickLabels = yTickValues.map((v) => tickFormat.format(unsign(v)));
	const left = r2(PAD + Math.max(...yTickLabels.map((l) => textWidth(l, SIZE.tick))) + 8);

	// right margin: room for the target and projection labels beside the plot
	const sideMax = Math.round(width * 0.3);
	const targetLines = target ? [ellipsize(targetLabel, sideMax, SIZE.tick), fmt(target.value)] : [];
	const projectionLines = projection ? [ellipsize(labels.projection, sideMax, SIZE.tick), `${fmt(projection.toValue)} (${projection.toYear})`] : [];
	const sideWidth = Math.max(0, ...[...targetLines, ...projectionLines].map((l) => textWidth(l, SIZE.tick)));
	const right = r2(width - PAD - (sideWidth > 0 ? sideWidth + 10 : 18));
	const plot = { left, top: plotTop, right, bottom: plotBottom, width: r2(right - left), height: r2(plotHeight) };
	const yPos = (v: number) => r2(yScale(v));
	const yTicks: Tick[] = yTickValues.map((value, i) => ({
		value: unsign(value),
		label: yTickLabels[i] ?? '',
		position: yPos(value),
		labelX: r2(left - 8),
		labelY: r2(yPos(value) + SIZE.tick * 0.35)
	}));
	const zeroY = d0 < 0 && d1 > 0 ? yPos(0) : null;

	// x scale and series
	const years = allPoints.map((p) => p.year);
	const minYear = Math.min(...years);
	const maxYear = Math.max(...years);
	const tickLabelY = r2(plotBottom + SIZE.tick + 8);
	const styles = series.map((_, i) => styleFor(i));
	const label = (s: CleanSeries, p: ChartInputPoint) =>
		`${series.length > 1 ? `${s.label}, ` : ''}${p.period}: ${withUnit(fmt(p.value), input.unit)}`;
	let chartSeries: ChartSeries[];
	let xTicks: Tick[];
	let projectionModel: ChartProjection | null = null;
	let xOf: (year: number) => number;
	const mainColor = styles[0]?.color ?? SERIES_COLORS[0];

	if (input.type === 'bar') {
		const present = [...new Set(years)].sort((a, b) => a - b);
		const slots: string[] = maxYear - minYear <= 100 ? Array.from({ length: maxYear - minYear + 1 }, (_, i) => String(minYear + i)) : present.map(String);
		const projYear = projection && projection.toYear > maxYear ? projection.toYear : null;
		if (projYear !== null) {
			if (projYear > maxYear + 1) slots.push('gap');
			slots.push(String(projYear));
		}
		const band = scaleBand<string>().domain(slots).range([left, right]).paddingInner(0.2).paddingOuter(0.1);
		const nonEmpty = series.map((s, i) => ({ s, i })).filter(({ s }) => s.points.length > 0);
		const inner = scaleBand<number>()
			.domain(nonEmpty.map(({ i }) => i))
			.range([0, band.bandwidth()])
			.paddingInner(nonEmpty.length > 1 ? 0.08 : 0);
		const baseY = yPos(Math.max(d0, Math.min(d1, 0)));
		xOf = (year) => r2((band(String(year)) ?? left) + band.bandwidth() / 2);
		chartSeries = series.map((s, i) => ({
			label: s.label,
			style: styles[i] ?? styleFor(i),
			path: null,
			markers: [],
			bars: s.points.map((p) => {
				const x = (band(String(p.year)) ?? left) + (inner(i) ?? 0);
				const top = Math.min(yPos(p.value), baseY);
				return {
					seriesIndex: i,
					year: p.year,
					period: p.period,
					value: p.value,
					x: r2(x),
					y: r2(top),
					width: r2(inner.bandwidth()),
					height: r2(Math.max(Math.abs(yPos(p.value) - baseY), p.value === 0 ? 0 : 1)),
					label: label(s, p)
				};
			})
		}));
		const yearSlots = slots.filter((s) => s !== 'gap');
		const maxLabels = Math.max(2, Math.floor(plot.width / (textWidth('2000', SIZE.tick) + 12)));
		const every = Math.ceil(yearSlots.length / maxLabels);
		xTicks = yearSlots
			.map(Number)
			.filter((yr) => yr === projYear || (yr - minYear) % every === 0)
			.map((yr) => ({ value: yr, label: String(yr), position: xOf(yr), labelX: xOf(yr), labelY: tickLabelY }));
		if (projection) {
			// from the top of the main series' bar for that year when there is one
			const fromBar = chartSeries[0]?.bars.findLast((b) => b.year === projection.fromYear);
			const fromX = fromBar ? r2(fromBar.x + fromBar.width / 2) : xOf(projection.fromYear);
			const endX = projYear !== null ? xOf(projYear) : xOf(projection.toYear);
			const endY = yPos(projection.toValue);
			const bw = band.bandwidth() * 0.7;
			projectionModel = {
				...projection,
				d: `M${fromX},${yPos(projection.fromValue)}L${endX},${endY}`,
				end: { x: endX, y: endY },
				bar: projYear !== null ? { x: r2(endX - bw / 2), y: r2(Math.min(endY, baseY)), width: r2(bw), height: r2(Math.abs(endY - baseY)) } : null,
				color: mainColor,
				dash: PROJECTION_DASH,
				labelLines: []
			};
		}
	} else {
		let x0 = minYear;
		let x1 = Math.max(maxYear, projection?.toYear ?? -Infinity, target?.year ?? -Infinity);
		if (projection) x0 = Math.min(x0, projection.fromYear);
		if (x0 === x1) {
			x0 -= 1;
			x1 += 1;
		}
		const xScale = scaleLinear().domain([x0, x1]).range([left, right]);
		xOf = (year) => r2(xScale(year));
		const xCount = Math.max(2, Math.floor(plot.width / 70));
		xTicks = xScale
			.ticks(Math.min(xCount, x1 - x0))
			.filter((v) => Number.isInteger(v))
			.map((v) => ({ value: v, label: String(v), position: xOf(v), labelX: xOf(v), labelY: tickLabelY }));
		const count = allPoints.length;
		const radius = count > plot.width / 10 ? 3 : 4.5;
		const path = line<ChartMarker>()
			.x((m) => m.x)
			.y((m) => m.y)
			.digits(2);
		chartSeries = series.map((s, i) => {
			const style = styles[i] ?? styleFor(i);
			const markers: ChartMarker[] = s.points.map((p) => {
				const mx = xOf(p.year);
				const my = yPos(p.value);
				return {
					seriesIndex: i,
					year: p.year,
					period: p.period,
					value: p.value,
					x: mx,
					y: my,
					shape: style.marker,
					d: markerPath(style.marker, mx, my, radius),
					label: label(s, p)
				};
			});
			return { label: s.label, style, path: markers.length > 1 ? path(markers) : null, markers, bars: [] };
		});
		if (projection) {
			const from = { x: xOf(projection.fromYear), y: yPos(projection.fromValue) };
			const end = { x: xOf(projection.toYear), y: yPos(projection.toValue) };
			projectionModel = {
				...projection,
				d: `M${from.x},${from.y}L${end.x},${end.y}`,
				end,
				bar: null,
				color: mainColor,
				dash: PROJECTION_DASH,
				labelLines: []
			};
		}
	}

	// target line across the plot, labels beside the plot (pushed apart if they would collide)
	let targetModel: ChartTarget | null = null;
	if (target) {
		targetModel = {
			value: target.value,
			year: target.year,
			label: targetLabel,
			x1: left,
			x2: right,
			y: yPos(target.value),
			color: TARGET_COLOR,
			dash: TARGET_DASH,
			labelLines: []
		};
	}
	const BLOCK = 34;
	const blocks: Array<{ lines: string[]; centre: number; set: (l: ChartText[]) => void }> = [];
	if (targetModel) {
		const t = targetModel;
		blocks.push({ lines: targetLines, centre: t.y, set: (l) => (t.labelLines = l) });
	}
	if (projectionModel) {
		const p = projectionModel;
		blocks.push({ lines: projectionLines, centre: p.end.y, set: (l) => (p.labelLines = l) });
	}
	if (blocks.length === 2) {
		const [a, b] = blocks as [(typeof blocks)[number], (typeof blocks)[number]];
		if (Math.abs(a.centre - b.centre) < BLOCK) {
			const mid = (a.centre + b.centre) / 2;
			const [upper, lower] = a.centre <= b.centre ? [a, b] : [b, a];
			upper.centre = mid - BLOCK / 2;
			lower.centre = mid + BLOCK / 2;
		}
	}
	// keep the labels between the top of the plot and the x axis (the last x tick label sits below it)
	const lowest = plotBottom - 17;
	const highest = plotTop + 10;
	const sorted = [...blocks].sort((a, b) => a.centre - b.centre);
	for (const [i, block] of sorted.entries()) block.centre = Math.max(highest + i * BLOCK, block.centre);
	for (const [i, block] of [...sorted].reverse().entries()) block.centre = Math.min(lowest - i * BLOCK, block.centre);
	for (const block of blocks) {
		const c = block.centre;
		block.set(
			block.lines.map((text, i) => ({
				x: r2(right + 8),
				y: r2(c - 3 + i * 16),
				text,
				anchor: 'start',
				size: SIZE.tick,
				bold: i === 0
			}))
		);
	}

	// legend items
	const legendTop = plotBottom + SIZE.tick + 8 + 22 + 16;
	const legend: LegendItem[] = placed.map(({ entry, text, row, x }) => {
		const cy = r2(legendTop + row * ROW + ROW / 2);
		const textItem: ChartText = { x: r2(x + SWATCH + 8), y: r2(cy + SIZE.text * 0.35), text, anchor: 'start', size: SIZE.text };
		if (entry.kind === 'series') {
			const style = styles[entry.seriesIndex] ?? styleFor(entry.seriesIndex);
			return {
				kind: 'series',
				label: entry.label,
				x,
				y: cy,
				swatch:
					input.type === 'bar'
						? { type: 'bar', color: style.color, fill: style.fill, seriesIndex: entry.seriesIndex }
						: { type: 'line', color: style.color, dash: null, marker: style.marker, hollowEnd: false, markerD: markerPath(style.marker, x + SWATCH / 2, cy, 4.5) },
				text: textItem
			};
		}
		if (entry.kind === 'target') {
			return { kind: 'target', label: entry.label, x, y: cy, swatch: { type: 'line', color: TARGET_COLOR, dash: TARGET_DASH, marker: null, hollowEnd: false, markerD: null }, text: textItem };
		}
		return { kind: 'projection', label: entry.label, x, y: cy, swatch: { type: 'line', color: mainColor, dash: PROJECTION_DASH, marker: null, hollowEnd: true, markerD: null }, text: textItem };
	});

	return {
		...base,
		height,
		empty: false,
		margin: { top: plotTop, right: r2(width - right), bottom: r2(height - plotBottom), left },
		plot,
		xAxis: {
			label: labels.year,
			labelText: { x: r2((left + right) / 2), y: r2(plotBottom + SIZE.tick + 8 + 22), text: labels.year, anchor: 'middle', size: SIZE.text },
			ticks: xTicks
		},
		yAxis: { label: input.unit, labelLines: yAxisLabelLines, ticks: yTicks, domain: [unsign(d0), unsign(d1)], zeroY },
		series: chartSeries,
		target: targetModel,
		projection: projectionModel,
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

function textEl(t: ChartText, fill: string): string {
	const attrs = [`x="${t.x}"`, `y="${t.y}"`, `font-size="${t.size}"`, `fill="${fill}"`];
	if (t.anchor !== 'start') attrs.push(`text-anchor="${t.anchor}"`);
	if (t.bold) attrs.push('font-weight="bold"');
	if (t.italic) attrs.push('font-style="italic"');
	return `<text ${attrs.join(' ')}>${escapeXml(t.text)}</text>`;
}

function patternDefs(id: string, model: FilledChartModel): string {
	const defs: string[] = [];
	model.series.forEach((s, i) => {
		const c = s.style.color;
		const pid = `${id}-fill-${i}`;
		if (s.style.fill === 'hatch') {
			defs.push(
				`<pattern id="${pid}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${c}" stroke-width="3"/></pattern>`
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
 * The chart as one `<svg>` element. The page embeds it (responsive: width 100%, height auto,
 * never wider than its natural size); `standalone` drops the responsive inline style so that
 * the width/height attributes alone size the file (SVG export, PNG rendering).
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
	if (!options.standalone) rootAttrs.push(`style="display:block;width:100%;height:auto;max-width:${w}px"`);
	const out: string[] = [];
	out.push(`<svg ${rootAttrs.join(' ')}>`);
	out.push(`<title id="${id}-title">${escapeXml(model.title)}</title>`);
	out.push(`<desc id="${id}-desc">${escapeXml(model.summary)}</desc>`);
	if (!model.empty) out.push(patternDefs(id, model));
	out.push(`<rect width="${w}" height="${h}" fill="${colors.background}"/>`);
	for (const t of model.titleLines) out.push(textEl(t, colors.text));
	if (model.sampleNote) out.push(textEl(model.sampleNote, colors.text));

	if (model.empty) {
		out.push(textEl(model.messageText, colors.text));
		out.push('</svg>');
		return out.join('');
	}

	const { plot } = model;
	// gridlines and y ticks
	out.push(`<g stroke="${colors.grid}" stroke-width="1">`);
	for (const t of model.yAxis.ticks) out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${t.position}" y2="${t.position}"/>`);
	out.push('</g>');
	out.push(`<g fill="${colors.text}" font-size="13" text-anchor="end">`);
	for (const t of model.yAxis.ticks) out.push(`<text x="${t.labelX}" y="${t.labelY}">${escapeXml(t.label)}</text>`);
	out.push('</g>');
	for (const t of model.yAxis.labelLines) out.push(textEl(t, colors.text));
	// axes
	if (model.yAxis.zeroY !== null) {
		out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${model.yAxis.zeroY}" y2="${model.yAxis.zeroY}" stroke="${colors.axis}" stroke-width="1.5"/>`);
	}
	out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="${colors.axis}" stroke-width="1"/>`);
	out.push(`<g stroke="${colors.axis}" stroke-width="1">`);
	for (const t of model.xAxis.ticks) out.push(`<line x1="${t.position}" x2="${t.position}" y1="${plot.bottom}" y2="${r2(plot.bottom + 5)}"/>`);
	out.push('</g>');
	out.push(`<g fill="${colors.text}" font-size="13" text-anchor="middle">`);
	for (const t of model.xAxis.ticks) out.push(`<text x="${t.labelX}" y="${t.labelY}">${escapeXml(t.label)}</text>`);
	out.push('</g>');
	out.push(textEl(model.xAxis.labelText, colors.text));

	// target (behind the data)
	const target = model.target;
	if (target) {
		out.push(
			`<line x1="${target.x1}" x2="${target.x2}" y1="${target.y}" y2="${target.y}" stroke="${target.color}" stroke-width="2" stroke-dasharray="${target.dash}"/>`
		);
		for (const t of target.labelLines) out.push(textEl(t, target.color));
	}

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
		if (s.path) out.push(`<path d="${s.path}" fill="none" stroke="${c}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`);
	}

	// projection: dashed, never drawn like data; hollow end marker and a text label
	const projection = model.projection;
	if (projection) {
		const p = projection;
		if (p.bar) {
			out.push(
				`<rect x="${p.bar.x}" y="${p.bar.y}" width="${p.bar.width}" height="${p.bar.height}" fill="none" stroke="${p.color}" stroke-width="1.5" stroke-dasharray="${p.dash}"/>`
			);
		}
		out.push(`<path d="${p.d}" fill="none" stroke="${p.color}" stroke-width="2.5" stroke-dasharray="${p.dash}"/>`);
		out.push(`<circle cx="${p.end.x}" cy="${p.end.y}" r="5" fill="#ffffff" stroke="${p.color}" stroke-width="2"/>`);
		for (const t of p.labelLines) out.push(textEl(t, colors.text));
	}

	// markers above the lines
	for (const s of model.series) {
		if (!s.markers.length) continue;
		out.push(`<g fill="${s.style.color}" stroke="#ffffff" stroke-width="1">`);
		for (const m of s.markers) out.push(`<path d="${m.d}"><title>${escapeXml(m.label)}</title></path>`);
		out.push('</g>');
	}

	// legend
	for (const item of model.legend) {
		const sw = item.swatch;
		const x0 = item.x;
		const x1 = r2(item.x + 30);
		if (sw.type === 'bar') {
			const style = model.series[sw.seriesIndex]?.style ?? styleFor(sw.seriesIndex);
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
	}
	out.push('</svg>');
	return out.join('');
}
