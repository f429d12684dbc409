/**
 * What the directory's public pages and API read: organizations (filtered and paged), one
 * organization, program or policy with what it is linked to, funding records, and an
 * indicator's "Who's involved" (COMMUNITY.md §1). Private fields never leave here: the
 * directory has none today; every field of a record is public.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { fundingReaching, isVerificationStale, totalsBy, totalsByYear, undated, type KeyTotal, type YearTotal } from '../funding.ts';
import { fundingYear, type ContributionLink, type Funding, type Organization, type Policy, type Program } from '../model.ts';
import { fundingFromRow, linkFromRow, organizationFromRow, policyFromRow, programFromRow } from './records.ts';
import type { Executor } from './bulk.ts';

/** A linked indicator as pages show it. */
export interface IndicatorRef {
	id: string;
	name: string;
	areaId: string | null;
	/** The way the subject aims to move it, and why, when the link is the subject's own. */
	direction: string;
	note: string;
}

/** The people-facing part of the verification rule: today and the region's period. */
export interface Freshness {
	today: Date;
	months: number;
}

export interface OrganizationSummary extends Organization {
	/** Not verified within the region's period (or never): shown as possibly out of date. */
	stale: boolean;
	programs: number;
	indicators: IndicatorRef[];
}

export interface OrganizationFilters {
	kind?: string;
	area?: string;
	indicator?: string;
	serviceArea?: string;
	/** Words in the name or mission. */
	q?: string;
}

export const ORGANIZATIONS_PER_PAGE = 50;

/** Funding with the names of who gave, who received and for what. */
export interface FundingEntry extends Funding {
	funderName: string;
	recipientName: string;
	programName: string | null;
}

type Eb = ExpressionBuilder<Database, 'organization'>;

