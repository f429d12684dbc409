import type { Db } from '#lib/server/db/connect.ts';
import { metadataSections, type MetadataSections } from '../metadata-sections.ts';
import type { StoredOpenSdgMetadata } from './indicator-upsert.ts';
import { effectiveReportingStatus, metadataSetsReportingStatus } from '../reporting-status.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import type { PlainLabel } from '../progress.ts';
import { buildSparkline, type Sparkline } from '../sparkline.ts';
import { selectView } from '../view.ts';
import { basePoint, type OverviewPoint } from '../dashboard.ts';
import { readCurrentObservations, readObservationsOfRevisions, type StoredObservation } from './store.ts';

export interface IndicatorSummary {
	id: string;
	areaId: string | null;
	name: string;
	description: string;
	unit: string;
	direction: 'positive' | 'negative' | null;
	isSample: boolean;
	label: PlainLabel;
	status: string;
	score: number | null;
}

export interface AreaWithIndicators {
	id: string;
	name: string;
	question: string;
	description: string;
	indicators: IndicatorSummary[];
}

const LABELS: readonly PlainLabel[] = ['improving', 'steady', 'worsening', 'not_reported'];

function asLabel(value: string | null | undefined): PlainLabel {
	return LABELS.includes(value as PlainLabel) ? (value as PlainLabel) : 'not_reported';
}

async function indicatorSummaries(db: Db, locale: string, areaId?: string): Promise<IndicatorSummary[]> {
	let query = db.kysely
		.selectFrom('indicator as i')
		.leftJoin('progress as p', 'p.indicator_id', 'i.id')
		.select([
			'i.id',
			'i.area_id',
			'i.name',
			'i.description',
			'i.unit',
			'i.direction',
			'i.is_sample',
			'i.translations',
			'p.label',
			'p.status',
			'p.score'
		])
		.orderBy('i.position')
		.orderBy('i.id');
	if (areaId) query = query.where('i.area_id', '=', areaId);
	const rows = await query.execute();
	return rows.map((r) => {
		const t = fromJson<Translations>(r.translations, {});
		return {
			id: r.id,
			areaId: r.area_id,
			name: localized(r.name, t, locale, 'name'),
			description: localized(r.description, t, locale, 'description'),
			unit: localized(r.unit, t, locale, 'unit'),
			direction: r.direction,
			isSample: fromFlag(r.is_sample),
			label: asLabel(r.label),
			status: r.status ?? 'not_available',
			score: r.score === null || r.score === undefined ? null : Number(r.score)
		};
	});
}

function localizeArea(r: { id: string; name: string; question: string; description: string; translations: string }, locale: string) {
	const t = fromJson<Translations>(r.translations, {});
	return {
		id: r.id,
		name: localized(r.name, t, locale, 'name'),
		question: localized(r.question, t, locale, 'question'),
		description: localized(r.description, t, locale, 'description')
	};
}

/** Every area in order, each with its indicators and their plain progress labels. */
export async function listAreasWithIndicators(db: Db, locale: string): Promise<AreaWithIndicators[]> {
	const [areas, indicators] = await Promise.all([
		db.kysely.selectFrom('area').selectAll().orderBy('position').orderBy('id').execute(),
		indicatorSummaries(db, locale)
	]);
	return areas.map((a) => ({
		...localizeArea(a, locale),
		indicators: indicators.filter((i) => i.areaId === a.id)
	}));
}

export async function getArea(db: Db, id: string, locale: string): Promise<AreaWithIndicators | undefined> {
	const area = await db.kysely.selectFrom('area').selectAll().where('id', '=', id).executeTakeFirst();
	if (!area) return undefined;
	return { ...localizeArea(area, locale), indicators: await indicatorSummaries(db, locale, id) };
}

