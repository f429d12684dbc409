/**
 * The "Who's involved" section of an indicator page: who is linked to the indicator, and the
 * funding per year drawn beside the indicator's trend (../funding-chart.ts) with its table.
 */
import { m } from '#lib/paraglide/messages.js';
import type { Db } from '#lib/server/db/connect.ts';
import type { IndicatorPageData } from '#lib/indicators/server/indicator-page.ts';
import type { ChartDrawing } from '#lib/indicators/chart.ts';
import { currenciesOf } from '../funding.ts';
import { formatWholeAmount } from '../ui/labels.ts';
import { fundingBesideTrend } from '../funding-chart.ts';
import { indicatorInvolvement, type Freshness, type Involvement } from './queries.ts';

/** How many programs and organizations the section lists; the directory has them all. */
export const INVOLVED_LISTED = 12;

export interface InvolvedSection {
	programs: Involvement['programs'];
	policies: Involvement['policies'];
	organizations: Involvement['organizations'];
	totals: { programs: number; organizations: number };
	/** One row per year, an amount per currency (null: none that year). */
	table: { currencies: string[]; rows: Array<{ year: number; amounts: Array<number | null> }> };
	/** The chart draws the most-used currency; the others are in the table only. */
	chartCurrency: string | null;
	chart: ChartDrawing[];
	undatedRecords: number;
	sampleFunding: boolean;
	months: number;
}

export async function involvedSection(db: Db, page: IndicatorPageData, locale: string, freshness: Freshness): Promise<InvolvedSection> {
	const involvement = await indicatorInvolvement(db, page.indicator.id, freshness);
	const currencies = currenciesOf(involvement.fundingByYear);
	const years = [...new Set(involvement.fundingByYear.map((t) => t.year))].sort((a, b) => a - b);
	const rows = years.map((year) => ({
		year,
		amounts: currencies.map((c) => involvement.fundingByYear.find((t) => t.year === year && t.currency === c)?.amount ?? null)
	}));
	const chartCurrency = currencies[0] ?? null;
	let chart: ChartDrawing[] = [];
	if (chartCurrency) {
		const funding = involvement.fundingByYear.filter((t) => t.currency === chartCurrency).map((t) => ({ year: t.year, amount: t.amount }));
		const trendSeries = page.comparison ? (page.comparison.series[0]?.observations ?? []) : page.observations;
		const trend = [...new Map(trendSeries.filter((o) => o.value !== null).map((o) => [o.year, { year: o.year, value: o.value! }])).values()];
		const total = funding.reduce((sum, f) => sum + f.amount, 0);
		const peak = funding.reduce((best, f) => (f.amount > best.amount ? f : best), funding[0]!);
		const name = page.indicator.name;
		chart = fundingBesideTrend({
			trend,
			funding,
			currency: chartCurrency,
			locale,
			text: {
				title: m.inv_funding_chart_title({ name }),
				summary: m.inv_funding_summary({
					name,
					total: formatWholeAmount(locale, total, chartCurrency),
					from: String(funding[0]!.year),
					to: String(funding[funding.length - 1]!.year),
					peak: formatWholeAmount(locale, peak.amount, chartCurrency),
					peakYear: String(peak.year)
				}),
				trendPanel: page.indicator.unit ? `${name}, ${page.indicator.unit}` : name,
				fundingPanel: m.inv_funding_panel({ currency: chartCurrency }),
				noTrend: m.indicator_no_data()
			}
		});
	}
	return {
		programs: involvement.programs.slice(0, INVOLVED_LISTED),
		policies: involvement.policies,
		organizations: involvement.organizations.slice(0, INVOLVED_LISTED),
		totals: { programs: involvement.programs.length, organizations: involvement.organizations.length },
		table: { currencies, rows },
		chartCurrency,
		chart,
		undatedRecords: involvement.funding.undatedRecords,
		sampleFunding: involvement.sampleFunding,
		months: freshness.months
	};
}
