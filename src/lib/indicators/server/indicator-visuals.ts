import { m } from '#lib/paraglide/messages.js';
import { buildChart, CHART_WIDTHS, chartSvgMarkup, type ChartDrawing, type ChartSummaryText, type ChartInput, type ChartInputPoint, type ChartModel } from '../chart.ts';
import { stacksWhenCompared } from '../chart-settings.ts';
import { GEOCODE_COLUMN, UNITS_COLUMN } from '../columns.ts';
import { buildChoropleth, buildLocator, type ChoroplethModel, type ChoroplethText, type LocatorModel } from '../map.ts';
import { describeSelection, dimensionText, dimensionValueText } from '../ui/labels.ts';
import { regionFeatures, stateShape } from './geography.ts';
import type { IndicatorPageData } from './indicator-page.ts';
import type { StoredObservation } from './store.ts';

/** Observation attributes that are footnotes to a value (marked on the chart, listed in the table). */
export const FOOTNOTE_ATTRIBUTES = ['COMMENT_OBS', 'OBS_STATUS', 'Observation status'];

/** An observation's footnote, or '' when it has none. */
export function observationNote(o: Pick<StoredObservation, 'attributes'>): string {
	return FOOTNOTE_ATTRIBUTES.map((name) => o.attributes[name]?.trim() ?? '')
		.filter(Boolean)
		.join('; ');
}

/**
 * The unit that names the y axis: the indicator's unit from its metadata, else the data's
 * Units value without a trailing "by …" (Open SDG files often write "Percent by Age", a
 * category, where the unit is "Percent").
 */
export function axisUnit(page: Pick<IndicatorPageData, 'indicator' | 'selection'>): string {
	if (page.indicator.unit.trim()) return page.indicator.unit.trim();
	const units = page.selection[UNITS_COLUMN] ?? '';
	return units.replace(/\s+by\s+.*$/i, '').trim();
}

/** How one value of a compared dimension is named in the legend and the table. */
export function comparedLabel(dimension: string, value: string, places: Readonly<Record<string, string>>): string {
	if (value === '') return dimension === GEOCODE_COLUMN ? m.compare_whole_region() : m.compare_total();
	return dimensionValueText(dimension, value, places);
}

/** The view as a reader names it: "Units: Percent, Sex: Female", or "compared by Sex" when comparing. */
export function viewDescription(page: IndicatorPageData): string {
	const comparison = page.comparison;
	if (!comparison) return describeSelection(page.selection, m.ind_choose_headline(), page.placeNames);
	const others = Object.fromEntries(Object.entries(page.selection).filter(([name]) => name !== comparison.dimension));
	const rest = describeSelection(others, '', page.placeNames);
	const by = m.compare_by({ dimension: dimensionText(comparison.dimension) });
	return rest ? `${rest}, ${by}` : by;
}

function points(observations: readonly StoredObservation[]): ChartInputPoint[] {
	return observations
		.filter((o): o is StoredObservation & { value: number } => o.value !== null)
		.map((o) => {
			const note = observationNote(o);
			return note ? { year: o.year, period: o.period, value: o.value, note } : { year: o.year, period: o.period, value: o.value };
		});
}

/** What the chart of one indicator view shows: the selected or compared series, and for the headline its target and projection. */
export function indicatorChartInput(page: IndicatorPageData): ChartInput {
	const { indicator, component, target, comparison } = page;
	const shown = viewDescription(page);
	const type = page.chartSettings.type === 'bar' || indicator.graphType === 'bar' ? 'bar' : 'line';
	if (comparison) {
		const stacked = type === 'bar' && stacksWhenCompared(page.chartSettings, comparison.dimension);
		// Stacked parts add up to the total: the total itself is not one of the parts.
		const parts = stacked && comparison.series.filter((s) => s.value !== '').length >= 2 ? comparison.series.filter((s) => s.value !== '') : comparison.series;
		return {
			title: `${indicator.name} (${shown})`,
			unit: axisUnit(page),
			type,
			stacked,
			series: parts.map((s) => ({ label: comparedLabel(comparison.dimension, s.value, page.placeNames), points: points(s.observations) })),
			isSample: indicator.isSample
		};
	}
	const input: ChartInput = {
		title: page.isHeadline ? indicator.name : `${indicator.name} (${shown})`,
		unit: axisUnit(page),
		type,
		series: [{ label: shown, points: points(page.observations) }],
		isSample: indicator.isSample
	};
	if (page.isHeadline && target) {
		input.target = { value: target.value, year: target.year, label: m.chart_target_label({ year: target.year }) };
	}
	const projection = component?.projection;
	if (page.isHeadline && projection && component.current_year !== null && component.current_value !== null) {
		input.projection = { fromYear: component.current_year, fromValue: component.current_value, toYear: projection.year, toValue: projection.value };
	}
	return input;
}

export function indicatorChart(page: IndicatorPageData, locale: string, size: { width?: number; height?: number; drawTitle?: boolean } = {}): ChartModel {
	const input = indicatorChartInput(page);
	return buildChart(input, {
		...size,
		locale,
		labels: {
			year: m.chart_year(),
			projection: m.chart_projection_legend({ year: input.projection?.toYear ?? page.component?.projection?.year ?? 2050 }),
			target: m.chart_target(),
			sample: m.sample_tag_long(),
			noData: m.indicator_no_data(),
			summary: chartSummaryText()
		}
	});
}