export interface IndicatorDetail extends IndicatorSummary {
	area: { id: string; name: string } | null;
	sourceName: string;
	sourceUrl: string;
	graphType: string;
	reportingStatus: string;
	updatedAt: string;
	/** The current revision: when the data last changed, and from which file. */
	revision: { number: number; createdAt: string; source: string; kind: string } | null;
	/** Column order of the current data, as imported. */
	columns: string[];
	observations: StoredObservation[];
	/** Non-statistical (its metadata says so, or its data file holds no numbers): described, without data. */
	nonStatistical: boolean;
	/** What its Open SDG metadata says beyond name, description, unit and source, in sections. */
	metadata: MetadataSections;
	/** Labels, in the locale, of a repository's own progress status and reporting status type. */
	statusLabel: string | null;
	reportingStatusLabel: string | null;
}

async function ownStatusLabels(db: Db, status: string, reportingStatus: string, locale: string): Promise<{ progress: string | null; reporting: string | null }> {
	const types = await db.kysely
		.selectFrom('status_type')
		.select(['kind', 'value', 'label', 'translations'])
		.where((eb) => eb.or([eb.and([eb('kind', '=', 'progress'), eb('value', '=', status)]), eb.and([eb('kind', '=', 'reporting'), eb('value', '=', reportingStatus)])]))
		.execute();
	const labelOf = (kind: string) => {
		const t = types.find((r) => r.kind === kind);
		return t ? (fromJson<Record<string, string>>(t.translations, {})[locale] ?? t.label) : null;
	};
	return { progress: labelOf('progress'), reporting: labelOf('reporting') };
}

export async function getIndicator(db: Db, id: string, locale: string): Promise<IndicatorDetail | undefined> {
	const row = await db.kysely
		.selectFrom('indicator as i')
		.leftJoin('progress as p', 'p.indicator_id', 'i.id')
		.selectAll('i')
		.select(['p.label', 'p.status', 'p.score'])
		.where('i.id', '=', id)
		.executeTakeFirst();
	if (!row) return undefined;
	const t = fromJson<Translations>(row.translations, {});
	const own = await ownStatusLabels(db, row.status ?? '', row.reporting_status, locale);
	const area = row.area_id
		? await db.kysely.selectFrom('area').selectAll().where('id', '=', row.area_id).executeTakeFirst()
		: undefined;
	const revision = row.current_revision_id
		? await db.kysely.selectFrom('revision').selectAll().where('id', '=', row.current_revision_id).executeTakeFirst()
		: undefined;
	return {
		id: row.id,
		areaId: row.area_id,
		name: localized(row.name, t, locale, 'name'),
		description: localized(row.description, t, locale, 'description'),
		unit: localized(row.unit, t, locale, 'unit'),
		direction: row.direction,
		isSample: fromFlag(row.is_sample),
		label: asLabel(row.label),
		status: row.status ?? 'not_available',
		score: row.score === null || row.score === undefined ? null : Number(row.score),
		area: area ? { id: area.id, name: localizeArea(area, locale).name } : null,
		sourceName: row.source_name,
		sourceUrl: row.source_url,
		graphType: row.graph_type,
		reportingStatus: effectiveReportingStatus({
			stored: row.reporting_status,
			setByMetadata: metadataSetsReportingStatus(fromJson<StoredOpenSdgMetadata>(row.metadata, {})),
			hasData: row.current_revision_id !== null,
			isSample: fromFlag(row.is_sample)
		}),
		updatedAt: row.updated_at,
		revision: revision ? { number: revision.number, createdAt: revision.created_at, source: revision.source, kind: revision.kind } : null,
		columns: revision ? fromJson<string[]>(revision.columns, []) : [],
		observations: await readCurrentObservations(db.kysely, id),
		nonStatistical: fromJson<{ non_statistical?: boolean }>(row.metadata, {}).non_statistical === true,
		metadata: metadataSections(fromJson<StoredOpenSdgMetadata>(row.metadata, {})),
		statusLabel: own.progress,
		reportingStatusLabel: own.reporting
	};
}

