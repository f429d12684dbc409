import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

export interface Sparkline {
	width: number;
	height: number;
	/** SVG path of the trend line. */
	path: string;
	/** The last point, marked with a dot. */
	last: { x: number; y: number };
	first: { year: number; value: number };
	latest: { year: number; value: number };
}

/** A small trend line for lists of indicators; null with fewer than two points. */
export function buildSparkline(points: ReadonlyArray<{ year: number; value: number }>, width = 120, height = 32): Sparkline | null {
	const sorted = [...points].sort((a, b) => a.year - b.year);
	if (sorted.length < 2) return null;
	const pad = 3;
	const years = sorted.map((p) => p.year);
	const values = sorted.map((p) => p.value);
	const min = Math.min(...values);
	const max = Math.max(...values);
	const x = scaleLinear().domain([years[0]!, years.at(-1)!]).range([pad, width - pad]);
	const y = scaleLinear()
		.domain(min === max ? [min - 1, max + 1] : [min, max])
		.range([height - pad, pad]);
	const path = line<{ year: number; value: number }>()
		.x((p) => Math.round(x(p.year) * 10) / 10)
		.y((p) => Math.round(y(p.value) * 10) / 10)(sorted);
	const last = sorted.at(-1)!;
	return {
		width,
		height,
		path: path ?? '',
		last: { x: Math.round(x(last.year) * 10) / 10, y: Math.round(y(last.value) * 10) / 10 },
		first: { year: sorted[0]!.year, value: sorted[0]!.value },
		latest: { year: last.year, value: last.value }
	};
}
