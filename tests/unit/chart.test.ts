import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { buildChart, CHART_WIDTHS, chartSvgMarkup, MAX_SERIES, SERIES_COLORS, seriesStyle } from '../../src/lib/indicators/chart.ts';
import type { ChartInput, ChartModel, FilledChartModel } from '../../src/lib/indicators/chart.ts';
import { chartPng, chartSvgDocument } from '../../src/lib/indicators/server/chart-image.ts';
import { contrastRatio } from '../../src/lib/region/pack.ts';

function pts(rows: Array<[number, number]>) {
	return rows.map(([year, value]) => ({ year, period: String(year), value }));
}

function filled(model: ChartModel): FilledChartModel {
	if (model.empty) throw new Error('expected a chart with data');
	return model;
}

const unemployment: ChartInput = {
	title: 'Unemployment rate',
	unit: 'percent',
	type: 'line',
	series: [
		{
			label: 'Sacramento region',
			points: pts([
				[2010, 5.1],
				[2015, 7.0],
				[2020, 12.2],
				[2022, 6.0],
				[2024, 4.9]
			])
		}
	],
	target: { value: 3, year: 2050, label: '2050 target' },
	projection: { fromYear: 2024, fromValue: 4.9, toYear: 2050, toValue: 2.4 }
};

describe('scales and ticks', () => {
	const model = filled(
		buildChart({
			title: 'Known',
			unit: 'things',
			type: 'line',
			series: [
				{
					label: 'Main',
					points: pts([
						[2015, 0],
						[2016, 2],
						[2017, 4],
						[2018, 6],
						[2019, 8],
						[2020, 10]
					])
				}
			]
		})
	);

	it('maps the data extent onto the plot area', () => {
		expect(model.yAxis.domain).toEqual([0, 10]);
		const markers = model.series[0]?.markers ?? [];
		expect(markers).toHaveLength(6);
		expect(markers[0]).toMatchObject({ y: model.plot.bottom, label: '2015: 0 things' });
		expect(markers[0]!.x).toBeGreaterThan(model.plot.left);
		expect(markers[0]!.x - model.plot.left).toBeLessThan(12);
		expect(markers[5]).toMatchObject({ x: model.plot.right, y: model.plot.top, label: '2020: 10 things' });
		expect(model.series[0]?.path).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){5}$/);
	});

	it('has evenly spaced, sensibly counted, formatted ticks', () => {
		const y = model.yAxis.ticks;
		expect(y.length).toBeGreaterThanOrEqual(3);
		expect(y.length).toBeLessThanOrEqual(9);
		expect(y[0]).toMatchObject({ value: 0, label: '0', position: model.plot.bottom });
		expect(y.at(-1)).toMatchObject({ value: 10, label: '10', position: model.plot.top });
		const gaps = y.slice(1).map((t, i) => Math.round((t.position - (y[i]?.position ?? 0)) * 10) / 10);
		expect(new Set(gaps).size).toBe(1);
		expect(model.xAxis.ticks.map((t) => t.label)).toEqual(['2015', '2016', '2017', '2018', '2019', '2020']);
		expect(model.xAxis.label).toBe('Year');
	});

	it('formats numbers for the locale but years as plain integers', () => {
		const de = filled(
			buildChart(
				{
					title: 'Big',
					unit: 'people',
					type: 'line',
					series: [
						{
							label: 'Main',
							points: pts([
								[1998, 1234.5],
								[2031, 5000.25]
							])
						}
					]
				},
				{ locale: 'de' }
			)
		);
		expect(de.yAxis.ticks.map((t) => t.label)).toContain('5.000');
		expect(de.series[0]?.markers[0]?.label).toBe('1998: 1.234,50 people');
		const xLabels = de.xAxis.ticks.map((t) => t.label);
		expect(xLabels).toContain('2000');
		expect(xLabels.every((l) => /^\d{4}$/.test(l))).toBe(true);
		expect(de.summary).toContain('rose from 1.234,50 in 1998 to 5.000,25 in 2031');
	});
});

