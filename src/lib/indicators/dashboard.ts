/**
 * The home dashboard, as pure data: the region-wide summary line, each area's measured
 * indicators (filtered by status) and those not yet measured. No database, no formatting.
 */
import type { PlainLabel } from './progress.ts';

/** What the status filter offers; `all` shows every indicator. */
export const STATUS_FILTERS = ['all', 'improving', 'steady', 'worsening', 'not_reported'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The filter a `?status=` value asks for; anything unknown shows all. */
export function parseStatusFilter(value: string | null | undefined): StatusFilter {
	return STATUS_FILTERS.includes(value as StatusFilter) ? (value as StatusFilter) : 'all';
}

export interface DashboardIndicator {
	label: PlainLabel;
	/** Null while the indicator has no data. */
	latest: unknown | null;
}

export interface DashboardSummary {
	/** Every indicator, measured or not. */
	total: number;
	/** Indicators with at least one value. */
	measured: number;
	improving: number;
	steady: number;
	worsening: number;
	/** Measured, but too little data (or no target) to tell a direction. */
	unclear: number;
	notMeasured: number;
}

/** Counts over every indicator, whatever the filter. */
export function summarize(indicators: readonly DashboardIndicator[]): DashboardSummary {
	const summary: DashboardSummary = { total: indicators.length, measured: 0, improving: 0, steady: 0, worsening: 0, unclear: 0, notMeasured: 0 };
	for (const i of indicators) {
		if (i.latest === null) {
			summary.notMeasured++;
			continue;
		}
		summary.measured++;
		if (i.label === 'improving') summary.improving++;
		else if (i.label === 'steady') summary.steady++;
		else if (i.label === 'worsening') summary.worsening++;
		else summary.unclear++;
	}
	return summary;
}

export interface DashboardArea<I extends DashboardIndicator> {
	/** Measured indicators that pass the filter, in catalog order. */
	measured: I[];
	/** Indicators without data (shown only under `all` and `not_reported`). */
	notMeasured: I[];
	/** Every indicator of the area, before filtering. */
	total: number;
}

/** Whether an indicator passes the status filter. */
export function matchesFilter(indicator: DashboardIndicator, filter: StatusFilter): boolean {
	if (filter === 'all') return true;
	if (filter === 'not_reported') return indicator.label === 'not_reported' || indicator.latest === null;
	return indicator.latest !== null && indicator.label === filter;
}

/** One area's rows under the filter. */
export function dashboardArea<I extends DashboardIndicator>(indicators: readonly I[], filter: StatusFilter): DashboardArea<I> {
	const shown = indicators.filter((i) => matchesFilter(i, filter));
	return {
		measured: shown.filter((i) => i.latest !== null),
		notMeasured: shown.filter((i) => i.latest === null),
		total: indicators.length
	};
}

/** The change from the base value to the latest, rounded so that float noise does not show as a change. */
export function changeSince(base: { value: number } | null, latest: { value: number } | null): number | null {
	if (!base || !latest) return null;
	return Math.round((latest.value - base.value) * 1e6) / 1e6;
}

export interface OverviewPoint {
	period: string;
	year: number;
	value: number;
}

/** The headline point the change is counted from: the base year, else the nearest year after it, else the first. */
export function basePoint(points: readonly OverviewPoint[], baseYear: number): OverviewPoint | null {
	if (points.length === 0) return null;
	const sorted = [...points].sort((a, b) => a.year - b.year);
	return sorted.find((p) => p.year >= baseYear) ?? sorted[0]!;
}

/** The id of the home page's "Other indicators" section, which the breadcrumb of an indicator in no area links to. */
export const OTHER_INDICATORS_ID = 'other-indicators';

/** The area step of an indicator page's breadcrumb: its area, or else the home page's "Other indicators" (never no step). */
export function areaCrumb(area: { id: string; name: string } | null, otherLabel: string): { label: string; href: string } {
	return area ? { label: area.name, href: `/areas/${encodeURIComponent(area.id)}` } : { label: otherLabel, href: `/#${OTHER_INDICATORS_ID}` };
}