/** Whether any indicator currently shows sample data or a sample target (the site-wide notice depends on it). */
export async function hasSampleData(db: Db): Promise<boolean> {
	const row = await db.kysely.selectFrom('indicator').select('id').where('is_sample', '=', 1).limit(1).executeTakeFirst();
	if (row) return true;
	if (await db.kysely.selectFrom('target').select('id').where('is_sample', '=', 1).limit(1).executeTakeFirst()) return true;
	return (await db.kysely.selectFrom('organization').select('id').where('is_sample', '=', 1).limit(1).executeTakeFirst()) !== undefined;
}

export interface IndicatorOverview extends IndicatorSummary {
	/** The headline's latest value, or null when the indicator has no data yet. */
	latest: OverviewPoint | null;
	/** The headline value the change is measured from: the base year's, or the first after it. */
	base: OverviewPoint | null;
	sparkline: Sparkline | null;
}

/**
 * Every indicator (or one area's) with its headline trend, latest value and base-year value,
 * read in two queries whatever the number of indicators: the catalog with progress and the
 * current revision's columns, then the observations of all current revisions at once.
 */
export async function listIndicatorOverviews(db: Db, locale: string, options: { baseYear: number; areaId?: string }): Promise<IndicatorOverview[]> {
	let revisionsQuery = db.kysely
		.selectFrom('indicator as i')
		.innerJoin('revision as r', 'r.id', 'i.current_revision_id')
		.select(['i.id', 'r.id as revision_id', 'r.columns']);
	if (options.areaId) revisionsQuery = revisionsQuery.where('i.area_id', '=', options.areaId);
	const [summaries, revisions] = await Promise.all([indicatorSummaries(db, locale, options.areaId), revisionsQuery.execute()]);
	const observations = await readObservationsOfRevisions(
		db.kysely,
		revisions.map((r) => ({ revisionId: r.revision_id, indicatorId: r.id }))
	);
	const revisionOf = new Map(revisions.map((r) => [r.id, r]));
	return summaries.map((indicator) => {
		const revision = revisionOf.get(indicator.id);
		const rows = revision ? (observations.get(revision.revision_id) ?? []) : [];
		const headline: OverviewPoint[] = selectView(rows, fromJson<string[]>(revision?.columns, []), {})
			.observations.filter((o): o is typeof o & { value: number } => o.value !== null)
			.map((o) => ({ period: o.period, year: o.year, value: o.value }));
		const latest = headline.reduce<OverviewPoint | null>((a, b) => (a && a.year >= b.year ? a : b), null);
		const base = basePoint(headline, options.baseYear);
		return {
			...indicator,
			latest,
			base: base && latest && base.year < latest.year ? base : null,
			sparkline: buildSparkline(headline.map((o) => ({ year: o.year, value: o.value })))
		};
	});
}

/** An area with, for each indicator, its headline trend and latest value. */
export async function getAreaOverview(
	db: Db,
	id: string,
	locale: string,
	baseYear: number
): Promise<(Omit<AreaWithIndicators, 'indicators'> & { indicators: IndicatorOverview[] }) | undefined> {
	const area = await db.kysely.selectFrom('area').selectAll().where('id', '=', id).executeTakeFirst();
	if (!area) return undefined;
	return { ...localizeArea(area, locale), indicators: await listIndicatorOverviews(db, locale, { baseYear, areaId: id }) };
}

export interface AreaOverview extends Omit<AreaWithIndicators, 'indicators'> {
	indicators: IndicatorOverview[];
}

/** Every area in order with its indicators' overviews, and the indicators that belong to no area. */
export async function listAreaOverviews(db: Db, locale: string, baseYear: number): Promise<{ areas: AreaOverview[]; unassigned: IndicatorOverview[] }> {
	const [areas, indicators] = await Promise.all([
		db.kysely.selectFrom('area').selectAll().orderBy('position').orderBy('id').execute(),
		listIndicatorOverviews(db, locale, { baseYear })
	]);
	const known = new Set(areas.map((a) => a.id));
	return {
		areas: areas.map((a) => ({ ...localizeArea(a, locale), indicators: indicators.filter((i) => i.areaId === a.id) })),
		unassigned: indicators.filter((i) => i.areaId === null || !known.has(i.areaId))
	};
}