describe('bar and line', () => {
	const series = [
		{
			label: 'Main',
			points: pts([
				[2019, 50],
				[2020, 55],
				[2021, 60]
			])
		}
	];

	it('draws bars on a band scale with 0 in the domain', () => {
		const bar = filled(buildChart({ title: 'B', unit: 'u', type: 'bar', series }));
		expect(bar.series[0]?.path).toBeNull();
		expect(bar.series[0]?.markers).toHaveLength(0);
		const bars = bar.series[0]?.bars ?? [];
		expect(bars).toHaveLength(3);
		expect(bar.yAxis.domain[0]).toBe(0);
		for (const b of bars) {
			expect(b.y + b.height).toBeCloseTo(bar.plot.bottom, 1);
			expect(b.width).toBeGreaterThan(10);
		}
		expect(bars[0]?.label).toBe('2019: 50 u');
		expect(bar.xAxis.ticks.map((t) => t.label)).toEqual(['2019', '2020', '2021']);
		expect(chartSvgMarkup(bar).match(/<rect x=/g)?.length).toBeGreaterThanOrEqual(3);
	});

	it('draws a line with markers and a domain fitted to the data', () => {
		const ln = filled(buildChart({ title: 'L', unit: 'u', type: 'line', series }));
		expect(ln.series[0]?.bars).toHaveLength(0);
		expect(ln.series[0]?.markers).toHaveLength(3);
		expect(ln.series[0]?.path).toBeTruthy();
		expect(ln.yAxis.domain[0]).toBeGreaterThan(0);
	});

	it('tells series apart by shape or fill pattern, not only colour', () => {
		const two = [...series, { label: 'Other', points: pts([[2019, 40]]) }];
		const ln = filled(buildChart({ title: 'L', unit: 'u', type: 'line', series: two }));
		expect(ln.series.map((s) => s.style.marker)).toEqual(['circle', 'square']);
		const bar = filled(buildChart({ title: 'B', unit: 'u', type: 'bar', series: two }));
		expect(bar.series.map((s) => s.style.fill)).toEqual(['solid', 'hatch']);
		expect(chartSvgMarkup(bar, { idPrefix: 'x' })).toContain('fill="url(#x-fill-1)"');
		expect(bar.legend.map((l) => l.label)).toEqual(['Main', 'Other']);
	});
});

