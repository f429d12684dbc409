/**
 * An indicator's trend and the funding linked to it, drawn on one time axis: the trend as a
 * line in the upper panel, the funding per year as bars in the lower one, both over the same
 * years so that a reader sees whether money and results moved together. Pure: returns SVG
 * markup in the look of the indicator chart (../indicators/chart.ts), drawn at each of the
 * page's natural widths like it; the page puts the same numbers in a table beside it.
 */
import { scaleLinear } from 'd3-scale';
import { CHART_COLORS, CHART_FONT_FAMILY, CHART_TEXT_SIZE as SIZE, CHART_WIDTHS, SERIES_COLORS, escapeXml, numberFormat as format, textWidth, wrap, type ChartDrawing } from '../indicators/chart.ts';

export interface FundingChartInput {
	/** The indicator's values by year (the series the page shows). */
	trend: Array<{ year: number; value: number }>;
	/** Funding per year in one currency. */
	funding: Array<{ year: number; amount: number }>;
	currency: string;
	locale: string;
	text: {
		/** The SVG's accessible name. */
		title: string;
		/** The accessible description: the summary in words, built by the caller. */
		summary: string;
		/** Heading of the upper panel, e.g. "Unemployment, percent of labor force". */
		trendPanel: string;
		/** Heading of the lower panel, e.g. "Funding per year, US dollars". */
		fundingPanel: string;
		/** In the upper panel when the indicator has no data. */
		noTrend: string;
	};
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** Values from a little below the lowest to a little above the highest, ticks in the locale. */
function valueScale(values: number[], top: number, bottom: number, fromZero: boolean, tickFormat: (domainMax: number, step: number) => Intl.NumberFormat) {
	let lo = Math.min(...values, ...(fromZero ? [0] : []));
	let hi = Math.max(...values);
	if (lo === hi) {
		const pad = Math.abs(hi) * 0.1 || 1;
		hi += pad;
		if (!fromZero) lo -= pad;
	}
	const count = Math.max(2, Math.min(5, Math.round((bottom - top) / 36)));
	const scale = scaleLinear().domain([lo, hi]).range([bottom, top]).nice(count);
	const ticks = scale.ticks(count);
	const [d0, d1] = scale.domain() as [number, number];
	const fmt = tickFormat(Math.max(Math.abs(d0), Math.abs(d1)), ticks.length > 1 ? ticks[1]! - ticks[0]! : 1);
	return { scale, ticks: ticks.map((v) => ({ v, label: fmt.format(v === 0 ? 0 : v) })) };
}

function drawAt(input: FundingChartInput, width: number, id: string): string {
	const small = width < 400;
	const PAD = small ? 10 : 16;
	const years = [...input.trend.map((p) => p.year), ...input.funding.map((f) => f.year)];
	const minYear = Math.min(...years);
	const maxYear = Math.max(...years);
	const text = CHART_COLORS.text;
	const out: string[] = [];
	const label = (x: number, y: number, t: string, size: number, anchor = 'start', bold = false) =>
		`<text x="${r2(x)}" y="${r2(y)}" font-size="${size}" text-anchor="${anchor}" fill="${text}"${bold ? ' font-weight="bold"' : ''}>${escapeXml(t)}</text>`;

	let y = PAD;
	const trendHeading = wrap(input.text.trendPanel, width - 2 * PAD, SIZE.tick, 2);
	const trendHeadingY = y + SIZE.tick;
	y += trendHeading.length * SIZE.tick * 1.3 + 12;
	const trendTop = y;
	const trendBottom = trendTop + (small ? 120 : 150);
	y = trendBottom + 28;
	const fundingHeading = wrap(input.text.fundingPanel, width - 2 * PAD, SIZE.tick, 2);
	const fundingHeadingY = y + SIZE.tick;
	y += fundingHeading.length * SIZE.tick * 1.3 + 12;
	const fundingTop = y;
	const fundingBottom = fundingTop + (small ? 100 : 120);
	const height = Math.ceil(fundingBottom + SIZE.tick + 7 + PAD + 4);

	const decimals = Math.min(3, Math.max(0, ...input.trend.map((p) => (String(p.value).split('.')[1] ?? '').length)));
	const trend = input.trend.length
		? valueScale(input.trend.map((p) => p.value), trendTop, trendBottom, false, (_, step) => {
				const d = Math.max(0, Math.min(decimals, Math.ceil(-Math.log10(step) - 1e-9)));
				return format(input.locale, { minimumFractionDigits: d, maximumFractionDigits: d });
			})
		: null;
	const money = valueScale(input.funding.map((f) => f.amount), fundingTop, fundingBottom, true, () =>
		format(input.locale, { style: 'currency', currency: input.currency, notation: 'compact', maximumFractionDigits: 1 })
	);
	const left = r2(PAD + Math.max(...[...(trend?.ticks ?? []), ...money.ticks].map((t) => textWidth(t.label, SIZE.tick))) + 8);
	const right = width - PAD - 8;
	const x = scaleLinear().domain([minYear - 0.5, maxYear + 0.5]).range([left, right]);
	const band = (right - left) / (maxYear - minYear + 1);

	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${CHART_FONT_FAMILY.replace(/"/g, '&quot;')}" style="display:block;width:100%;height:auto">`
	);
	out.push(`<title id="${id}-title">${escapeXml(input.text.title)}</title><desc id="${id}-desc">${escapeXml(input.text.summary)}</desc>`);
	out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
	trendHeading.forEach((line, i) => out.push(label(PAD, trendHeadingY + i * SIZE.tick * 1.3, line, SIZE.tick, 'start', true)));
	fundingHeading.forEach((line, i) => out.push(label(PAD, fundingHeadingY + i * SIZE.tick * 1.3, line, SIZE.tick, 'start', true)));

	// gridlines and value ticks of both panels
	const grid = (ticks: Array<{ v: number; label: string }>, scale: (v: number) => number) => {
		for (const t of ticks) {
			const ty = r2(scale(t.v));
			out.push(`<line x1="${left}" x2="${r2(right)}" y1="${ty}" y2="${ty}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>`);
			out.push(label(left - 6, ty + SIZE.tick * 0.35, t.label, SIZE.tick, 'end'));
		}
	};
	if (trend) grid(trend.ticks, trend.scale);
	else out.push(label((left + right) / 2, (trendTop + trendBottom) / 2, input.text.noTrend, SIZE.text, 'middle'));
	grid(money.ticks, money.scale);
	out.push(`<line x1="${left}" x2="${r2(right)}" y1="${r2(fundingBottom)}" y2="${r2(fundingBottom)}" stroke="${CHART_COLORS.axis}" stroke-width="1"/>`);

	// the shared year axis: a faint line through both panels at each labelled year
	const every = Math.max(1, Math.ceil((textWidth('2000', SIZE.tick) + 10) / band));
	for (let year = minYear; year <= maxYear; year++) {
		if ((year - minYear) % every !== 0 && year !== maxYear) continue;
		if (year === maxYear && (year - minYear) % every !== 0 && (year - minYear) % every < every / 2) continue;
		const tx = r2(x(year));
		out.push(`<line x1="${tx}" x2="${tx}" y1="${r2(trendTop)}" y2="${r2(fundingBottom)}" stroke="${CHART_COLORS.grid}" stroke-width="1" stroke-dasharray="2 4"/>`);
		out.push(label(tx, fundingBottom + SIZE.tick + 7, String(year), SIZE.tick, 'middle'));
	}

	// funding bars
	const barWidth = r2(Math.max(2, Math.min(36, band * 0.6)));
	for (const f of input.funding) {
		const top = r2(money.scale(f.amount));
		out.push(`<rect x="${r2(x(f.year) - barWidth / 2)}" y="${top}" width="${barWidth}" height="${r2(Math.max(0, fundingBottom - top))}" fill="${SERIES_COLORS[2]}"/>`);
	}
	// the trend line, with a marker per year
	if (trend && input.trend.length) {
		const points = [...input.trend].sort((a, b) => a.year - b.year).map((p) => [r2(x(p.year)), r2(trend.scale(p.value))] as const);
		out.push(`<path d="M${points.map(([px, py]) => `${px},${py}`).join('L')}" fill="none" stroke="${SERIES_COLORS[0]}" stroke-width="2.5"/>`);
		for (const [px, py] of points) out.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${SERIES_COLORS[0]}"/>`);
	}
	out.push('</svg>');
	return out.join('');
}

/** The drawing at each of the page's natural widths (see indicators/ui/Chart.svelte), or none when there is no funding to draw. */
export function fundingBesideTrend(input: FundingChartInput, idPrefix = 'funding-trend'): ChartDrawing[] {
	if (input.funding.length === 0) return [];
	return CHART_WIDTHS.map((width) => ({ width, markup: drawAt(input, width, `${idPrefix}-${width}`) }));
}
