import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { REPORTING_STATUSES, type OpenSdgReportingStatus } from '../opensdg/metadata.ts';
import { listStatusTypes, statusTypeLabel } from './repository-settings.ts';
import { effectiveReportingStatus, metadataSetsReportingStatus } from '../reporting-status.ts';
import type { StoredOpenSdgMetadata } from './indicator-upsert.ts';

export interface ReportingIndicator {
	id: string;
	name: string;
	/** Open SDG's reporting_status, or a reporting status type of the imported repository's own (e.g. notapplicable). */
	reportingStatus: string;
	/** The indicator has a current revision of data. */
	hasData: boolean;
	/** Its current data is illustrative sample data. */
	isSample: boolean;
}

export interface ReportingCounts {
	total: number;
	withData: number;
	/** Of those with data, how many show sample data. */
	sample: number;
	complete: number;
	inprogress: number;
	notstarted: number;
	/** Indicators per reporting status of the repository's own, by its value; a value not listed has none. */
	own: Record<string, number>;
}

/** A reporting status type of the imported repository's own, as the page names it. */
export interface OwnReportingStatus {
	value: string;
	label: string;
}

export interface ReportingGroup {
	/** The area's id; null for the indicators without an area ("Other indicators"). */
	id: string | null;
	/** The area's name in the locale; null for the other indicators. */
	name: string | null;
	counts: ReportingCounts;
	indicators: ReportingIndicator[];
}

export interface ReportingStatusReport {
	totals: ReportingCounts;
	/** The repository's own reporting statuses that some indicator has, in the repository's order. */
	ownStatuses: OwnReportingStatus[];
	/** Every area in order (even an empty one), then "other indicators" when there are any. */
	groups: ReportingGroup[];
}

function isOpenSdgReportingStatus(value: string): value is OpenSdgReportingStatus {
	return (REPORTING_STATUSES as readonly string[]).includes(value);
}

/** Counts per status; `ownValues` are the repository's own statuses (any other value counts as not started). */
export function countReporting(indicators: readonly ReportingIndicator[], ownValues: ReadonlySet<string> = new Set()): ReportingCounts {
	const counts: ReportingCounts = { total: indicators.length, withData: 0, sample: 0, complete: 0, inprogress: 0, notstarted: 0, own: {} };
	for (const i of indicators) {
		if (i.hasData) counts.withData++;
		if (i.hasData && i.isSample) counts.sample++;
		if (isOpenSdgReportingStatus(i.reportingStatus)) counts[i.reportingStatus]++;
		else if (ownValues.has(i.reportingStatus)) counts.own[i.reportingStatus] = (counts.own[i.reportingStatus] ?? 0) + 1;
		else counts.notstarted++;
	}
	return counts;
}

/** Reporting status per area, and for the indicators without one, with counts and lists. */
export async function getReportingStatus(db: Db, locale: string): Promise<ReportingStatusReport> {
	const [areas, rows, types] = await Promise.all([
		db.kysely.selectFrom('area').select(['id', 'name', 'translations']).orderBy('position').orderBy('id').execute(),
		db.kysely
			.selectFrom('indicator')
			.select(['id', 'area_id', 'name', 'translations', 'reporting_status', 'is_sample', 'current_revision_id', 'metadata'])
			.orderBy('position')
			.orderBy('id')
			.execute(),
		listStatusTypes(db.kysely, 'reporting')
	]);
	const used = new Set(rows.map((r) => r.reporting_status));
	const ownStatuses = types.filter((t) => !isOpenSdgReportingStatus(t.value) && used.has(t.value)).map((t) => ({ value: t.value, label: statusTypeLabel(t, locale) }));
	const ownValues = new Set(ownStatuses.map((t) => t.value));
	const shownStatus = (r: (typeof rows)[number], hasData: boolean) => {
		const status = effectiveReportingStatus({
			stored: r.reporting_status,
			setByMetadata: metadataSetsReportingStatus(fromJson<StoredOpenSdgMetadata>(r.metadata, {})),
			hasData,
			isSample: fromFlag(r.is_sample)
		});
		return isOpenSdgReportingStatus(status) || ownValues.has(status) ? status : 'notstarted';
	};
	const areaIds = new Set(areas.map((a) => a.id));
	const byArea = new Map<string | null, ReportingIndicator[]>();
	for (const r of rows) {
		const key = r.area_id !== null && areaIds.has(r.area_id) ? r.area_id : null;
		const hasData = r.current_revision_id !== null && r.current_revision_id !== undefined;
		const list = byArea.get(key) ?? [];
		list.push({
			id: r.id,
			name: localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name'),
			reportingStatus: shownStatus(r, hasData),
			hasData,
			isSample: hasData && fromFlag(r.is_sample)
		});
		byArea.set(key, list);
	}
	// Indicators without an area come in id order (1-2-1 < 1-10-1), as Open SDG lists them.
	byArea.get(null)?.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

	const groups: ReportingGroup[] = areas.map((a) => {
		const indicators = byArea.get(a.id) ?? [];
		return {
			id: a.id,
			name: localized(a.name, fromJson<Translations>(a.translations, {}), locale, 'name'),
			counts: countReporting(indicators, ownValues),
			indicators
		};
	});
	const others = byArea.get(null);
	if (others?.length) groups.push({ id: null, name: null, counts: countReporting(others, ownValues), indicators: others });
	return { totals: countReporting(groups.flatMap((g) => g.indicators), ownValues), ownStatuses, groups };
}