describe('target and projection', () => {
	const model = filled(buildChart(unemployment));
	const svg = chartSvgMarkup(model, { idPrefix: 'ind-7' });

	it('keep the x axis to the data and put 2050 in a compact panel beyond a broken axis', () => {
		expect(model.xAxis.domain).toEqual([2010, 2024]);
		const data = model.series[0]!.markers;
		expect(data.at(-1)!.x).toBe(model.plot.right);
		expect(model.inset).not.toBeNull();
		const inset = model.inset!;
		expect(inset.left).toBeGreaterThan(model.plot.right);
		// the data keep most of the width: the panel is compact
		expect(inset.right - inset.left).toBeLessThan((model.plot.right - model.plot.left) / 3);
		expect(model.xAxis.ticks.at(-1)).toMatchObject({ label: '2050' });
		expect(model.xAxis.ticks.at(-1)!.position).toBeGreaterThan(inset.left);
		expect(model.projection?.end.x).toBeGreaterThan(inset.left);
		expect(svg).toContain(`M${r(inset.breakX - 6)},`);
	});

	it('are in the model, dashed or dotted, and labelled in text', () => {
		expect(model.target).toMatchObject({ value: 3, year: 2050, label: '2050 target', dash: '10 5' });
		expect(model.target?.segments).toHaveLength(2);
		expect(model.target?.labelLines.map((l) => l.text)).toEqual(['3.0']);
		expect(model.projection).toMatchObject({ toYear: 2050, toValue: 2.4, dash: '2 4' });
		expect(model.projection?.labelLines.map((l) => l.text)).toEqual(['2.4']);
		expect(model.legend.map((l) => l.label)).toEqual(['Sacramento region', '2050 target: 3.0', 'Projection (not data)']);
		expect(model.yAxis.domain[0]).toBeLessThanOrEqual(2.4);
		expect(svg).toContain(`stroke="#1b1b1b" stroke-width="2" stroke-dasharray="10 5"/>`);
		expect(svg).toContain(`<path d="${model.projection?.d}" fill="none" stroke="${SERIES_COLORS[0]}" stroke-width="2.5" stroke-linecap="round" stroke-dasharray="2 4"/>`);
		expect(svg).toContain('>Projection (not data)</text>');
		expect(svg).toContain('>2050 target: 3.0</text>');
		// the latest value is written at the line's end
		expect(model.series[0]?.endLabel?.text).toBe('4.9 (2024)');
	});

	it('keep a target at the edge of the data off the axis', () => {
		// PM2.5-like: the target equals the lowest value
		const edge = filled(
			buildChart({
				title: 'Fine particles',
				unit: 'µg/m³',
				type: 'line',
				series: [{ label: 'Region', points: pts([[2010, 6], [2015, 9], [2020, 12]]) }],
				target: { value: 6, year: 2050, label: '2050 target' }
			})
		);
		expect(edge.target!.y).toBeLessThan(edge.plot.bottom - 8);
		const top = filled(
			buildChart({
				title: 'Graduation',
				unit: '%',
				type: 'bar',
				series: [{ label: 'Region', points: pts([[2010, 70], [2015, 80]]) }],
				target: { value: 80, year: 2030, label: 'Target' }
			})
		);
		expect(top.target!.y).toBeGreaterThan(top.plot.top + 8);
	});

	it('is an accessible image with title and description', () => {
		expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="ind-7-title ind-7-desc"/);
		expect(svg).toContain('<title id="ind-7-title">Unemployment rate</title>');
		expect(svg).toContain(`<desc id="ind-7-desc">${model.summary}</desc>`);
		expect(svg).toContain('viewBox="0 0 720 ');
		expect(svg).toContain('style="display:block;width:100%;height:auto"');
		expect(svg).not.toContain('<script');
	});

	it('draws the title only when asked (pages put it in HTML, where it wraps)', () => {
		const page = filled(buildChart(unemployment, { drawTitle: false }));
		expect(page.titleLines).toEqual([]);
		expect(chartSvgMarkup(page)).not.toContain('font-size="18"');
		expect(model.titleLines[0]?.text).toBe('Unemployment rate');
	});

	it('uses graphic colours with at least 3:1 contrast against white', () => {
		const used = new Set([...svg.matchAll(/(?:stroke|fill)="(#[0-9a-f]{6})"/g)].map((m) => m[1] ?? ''));
		used.delete('#ffffff');
		used.delete('#dfe1e2'); // gridlines: decorative, values come from the tick labels
		for (const c of [...used, ...SERIES_COLORS]) expect(contrastRatio(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
	});
});

const r = (n: number) => Math.round(n * 100) / 100;

describe('text size at every width', () => {
	it('draws no text under 12 px at any natural width a page uses', () => {
		for (const width of CHART_WIDTHS) {
			for (const input of [unemployment, { ...unemployment, type: 'bar' as const, isSample: true }, sixSeries(8)]) {
				const markup = chartSvgMarkup(buildChart(input, { width, drawTitle: false }));
				const sizes = [...markup.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
				expect(Math.min(...sizes), `${width}`).toBeGreaterThanOrEqual(12);
				expect(markup).toContain(`viewBox="0 0 ${width} `);
			}
		}
	});

	it('keeps every text inside the drawing', () => {
		for (const width of CHART_WIDTHS) {
			const model = filled(buildChart(sixSeries(6), { width, drawTitle: false }));
			const texts = [...model.legend.map((l) => l.text), ...model.series.flatMap((s) => (s.endLabel ? [s.endLabel] : []))];
			for (const t of texts) {
				const w = t.text.length * t.size * 0.6;
				const x0 = t.anchor === 'start' ? t.x : t.anchor === 'end' ? t.x - w : t.x - w / 2;
				expect(x0, t.text).toBeGreaterThanOrEqual(0);
				expect(x0 + w, `${t.text} at ${width}`).toBeLessThanOrEqual(width + 0.5);
				expect(t.y).toBeLessThanOrEqual(model.height);
			}
		}
	});
});

function sixSeries(count: number): ChartInput {
	const names = ['All', 'Female', 'Male', 'Under 18 years', '18 to 64 years', '65 years and over', 'Unknown', 'Other'];
	return {
		title: 'Compared',
		unit: '%',
		type: 'line',
		series: names.slice(0, count).map((label, i) => ({ label, points: pts([[2015, 10 + i], [2016, 11 + i], [2019, 12 + i * 0.5]]) }))
	};
}

describe('comparing series', () => {
	it('draws at most six series and says how many were left out', () => {
		const model = filled(buildChart(sixSeries(8)));
		expect(model.series).toHaveLength(MAX_SERIES);
		expect(MAX_SERIES).toBe(6);
		expect(model.omitted).toBe(2);
		expect(model.legend.map((l) => l.label)).toEqual(['All', 'Female', 'Male', 'Under 18 years', '18 to 64 years', '65 years and over']);
	});

	it('gives each series its own colour, marker and dash, and a direct label that does not overlap', () => {
		const model = filled(buildChart(sixSeries(6)));
		const styles = model.series.map((s) => s.style);
		expect(new Set(styles.map((s) => s.color)).size).toBe(6);
		expect(new Set(styles.map((s) => s.marker)).size).toBe(6);
		expect(new Set(styles.map((s) => s.dash ?? 'solid')).size).toBe(6);
		expect(new Set(styles.map((s) => s.fill)).size).toBe(6);
		const ys = model.series.map((s) => s.endLabel!.y).sort((a, b) => a - b);
		for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(12);
		expect(model.series.map((s) => s.endLabel?.text.replace('…', ''))).toEqual(model.series.map((s) => expect.stringMatching(new RegExp(`^${s.label.slice(0, 6)}`))));
		for (const s of model.series) expect(s.endLabel!.x).toBeGreaterThan(model.plot.right);
		expect(chartSvgMarkup(model)).toContain('stroke-dasharray="8 4"');
	});

	it('the palette is Okabe–Ito, every colour at least 3:1 against white', () => {
		expect(SERIES_COLORS).toEqual(['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#996100']);
		for (const c of SERIES_COLORS) expect(contrastRatio(c, '#ffffff')).toBeGreaterThanOrEqual(3);
		expect(seriesStyle(6)).toEqual(seriesStyle(0));
	});

	it('stacks bars when asked, from zero up, each year one bar', () => {
		const model = filled(
			buildChart({
				title: 'Jobs',
				unit: 'jobs',
				type: 'bar',
				stacked: true,
				series: [
					{ label: 'Female', points: pts([[2020, 40], [2021, 50]]) },
					{ label: 'Male', points: pts([[2020, 60], [2021, 70]]) }
				]
			})
		);
		expect(model.stacked).toBe(true);
		expect(model.yAxis.domain[1]).toBeGreaterThanOrEqual(120);
		const [f, mle] = [model.series[0]!.bars[0]!, model.series[1]!.bars[0]!];
		expect(f.x).toBe(mle.x);
		expect(f.width).toBe(mle.width);
		expect(f.y + f.height).toBeCloseTo(model.plot.bottom, 1);
		expect(mle.y + mle.height).toBeCloseTo(f.y, 1);
	});

	it('numbers observation footnotes and marks them on the chart', () => {
		const model = filled(
			buildChart({
				title: 'Notes',
				unit: '%',
				type: 'line',
				series: [
					{
						label: 'Main',
						points: [
							{ year: 2019, period: '2019', value: 3 },
							{ year: 2020, period: '2020', value: 4, note: 'Provisional' },
							{ year: 2021, period: '2021', value: 5, note: 'Estimated' },
							{ year: 2022, period: '2022', value: 6, note: 'Provisional' }
						]
					}
				]
			})
		);
		expect(model.notes).toEqual([
			{ number: 1, text: 'Provisional' },
			{ number: 2, text: 'Estimated' }
		]);
		expect(model.series[0]!.markers.map((mk) => mk.note)).toEqual([null, 1, 2, 1]);
		expect(model.noteMarks.map((t) => t.text)).toEqual(['1', '2', '1']);
		expect(model.series[0]!.markers[1]!.label).toBe('2020: 4 % (Provisional)'.replace(' %', '%'));
		expect(chartSvgMarkup(model)).toContain('r="8"');
	});
});

describe('summary', () => {
	const line = (title: string, unit: string, rows: Array<[number, number]>, extra: Partial<ChartInput> = {}) =>
		buildChart({ title, unit, type: 'line', series: [{ label: 'Main', points: pts(rows) }], ...extra }).summary;

	it('describes a rise, a peak, the target and the projection', () => {
		expect(buildChart(unemployment).summary).toBe(
			'Unemployment rate, percent, 2010 to 2024. It rose from 5.1 in 2010 to 12.2 in 2020 and was 4.9 in 2024, its lowest since 2010. ' +
				'The 2050 target is 3.0. If the recent trend continues, it would reach 2.4 by 2050 (a projection, not data).'
		);
	});

	it('describes a rising series', () => {
		expect(
			line('Trees planted', 'thousands', [
				[2018, 10],
				[2019, 11.5],
				[2020, 12.5]
			])
		).toBe('Trees planted, thousands, 2018 to 2020. It rose from 10.0 in 2018 to 12.5 in 2020, its highest since 2018.');
	});

	it('describes a falling series with a dip', () => {
		expect(
			line('Commute time', 'minutes', [
				[2015, 31],
				[2016, 30],
				[2017, 26],
				[2018, 28]
			])
		).toBe('Commute time, minutes, 2015 to 2018. It fell from 31 in 2015 to 26 in 2017 and was 28 in 2018.');
		expect(
			line('Commute time', 'minutes', [
				[2015, 31],
				[2018, 28]
			])
		).toBe('Commute time, minutes, 2015 to 2018. It fell from 31 in 2015 to 28 in 2018.');
	});

	it('describes a flat series, a single point, sample data and other series', () => {
		expect(
			line('Parks', 'parks', [
				[2019, 4],
				[2020, 4],
				[2022, 4]
			])
		).toBe('Parks, parks, 2019 to 2022. It stayed at 4 from 2019 to 2022.');
		expect(line('Parks', '', [[2020, 7]], { isSample: true })).toBe(
			'Parks, 2020. Illustrative sample data, not real measurements. It was 7 in 2020.'
		);
		expect(
			buildChart({
				title: 'Income',
				unit: 'dollars',
				type: 'bar',
				series: [
					{ label: 'All', points: pts([[2020, 100], [2021, 90]]) },
					{ label: 'Renters', points: pts([[2020, 70], [2021, 72]]) }
				]
			}).summary
		).toBe('Income, dollars, 2020 to 2021. It fell from 100 in 2020 to 90 in 2021. Also shown: Renters, 72 in 2021.');
	});
});

describe('edge cases', () => {
	it('returns an empty model with a message when there is no data', () => {
		const model = buildChart({
			title: 'Nothing',
			unit: 'x',
			type: 'line',
			series: [{ label: 'Main', points: [{ year: 2020, period: '2020', value: Number.NaN }] }]
		});
		expect(model.empty).toBe(true);
		if (!model.empty) return;
		expect(model.message).toBe('No data to chart yet.');
		expect(model.summary).toBe('Nothing, x. No data to chart yet.');
		const svg = chartSvgMarkup(model);
		expect(svg).toContain('>No data to chart yet.</text>');
		expect(() => new Resvg(chartSvgDocument(model))).not.toThrow();
		expect(buildChart({ title: 'None', unit: '', type: 'bar', series: [] }).empty).toBe(true);
	});

	it('handles a single point, equal values, negative values and gaps', () => {
		const single = filled(buildChart({ title: 'One', unit: 'u', type: 'line', series: [{ label: 'M', points: pts([[2020, 7]]) }] }));
		expect(single.series[0]?.path).toBeNull();
		const m = single.series[0]?.markers[0];
		expect(m?.x).toBeGreaterThan(single.plot.left);
		expect(m?.x).toBeLessThan(single.plot.right);
		expect(single.yAxis.domain[0]).toBeLessThan(7);
		expect(single.yAxis.domain[1]).toBeGreaterThan(7);

		const flat = filled(buildChart({ title: 'Flat', unit: 'u', type: 'line', series: [{ label: 'M', points: pts([[2019, 0], [2020, 0]]) }] }));
		expect(flat.yAxis.domain[1]).toBeGreaterThan(flat.yAxis.domain[0]);
		expect(flat.series[0]?.markers.every((p) => Number.isFinite(p.y))).toBe(true);

		const neg = filled(
			buildChart({ title: 'Net migration', unit: 'people', type: 'bar', series: [{ label: 'M', points: pts([[2019, -1200], [2020, 800]]) }] })
		);
		expect(neg.yAxis.domain[0]).toBeLessThan(-1200 + 1);
		expect(neg.yAxis.zeroY).not.toBeNull();
		expect(neg.yAxis.ticks.some((t) => t.label.startsWith('−') || t.label.startsWith('-'))).toBe(true);
		const [down, up] = neg.series[0]?.bars ?? [];
		expect(down?.y).toBeCloseTo(neg.yAxis.zeroY ?? 0, 1);
		expect((up?.y ?? 0) + (up?.height ?? 0)).toBeCloseTo(neg.yAxis.zeroY ?? 0, 1);

		const gappy = filled(
			buildChart({ title: 'Gaps', unit: 'u', type: 'line', series: [{ label: 'M', points: pts([[2020, 3], [2012, 1], [2015, 2]]) }] })
		);
		expect(gappy.series[0]?.markers.map((p) => p.year)).toEqual([2012, 2015, 2020]);
		expect(gappy.series[0]?.path?.match(/L/g)).toHaveLength(2);
		const gappyBars = filled(
			buildChart({ title: 'Gaps', unit: 'u', type: 'bar', series: [{ label: 'M', points: pts([[2020, 3], [2012, 1], [2015, 2]]) }] })
		);
		// missing years keep their slot, so the gap shows
		const xs = gappyBars.series[0]?.bars.map((b) => b.x) ?? [];
		expect(((xs[1] ?? 0) - (xs[0] ?? 0)) / ((xs[2] ?? 0) - (xs[1] ?? 0))).toBeCloseTo(3 / 5, 1);
	});

	it('wraps a very long unit and escapes text', () => {
		const unit =
			'metric tonnes of carbon dioxide equivalent per resident per year, including imported electricity & aviation, excluding land use';
		const model = filled(
			buildChart({ title: 'Emissions <CO2e> & "more"', unit, type: 'line', series: [{ label: 'M', points: pts([[2019, 9], [2020, 8]]) }] }, { width: 480 })
		);
		expect(model.yAxis.label).toBe(unit);
		expect(model.yAxis.labelLines).toHaveLength(2);
		expect(model.yAxis.labelLines[1]?.text.endsWith('…')).toBe(true);
		for (const l of model.yAxis.labelLines) expect(l.text.length * 13 * 0.62).toBeLessThanOrEqual(480 - 32);
		expect(model.plot.width).toBeGreaterThan(200);
		expect(model.summary.startsWith(`Emissions <CO2e> & "more", ${unit}, 2019 to 2020.`)).toBe(true);
		const svg = chartSvgMarkup(model);
		expect(svg).toContain('Emissions &lt;CO2e&gt; &amp; &quot;more&quot;');
		expect(svg).not.toContain('<CO2e>');
	});
});

describe('standalone SVG and PNG', () => {
	const model = filled(buildChart(unemployment));
	const doc = chartSvgDocument(model);

	it('is a complete SVG document that parses', () => {
		expect(doc.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(doc).toContain(`width="${model.width}" height="${model.height}"`);
		expect(doc).toContain(`<rect width="${model.width}" height="${model.height}" fill="#ffffff"/>`);
		expect(doc).toContain('font-family="');
		expect(doc).not.toContain('width:100%');
		// same drawing as the page, only the root's responsive style differs
		expect(doc).toContain(chartSvgMarkup(model, { idPrefix: 'chart' }).replace(/ style="[^"]*"/, '').slice(200));
		expect(() => new Resvg(doc)).not.toThrow();
		expect(() => new Resvg(doc.replace('</svg>', '</g>'))).toThrow();
		const bar = chartSvgDocument(buildChart({ ...unemployment, type: 'bar', isSample: true }));
		expect(() => new Resvg(bar)).not.toThrow();
	});

	it('renders a PNG of the requested width, with text', () => {
		const png = chartPng(doc, 800);
		expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
		expect(png.readUInt32BE(16)).toBe(800);
		expect(png.readUInt32BE(20)).toBe(Math.round((800 * model.height) / model.width));
		expect(chartPng(doc).readUInt32BE(16)).toBe(1200);

		// the title is drawn: dark pixels in the title band (fonts were found)
		const rendered = new Resvg(doc, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render();
		const pixels = rendered.pixels;
		const band = model.titleLines[0]?.y ?? 0;
		let dark = 0;
		for (let y = Math.round(band - 14); y < band; y++) {
			for (let x = 16; x < 200; x++) {
				const i = (y * rendered.width + x) * 4;
				if ((pixels[i] ?? 255) < 100) dark++;
			}
		}
		expect(dark).toBeGreaterThan(200);
	});
});
