import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { REPORTING_STATUSES, type OpenSdgReportingStatus as ReportingStatus } from '../opensdg/metadata.ts';

export interface ReportingIndicator {
	id: string;
	name: string;
	/** Open SDG's reporting_status; anything else stored reads as 'notstarted'. */
	reportingStatus: ReportingStatus;
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
	/** Every area in order (even an empty one), then "other indicators" when there are any. */
	groups: ReportingGroup[];
}

function asReportingStatus(value: string): ReportingStatus {
	return REPORTING_STATUSES.includes(value as ReportingStatus) ? (value as ReportingStatus) : 'notstarted';
}

export function countReporting(indicators: readonly ReportingIndicator[]): ReportingCounts {
	const counts: ReportingCounts = { total: indicators.length, withData: 0, sample: 0, complete: 0, inprogress: 0, notstarted: 0 };
	for (const i of indicators) {
		if (i.hasData) counts.withData++;
		if (i.hasData && i.isSample) counts.sample++;
		counts[i.reportingStatus]++;
	}
	return counts;
}

/** Reporting status per area, and for the indicators without one, with counts and lists. */
export async function getReportingStatus(db: Db, locale: string): Promise<ReportingStatusReport> {
	const [areas, rows] = await Promise.all([
		db.kysely.selectFrom('area').select(['id', 'name', 'translations']).orderBy('position').orderBy('id').execute(),
		db.kysely
			.selectFrom('indicator')
			.select(['id', 'area_id', 'name', 'translations', 'reporting_status', 'is_sample', 'current_revision_id'])
			.orderBy('position')
			.orderBy('id')
			.execute()
	]);
	const areaIds = new Set(areas.map((a) => a.id));
	const byArea = new Map<string | null, ReportingIndicator[]>();
	for (const r of rows) {
		const key = r.area_id !== null && areaIds.has(r.area_id) ? r.area_id : null;
		const hasData = r.current_revision_id !== null && r.current_revision_id !== undefined;
		const list = byArea.get(key) ?? [];
		list.push({
			id: r.id,
			name: localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name'),
			reportingStatus: asReportingStatus(r.reporting_status),
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
			counts: countReporting(indicators),
			indicators
		};
	});
	const others = byArea.get(null);
	if (others?.length) groups.push({ id: null, name: null, counts: countReporting(others), indicators: others });
	return { totals: countReporting(groups.flatMap((g) => g.indicators)), groups };
}
