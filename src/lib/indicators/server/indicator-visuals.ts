import { m } from '#lib/paraglide/messages.js';
import { buildChart, chartSvgMarkup, type ChartInput, type ChartModel } from '../chart.ts';
import { UNITS_COLUMN } from '../columns.ts';
import { buildChoropleth, type ChoroplethModel } from '../map.ts';
import { describeSelection } from '../ui/labels.ts';
import { regionFeatures } from './geography.ts';
import type { IndicatorPageData } from './indicator-page.ts';

/** What the chart of one indicator view shows: the selected series, and for the headline its target and projection. */
export function indicatorChartInput(page: IndicatorPageData): ChartInput {
	const { indicator, component, target } = page;
	const points = page.observations
		.filter((o): o is typeof o & { value: number } => o.value !== null)
		.map((o) => ({ year: o.year, period: o.period, value: o.value }));
	const shown = describeSelection(page.selection, m.ind_choose_headline(), page.placeNames);
	const input: ChartInput = {
		title: page.isHeadline ? indicator.name : `${indicator.name} (${shown})`,
		unit: page.selection[UNITS_COLUMN] || indicator.unit,
		type: indicator.graphType === 'bar' ? 'bar' : 'line',
		series: [{ label: shown, points }],
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

export function indicatorChart(page: IndicatorPageData, locale: string, size: { width?: number; height?: number } = {}): ChartModel {
	return buildChart(indicatorChartInput(page), {
		...size,
		locale,
		labels: { year: m.chart_year(), projection: m.chart_projection(), target: m.chart_target(), sample: m.sample_tag_long(), noData: m.indicator_no_data() }
	});
}

/** The chart as SVG markup for the page; the same drawing as the SVG and PNG downloads. */
export function indicatorChartMarkup(page: IndicatorPageData, locale: string, idPrefix: string): string {
	return chartSvgMarkup(indicatorChart(page, locale), { idPrefix });
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
			unit: page.selection[UNITS_COLUMN] || page.indicator.unit,
			period: page.map.period,
			direction: page.indicator.direction === 'positive' || page.indicator.direction === 'negative' ? page.indicator.direction : null,
			features,
			values: page.map.values,
			isSample: page.indicator.isSample
		},
		{
			locale,
			text: {
				noData: m.map_no_data(),
				tableToggle: m.map_table_toggle(),
				columnPlace: m.map_column_place(),
				columnValue: (unit) => (unit ? m.map_column_value_unit({ unit }) : m.map_column_value()),
				legendTitle: (unit) => (unit ? m.map_legend_title_unit({ unit }) : m.map_legend_title())
			}
		}
	);
}