/** The chart summary's sentences in the page's language. */
export function chartSummaryText(): ChartSummaryText {
	return {
		span: (head, from, to) => m.chart_summary_span({ head, from, to }),
		onePeriod: (head, period) => m.chart_summary_one_period({ head, period }),
		was: (value, period) => m.chart_summary_was({ value, period }),
		stayed: (value, from, to) => m.chart_summary_stayed({ value, from, to }),
		peak: (first, firstPeriod, high, highPeriod, last, lastPeriod, since) => m.chart_summary_peak({ first, firstPeriod, high, highPeriod, last, lastPeriod, since }),
		dip: (first, firstPeriod, low, lowPeriod, last, lastPeriod, since) => m.chart_summary_dip({ first, firstPeriod, low, lowPeriod, last, lastPeriod, since }),
		rose: (first, firstPeriod, last, lastPeriod, since) => m.chart_summary_rose({ first, firstPeriod, last, lastPeriod, since }),
		fell: (first, firstPeriod, last, lastPeriod, since) => m.chart_summary_fell({ first, firstPeriod, last, lastPeriod, since }),
		endedWhereStarted: (last, lastPeriod) => m.chart_summary_ended({ last, lastPeriod }),
		lowestSince: (period) => m.chart_summary_lowest_since({ period }),
		highestSince: (period) => m.chart_summary_highest_since({ period }),
		otherSeries: (label, value, period) => m.chart_summary_other({ label, value, period }),
		alsoShown: (others) => m.chart_summary_also_shown({ others: others.join('; ') }),
		target: (year, value) => m.chart_summary_target({ year: String(year), value }),
		projection: (value, year) => m.chart_summary_projection({ value, year: String(year) })
	};
}

/** The map's texts in the page's language. */
export function choroplethText(): ChoroplethText {
	return {
		noData: m.map_no_data(),
		valueWithUnit: (value, unit) => (unit ? m.map_value_with_unit({ value, unit }) : value),
		featureLabel: (name, value, period) => (value === null ? m.map_feature_no_data({ name, period }) : m.map_feature_label({ name, value, period })),
		range: (low, high) => (low === high ? low : m.map_range({ low, high })),
		legendTitle: (unit) => (unit ? m.map_legend_title_unit({ unit }) : m.map_legend_title()),
		legendNote: (direction) =>
			direction === 'positive' ? m.map_legend_note_higher_better() : direction === 'negative' ? m.map_legend_note_lower_better() : m.map_legend_note(),
		summaryHighLow: (period, highest, highestValue, lowest, lowestValue) => m.map_summary_high_low({ period, highest, highestValue, lowest, lowestValue }),
		summaryAllEqual: (period, count, value) => m.map_summary_all_equal({ period, count, value }),
		summaryOne: (period, name, value) => m.map_summary_one({ period, name, value }),
		summaryNone: (period) => m.map_summary_none({ period }),
		summaryMissing: (names) => m.map_summary_missing({ names }),
		tableToggle: m.map_table_toggle(),
		tableCaption: (title, period) => `${title}, ${period}`,
		columnPlace: m.map_column_place(),
		columnValue: (unit) => (unit ? m.map_column_value_unit({ unit }) : m.map_column_value())
	};
}

/** The chart drawn once per width bucket, for the page; the same drawing as the SVG and PNG downloads. */
export function indicatorChartDrawings(page: IndicatorPageData, locale: string, idPrefix: string): { drawings: ChartDrawing[]; notes: Array<{ number: number; text: string }> } {
	const drawings: ChartDrawing[] = [];
	let notes: Array<{ number: number; text: string }> = [];
	for (const width of CHART_WIDTHS) {
		const model = indicatorChart(page, locale, { width, drawTitle: false });
		if (!model.empty) notes = model.notes;
		drawings.push({ width, markup: chartSvgMarkup(model, { idPrefix: `${idPrefix}-${width}` }) });
	}
	return { drawings, notes };
}

/** The choropleth of the view's latest period by GeoCode, when the data has places with shapes. */
export function indicatorMap(page: IndicatorPageData, locale: string, regionDir: string): ChoroplethModel | undefined {
	if (!page.map) return undefined;
	const names = Object.fromEntries(page.map.values.map((v) => [v.code, v.name]));
	const features = regionFeatures(
		page.map.values.map((v) => v.code),
		regionDir,
		names
	);
	if (features.features.length === 0) return undefined;
	return buildChoropleth(
		{
			title: page.indicator.name,
			unit: axisUnit(page),
			period: page.map.period,
			direction: page.indicator.direction === 'positive' || page.indicator.direction === 'negative' ? page.indicator.direction : null,
			features,
			values: page.map.values,
			isSample: page.indicator.isSample
		},
		{ locale, text: choroplethText() }
	);
}

/**
 * A small map of the region's places within their state (the state of the first county
 * code: us-atlas has every US state), or undefined when the places are not US counties.
 */
export function regionLocator(codes: string[], regionDir: string): { model: LocatorModel; state: string } | undefined {
	const counties = codes.filter((c) => /^\d{5}$/.test(c));
	const stateCode = counties[0]?.slice(0, 2);
	if (!stateCode) return undefined;
	const state = stateShape(stateCode);
	if (!state) return undefined;
	const region = regionFeatures(counties.filter((c) => c.startsWith(stateCode)), regionDir).features;
	return {
		model: buildLocator({ type: 'Feature', properties: { name: state.name }, geometry: state.geometry }, region),
		state: state.name
	};
}
