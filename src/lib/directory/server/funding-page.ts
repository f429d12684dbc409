/**
 * What /funding shows: who funds what — totals by year (a server-drawn chart and a table),
 * by source kind and by area — and, for an indicator, an organization, a year or a source
 * kind, the records themselves.
 */
import { m } from '#lib/paraglide/messages.js';
import type { Db } from '#lib/server/db/connect.ts';
import { fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { buildChart, chartSvgMarkup, CHART_WIDTHS, type ChartDrawing } from '#lib/indicators/chart.ts';
import { chartSummaryText } from '#lib/indicators/server/indicator-visuals.ts';
import { currenciesOf, totalsBy, totalsByYear, undated, type KeyTotal, type YearTotal } from '../funding.ts';
import { SOURCE_KINDS } from '../model.ts';

import { fundingOverview, listFunding, type FundingEntry, type FundingOverview } from './queries.ts';

/** How many records the page lists; the API gives them all. */
export const FUNDING_PAGE_RECORDS = 200;

export interface FundingFilterChoice {
	indicator: string;
	organization: string;
	fiscalYear: string;
	sourceKind: string;
}

export interface FundingPage {
	filters: FundingFilterChoice;
	/** What a filter named that is not in the directory, to say so. */
	unknown: Array<'indicator' | 'organization' | 'fiscal_year' | 'source_kind'>;
	/** Names of the indicator and organization filtered on. */
	names: { indicator: string | null; organization: string | null };
	filtered: boolean;
	byYear: YearTotal[];
	bySourceKind: KeyTotal[];
	byArea: FundingOverview['byArea'];
	chartCurrency: string | null;
	chart: ChartDrawing[];
	records: FundingEntry[];
	recordCount: number;
	undatedRecords: number;
	isSample: boolean;
	/** Choices for the filter form. */
	indicators: Array<{ id: string; name: string }>;
}

function yearChart(byYear: YearTotal[], currency: string, locale: string, isSample: boolean): ChartDrawing[] {
	const points = byYear.filter((t) => t.currency === currency).map((t) => ({ year: t.year, period: String(t.year), value: t.amount }));
	const unit = m.funding_chart_unit({ currency });
	return CHART_WIDTHS.map((width) => {
		const model = buildChart(
			{ title: m.funding_chart_title({ currency }), unit, type: 'bar', series: [{ label: m.funding_chart_series(), points }], isSample },
			{ width, locale, drawTitle: false, labels: { year: m.chart_year(), sample: m.sample_tag_long(), noData: m.funding_none(), summary: chartSummaryText() } }
		);
		return { width, markup: chartSvgMarkup(model, { idPrefix: `funding-${width}` }) };
	});
}

export async function loadFundingPage(db: Db, params: URLSearchParams, locale: string): Promise<FundingPage> {
	const filters: FundingFilterChoice = {
		indicator: params.get('indicator')?.trim() ?? '',
		organization: params.get('organization')?.trim() ?? '',
		fiscalYear: params.get('fiscal_year')?.trim() ?? '',
		sourceKind: params.get('source_kind')?.trim() ?? ''
	};
	const unknown: FundingPage['unknown'] = [];
	const indicatorRows = await db.kysely
		.selectFrom('indicator')
		.select(['id', 'name', 'translations'])
		.where('id', 'in', db.kysely.selectFrom('contribution_link').select('indicator_id'))
		.orderBy('position')
		.execute();
	const indicators = indicatorRows.map((r) => ({ id: r.id, name: localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name') })).sort((a, b) => a.name.localeCompare(b.name, locale));
	const names = { indicator: null as string | null, organization: null as string | null };
	if (filters.indicator) {
		const row = await db.kysely.selectFrom('indicator').select(['name', 'translations']).where('id', '=', filters.indicator).executeTakeFirst();
		if (row) names.indicator = localized(row.name, fromJson<Translations>(row.translations, {}), locale, 'name');
		else unknown.push('indicator');
	}
	if (filters.organization) {
		const row = await db.kysely.selectFrom('organization').select('name').where('id', '=', filters.organization).executeTakeFirst();
		if (row) names.organization = row.name;
		else unknown.push('organization');
	}
	const year = /^\d{4}$/.test(filters.fiscalYear) ? Number(filters.fiscalYear) : undefined;
	if (filters.fiscalYear && year === undefined) unknown.push('fiscal_year');
	const kindKnown = filters.sourceKind === '' || (SOURCE_KINDS as readonly string[]).includes(filters.sourceKind);
	if (!kindKnown) unknown.push('source_kind');
	const filtered = Object.values(filters).some(Boolean);

	let byYear: YearTotal[];
	let bySourceKind: KeyTotal[];
	let byArea: FundingOverview['byArea'] = [];
	let records: FundingEntry[] = [];
	let recordCount: number;
	let undatedRecords: number;
	let isSample: boolean;
	if (unknown.length) {
		byYear = [];
		bySourceKind = [];
		recordCount = 0;
		undatedRecords = 0;
		isSample = false;
	} else if (filtered) {
		const all = await listFunding(db, {
			...(filters.indicator ? { indicator: filters.indicator } : {}),
			...(filters.organization ? { organization: filters.organization } : {}),
			...(year !== undefined ? { fiscalYear: year } : {}),
			...(filters.sourceKind ? { sourceKind: filters.sourceKind } : {})
		});
		byYear = totalsByYear(all);
		bySourceKind = totalsBy(all, (f) => f.sourceKind);
		records = all.slice(0, FUNDING_PAGE_RECORDS);
		recordCount = all.length;
		undatedRecords = undated(all).length;
		isSample = all.some((f) => f.isSample);
	} else {
		const overview = await fundingOverview(db, locale);
		byYear = overview.byYear;
		bySourceKind = overview.bySourceKind;
		byArea = overview.byArea.filter((a) => a.totals.length > 0);
		recordCount = overview.records;
		undatedRecords = overview.undatedRecords;
		isSample = (await db.kysely.selectFrom('funding').select('id').where('is_sample', '=', 1).limit(1).executeTakeFirst()) !== undefined;
	}
	const chartCurrency = currenciesOf(byYear)[0] ?? null;
	return {
		filters,
		unknown,
		names,
		filtered,
		byYear,
		bySourceKind,
		byArea,
		chartCurrency,
		chart: chartCurrency ? yearChart(byYear, chartCurrency, locale, isSample) : [],
		records,
		recordCount,
		undatedRecords,
		isSample,
		indicators
	};
}