function likePattern(text: string): string {
	return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The organizations linked to any of `indicatorIds`, directly or through a program they run. */
function linkedToIndicators(eb: Eb, indicatorIds: readonly string[]) {
	if (indicatorIds.length === 0) return eb.val(false);
	return eb.or([
		eb('organization.id', 'in', eb.selectFrom('contribution_link').select('subject_id').where('subject_type', '=', 'organization').where('indicator_id', 'in', indicatorIds)),
		eb(
			'organization.id',
			'in',
			eb
				.selectFrom('program_organization')
				.innerJoin('contribution_link', (j) => j.onRef('contribution_link.subject_id', '=', 'program_organization.program_id').on('contribution_link.subject_type', '=', 'program'))
				.select('program_organization.organization_id')
				.where('contribution_link.indicator_id', 'in', indicatorIds)
		)
	]);
}

export async function listOrganizations(
	db: Db,
	filters: OrganizationFilters,
	locale: string,
	freshness: Freshness,
	page = 1
): Promise<{ organizations: OrganizationSummary[]; total: number; page: number; pages: number }> {
	let query = db.kysely.selectFrom('organization');
	if (filters.kind) query = query.where('kind', '=', filters.kind);
	if (filters.serviceArea) query = query.where('service_area', 'like', `%${JSON.stringify(filters.serviceArea)}%`);
	if (filters.q?.trim()) {
		const pattern = likePattern(filters.q.trim());
		query = query.where((eb) => eb.or([eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`), eb(sql`lower(mission)`, 'like', sql`${pattern} escape '\\'`)]));
	}
	if (filters.indicator) {
		const indicator = filters.indicator;
		query = query.where((eb) => linkedToIndicators(eb, [indicator]));
	}
	if (filters.area) {
		const inArea = (await db.kysely.selectFrom('indicator').select('id').where('area_id', '=', filters.area).execute()).map((r) => r.id);
		query = query.where((eb) => linkedToIndicators(eb, inArea));
	}
	const total = Number((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
	const pages = Math.max(1, Math.ceil(total / ORGANIZATIONS_PER_PAGE));
	const current = Math.min(Math.max(1, Math.floor(page)), pages);
	const rows = await query
		.selectAll()
		.orderBy(sql`lower(name)`)
		.orderBy('id')
		.limit(ORGANIZATIONS_PER_PAGE)
		.offset((current - 1) * ORGANIZATIONS_PER_PAGE)
		.execute();
	const organizations = rows.map(organizationFromRow);
	const ids = organizations.map((o) => o.id);
	const programCounts = new Map<string, number>();
	const indicatorsOf = new Map<string, Map<string, { direction: string; note: string }>>();
	if (ids.length) {
		for (const r of await db.kysely
			.selectFrom('program_organization')
			.select(['organization_id', (eb) => eb.fn.countAll().as('n')])
			.where('organization_id', 'in', ids)
			.groupBy('organization_id')
			.execute()) {
			programCounts.set(r.organization_id, Number(r.n));
		}
		const direct = await db.kysely.selectFrom('contribution_link').select(['subject_id as organization_id', 'indicator_id', 'direction', 'note']).where('subject_type', '=', 'organization').where('subject_id', 'in', ids).execute();
		const viaPrograms = await db.kysely
			.selectFrom('program_organization')
			.innerJoin('contribution_link', (j) => j.onRef('contribution_link.subject_id', '=', 'program_organization.program_id').on('contribution_link.subject_type', '=', 'program'))
			.select(['program_organization.organization_id', 'contribution_link.indicator_id'])
			.where('program_organization.organization_id', 'in', ids)
			.execute();
		for (const r of [...direct, ...viaPrograms.map((v) => ({ ...v, direction: '', note: '' }))]) {
			let map = indicatorsOf.get(r.organization_id);
			if (!map) indicatorsOf.set(r.organization_id, (map = new Map()));
			if (!map.has(r.indicator_id) || r.direction) map.set(r.indicator_id, { direction: r.direction, note: r.note });
		}
	}
	const names = await indicatorNames(db.kysely, [...new Set([...indicatorsOf.values()].flatMap((m) => [...m.keys()]))], locale);
	return {
		organizations: organizations.map((o) => ({
			...o,
			stale: isVerificationStale(o.verifiedAt, freshness.today, freshness.months),
			programs: programCounts.get(o.id) ?? 0,
			indicators: refs(indicatorsOf.get(o.id), names)
		})),
		total,
		page: current,
		pages
	};
}

type Names = Map<string, { name: string; areaId: string | null }>;

async function indicatorNames(db: Executor, ids: readonly string[], locale: string): Promise<Names> {
	const names: Names = new Map();
	for (let i = 0; i < ids.length; i += 500) {
		const rows = await db.selectFrom('indicator').select(['id', 'name', 'translations', 'area_id', 'position']).where('id', 'in', ids.slice(i, i + 500)).execute();
		for (const r of rows) names.set(r.id, { name: localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name'), areaId: r.area_id });
	}
	return names;
}

function refs(links: Map<string, { direction: string; note: string }> | undefined, names: Names): IndicatorRef[] {
	if (!links) return [];
	return [...links.entries()]
		.filter(([id]) => names.has(id))
		.map(([id, l]) => ({ id, name: names.get(id)!.name, areaId: names.get(id)!.areaId, direction: l.direction, note: l.note }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

async function linksOf(db: Executor, subjectType: ContributionLink['subjectType'], id: string, locale: string): Promise<IndicatorRef[]> {
	const links = (await db.selectFrom('contribution_link').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', id).execute()).map(linkFromRow);
	const names = await indicatorNames(db, links.map((l) => l.indicatorId), locale);
	return refs(new Map(links.map((l) => [l.indicatorId, { direction: l.direction, note: l.note }])), names);
}

async function programsByIds(db: Executor, ids: readonly string[]): Promise<Program[]> {
	const programs: Program[] = [];
	for (let i = 0; i < ids.length; i += 500) {
		const chunk = ids.slice(i, i + 500);
		const rows = await db.selectFrom('program').selectAll().where('id', 'in', chunk).execute();
		const runs = await db.selectFrom('program_organization').select(['program_id', 'organization_id']).where('program_id', 'in', chunk).orderBy('program_id').orderBy('position').execute();
		for (const r of rows) programs.push(programFromRow(r, runs.filter((x) => x.program_id === r.id).map((x) => x.organization_id)));
	}
	return programs.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

async function organizationNames(db: Executor, ids: Iterable<string>): Promise<Map<string, string>> {
	const list = [...new Set(ids)];
	const names = new Map<string, string>();
	for (let i = 0; i < list.length; i += 500) {
		for (const r of await db.selectFrom('organization').select(['id', 'name']).where('id', 'in', list.slice(i, i + 500)).execute()) names.set(r.id, r.name);
	}
	return names;
}

async function withNames(db: Executor, records: Funding[]): Promise<FundingEntry[]> {
	const orgs = await organizationNames(db, records.flatMap((f) => [f.funderId, f.recipientId]));
	const programIds = [...new Set(records.map((f) => f.programId).filter((p): p is string => p !== null))];
	const programs = new Map<string, string>();
	for (let i = 0; i < programIds.length; i += 500) {
		for (const r of await db.selectFrom('program').select(['id', 'name']).where('id', 'in', programIds.slice(i, i + 500)).execute()) programs.set(r.id, r.name);
	}
	return records.map((f) => ({
		...f,
		funderName: orgs.get(f.funderId) ?? f.funderId,
		recipientName: orgs.get(f.recipientId) ?? f.recipientId,
		programName: f.programId === null ? null : (programs.get(f.programId) ?? f.programId)
	}));
}

/** Newest first: by the year the record counts in, then award date, then id. */
function newestFirst(a: Funding, b: Funding): number {
	const year = (f: Funding) => fundingYear(f) ?? -Infinity;
	return year(b) - year(a) || (b.awardDate ?? '').localeCompare(a.awardDate ?? '') || a.id.localeCompare(b.id);
}

export interface FundingSummary {
	byYear: YearTotal[];
	bySourceKind: KeyTotal[];
	/** Records that count in no year (no fiscal year, no award date). */
	undatedRecords: number;
	records: number;
}

function summarize(records: Funding[]): FundingSummary {
	return { byYear: totalsByYear(records), bySourceKind: totalsBy(records, (f) => f.sourceKind), undatedRecords: undated(records).length, records: records.length };
}

export interface OrganizationProfile {
	organization: Organization & { stale: boolean };
	programs: Program[];
	indicators: IndicatorRef[];
	received: { summary: FundingSummary; latest: FundingEntry[] };
	given: { summary: FundingSummary; latest: FundingEntry[] };
}

/** How many funding records a page lists; the rest are in /funding and the API. */
export const FUNDING_LISTED = 50;

export async function getOrganization(db: Db, id: string, locale: string, freshness: Freshness): Promise<OrganizationProfile | undefined> {
	const row = await db.kysely.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return undefined;
	const organization = organizationFromRow(row);
	const programIds = (await db.kysely.selectFrom('program_organization').select('program_id').where('organization_id', '=', id).execute()).map((r) => r.program_id);
	const programs = await programsByIds(db.kysely, programIds);
	const direct = await linksOf(db.kysely, 'organization', id, locale);
	const viaPrograms = programIds.length
		? await db.kysely.selectFrom('contribution_link').select('indicator_id').distinct().where('subject_type', '=', 'program').where('subject_id', 'in', programIds).execute()
		: [];
	const names = await indicatorNames(db.kysely, viaPrograms.map((r) => r.indicator_id).filter((i) => !direct.some((d) => d.id === i)), locale);
	const indicators = [...direct, ...refs(new Map([...names.keys()].map((k) => [k, { direction: '', note: '' }])), names)].sort((a, b) => a.name.localeCompare(b.name));
	const received = (await db.kysely.selectFrom('funding').selectAll().where('recipient_id', '=', id).execute()).map(fundingFromRow).sort(newestFirst);
	const given = (await db.kysely.selectFrom('funding').selectAll().where('funder_id', '=', id).execute()).map(fundingFromRow).sort(newestFirst);
	return {
		organization: { ...organization, stale: isVerificationStale(organization.verifiedAt, freshness.today, freshness.months) },
		programs,
		indicators,
		received: { summary: summarize(received), latest: await withNames(db.kysely, received.slice(0, FUNDING_LISTED)) },
		given: { summary: summarize(given), latest: await withNames(db.kysely, given.slice(0, FUNDING_LISTED)) }
	};
}

export interface ProgramProfile {
	program: Program;
	organizations: Array<{ id: string; name: string }>;
	indicators: IndicatorRef[];
	funding: { summary: FundingSummary; latest: FundingEntry[] };
}

export async function getProgram(db: Db, id: string, locale: string): Promise<ProgramProfile | undefined> {
	const [program] = await programsByIds(db.kysely, [id]);
	if (!program) return undefined;
	const names = await organizationNames(db.kysely, program.organizationIds);
	const records = (await db.kysely.selectFrom('funding').selectAll().where('program_id', '=', id).execute()).map(fundingFromRow).sort(newestFirst);
	return {
		program,
		organizations: program.organizationIds.map((o) => ({ id: o, name: names.get(o) ?? o })),
		indicators: await linksOf(db.kysely, 'program', id, locale),
		funding: { summary: summarize(records), latest: await withNames(db.kysely, records.slice(0, FUNDING_LISTED)) }
	};
}

export async function getPolicy(db: Db, id: string, locale: string): Promise<{ policy: Policy; indicators: IndicatorRef[] } | undefined> {
	const row = await db.kysely.selectFrom('policy').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return undefined;
	return { policy: policyFromRow(row), indicators: await linksOf(db.kysely, 'policy', id, locale) };
}

/** The subjects linked to an indicator, by type. */
async function linkedSubjects(db: Executor, indicatorId: string): Promise<Record<ContributionLink['subjectType'], ContributionLink[]>> {
	const links = (await db.selectFrom('contribution_link').selectAll().where('indicator_id', '=', indicatorId).execute()).map(linkFromRow);
	return {
		program: links.filter((l) => l.subjectType === 'program'),
		policy: links.filter((l) => l.subjectType === 'policy'),
		organization: links.filter((l) => l.subjectType === 'organization')
	};
}

/** The funding records that reach an indicator (its linked programs' and, without a program, its linked organizations'). */
async function fundingOfIndicator(db: Executor, indicatorId: string): Promise<Funding[]> {
	const linked = (type: string) => db.selectFrom('contribution_link').select('subject_id').where('subject_type', '=', type).where('indicator_id', '=', indicatorId);
	const rows = await db
		.selectFrom('funding')
		.selectAll()
		.where((eb) => eb.or([eb('program_id', 'in', linked('program')), eb.and([eb('program_id', 'is', null), eb('recipient_id', 'in', linked('organization'))])]))
		.execute();
	return rows.map(fundingFromRow);
}

export interface Involvement {
	programs: Array<Program & { organizations: Array<{ id: string; name: string }>; direction: string; note: string }>;
	policies: Array<Policy & { direction: string; note: string }>;
	/** Linked directly, or running a linked program. */
	organizations: Array<Organization & { stale: boolean; direct: boolean; direction: string; note: string }>;
	fundingByYear: YearTotal[];
	funding: FundingSummary;
	/** Some of the funding counted is sample data. */
	sampleFunding: boolean;
}

export async function indicatorInvolvement(db: Db, indicatorId: string, freshness: Freshness): Promise<Involvement> {
	const links = await linkedSubjects(db.kysely, indicatorId);
	const programs = await programsByIds(db.kysely, links.program.map((l) => l.subjectId));
	const policyRows = links.policy.length ? await db.kysely.selectFrom('policy').selectAll().where('id', 'in', links.policy.map((l) => l.subjectId)).execute() : [];
	const organizationIds = [...new Set([...links.organization.map((l) => l.subjectId), ...programs.flatMap((p) => p.organizationIds)])];
	const organizations: Organization[] = [];
	for (let i = 0; i < organizationIds.length; i += 500) {
		organizations.push(...(await db.kysely.selectFrom('organization').selectAll().where('id', 'in', organizationIds.slice(i, i + 500)).execute()).map(organizationFromRow));
	}
	const orgName = new Map(organizations.map((o) => [o.id, o.name]));
	const linkOf = (list: ContributionLink[], id: string) => list.find((l) => l.subjectId === id) ?? { direction: '', note: '' };
	const records = fundingReaching(await fundingOfIndicator(db.kysely, indicatorId), {
		programs: new Set(links.program.map((l) => l.subjectId)),
		organizations: new Set(links.organization.map((l) => l.subjectId))
	});
	const directIds = new Set(links.organization.map((l) => l.subjectId));
	return {
		programs: programs.map((p) => ({
			...p,
			organizations: p.organizationIds.map((id) => ({ id, name: orgName.get(id) ?? id })),
			direction: linkOf(links.program, p.id).direction,
			note: linkOf(links.program, p.id).note
		})),
		policies: policyRows
			.map(policyFromRow)
			.map((p) => ({ ...p, direction: linkOf(links.policy, p.id).direction, note: linkOf(links.policy, p.id).note }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		organizations: organizations
			.map((o) => ({
				...o,
				stale: isVerificationStale(o.verifiedAt, freshness.today, freshness.months),
				direct: directIds.has(o.id),
				direction: linkOf(links.organization, o.id).direction,
				note: linkOf(links.organization, o.id).note
			}))
			.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
		fundingByYear: totalsByYear(records),
		funding: summarize(records),
		sampleFunding: records.some((r) => r.isSample)
	};
}

export interface FundingFilters {
	indicator?: string;
	organization?: string;
	fiscalYear?: number;
	sourceKind?: string;
}

/**
 * Funding records matching every filter given: `indicator` as the indicator page counts it,
 * `organization` as funder or recipient, `fiscalYear` as the year the record counts in.
 */
export async function listFunding(db: Db, filters: FundingFilters): Promise<FundingEntry[]> {
	let records: Funding[];
	if (filters.indicator) {
		const links = await linkedSubjects(db.kysely, filters.indicator);
		records = fundingReaching(await fundingOfIndicator(db.kysely, filters.indicator), {
			programs: new Set(links.program.map((l) => l.subjectId)),
			organizations: new Set(links.organization.map((l) => l.subjectId))
		});
	} else {
		let query = db.kysely.selectFrom('funding').selectAll();
		if (filters.organization) {
			const org = filters.organization;
			query = query.where((eb) => eb.or([eb('funder_id', '=', org), eb('recipient_id', '=', org)]));
		}
		if (filters.sourceKind !== undefined) query = query.where('source_kind', '=', filters.sourceKind);
		records = (await query.execute()).map(fundingFromRow);
	}
	if (filters.indicator && filters.organization) records = records.filter((f) => f.funderId === filters.organization || f.recipientId === filters.organization);
	if (filters.indicator && filters.sourceKind !== undefined) records = records.filter((f) => f.sourceKind === filters.sourceKind);
	if (filters.fiscalYear !== undefined) records = records.filter((f) => fundingYear(f) === filters.fiscalYear);
	return withNames(db.kysely, records.sort(newestFirst));
}

export interface FundingOverview extends FundingSummary {
	/** Per area: the records reaching any of its indicators, each once per area. */
	byArea: Array<{ areaId: string; name: string; totals: KeyTotal[] }>;
}

/** Who funds what, for /funding: totals by year, by source kind and by area. */
export async function fundingOverview(db: Db, locale: string): Promise<FundingOverview> {
	const records = (await db.kysely.selectFrom('funding').selectAll().execute()).map(fundingFromRow);
	const areas = await db.kysely.selectFrom('area').select(['id', 'name', 'translations']).orderBy('position').execute();
	const links = await db.kysely
		.selectFrom('contribution_link')
		.innerJoin('indicator', 'indicator.id', 'contribution_link.indicator_id')
		.select(['contribution_link.subject_type', 'contribution_link.subject_id', 'indicator.area_id'])
		.where('contribution_link.subject_type', 'in', ['program', 'organization'])
		.execute();
	const byArea = areas.map((a) => {
		const inArea = links.filter((l) => l.area_id === a.id);
		const reached = fundingReaching(records, {
			programs: new Set(inArea.filter((l) => l.subject_type === 'program').map((l) => l.subject_id)),
			organizations: new Set(inArea.filter((l) => l.subject_type === 'organization').map((l) => l.subject_id))
		});
		return { areaId: a.id, name: localized(a.name, fromJson<Translations>(a.translations, {}), locale, 'name'), totals: totalsBy(reached, () => a.id) };
	});
	return { ...summarize(records), byArea };
}
