/**
 * The directory ("Who's involved") for the open data API: the read layer of
 * #lib/directory/server/queries.ts turned into the API's snake_case bodies with absolute
 * links, the program and policy lists (which the pages do not need), the funding records as
 * JSON and CSV, and the checks that turn an unknown filter value into a 400 naming it.
 */
import { sql } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import { fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { neutraliseFormula } from '#lib/csv/formula.ts';
import { fundingYear, type Organization, type Policy, type Program } from '#lib/directory/model.ts';
import { totalsBy, totalsByYear, undated } from '#lib/directory/funding.ts';
import {
	getOrganization,
	getPolicy,
	getProgram,
	indicatorInvolvement,
	listFunding,
	listOrganizations,
	ORGANIZATIONS_PER_PAGE,
	type FundingEntry,
	type FundingSummary as StoredSummary,
	type Freshness,
	type IndicatorRef
} from '#lib/directory/server/queries.ts';
import { policyFromRow, programFromRow } from '#lib/directory/server/records.ts';
import { badParameter } from '../http.ts';
import { SAMPLE_DATA_NOTICE } from '../schemas.ts';
import type {
	FundingQuery,
	FundingRecord,
	FundingResponse,
	InvolvedResponse,
	OrganizationResponse,
	OrganizationsQuery,
	OrganizationsResponse,
	OrganizationSummary,
	PoliciesQuery,
	PoliciesResponse,
	PolicyResponse,
	PolicySummary,
	ProgramResponse,
	ProgramsQuery,
	ProgramsResponse,
	ProgramSummary
} from '../directory-schemas.ts';
import type { z } from 'zod';
import type { Links } from './links.ts';

/** Program and policy lists page like the organizations. */
export const DIRECTORY_PER_PAGE = ORGANIZATIONS_PER_PAGE;

/** The sample notice, on sample records only. */
function sampleNotice(isSample: boolean): { notice?: string } {
	return isSample ? { notice: SAMPLE_DATA_NOTICE } : {};
}

type Direction = 'increase' | 'decrease' | '';
function asDirection(value: string): Direction {
	return value === 'increase' || value === 'decrease' ? value : '';
}

// ── Records as the API writes them ─────────────────────────────────────────

function indicatorLink(ref: IndicatorRef, links: Links) {
	return {
		id: ref.id,
		name: ref.name,
		area_id: ref.areaId,
		direction: asDirection(ref.direction),
		note: ref.note,
		url: links.indicatorPage(ref.id),
		api_url: links.indicatorApi(ref.id)
	};
}

function ref(type: 'organization' | 'program' | 'policy', id: string, name: string, links: Links) {
	return { id, name, url: links.directoryPage(type, id), api_url: links.directoryApi(type, id) };
}

function organizationFields(o: Organization & { stale: boolean }, links: Links) {
	return {
		id: o.id,
		name: o.name,
		kind: o.kind,
		mission: o.mission,
		website: o.website,
		email: o.email,
		phone: o.phone,
		service_area: o.serviceArea,
		verified_at: o.verifiedAt,
		stale: o.stale,
		is_sample: o.isSample,
		...sampleNotice(o.isSample),
		url: links.directoryPage('organization', o.id),
		api_url: links.directoryApi('organization', o.id)
	};
}

function programFields(p: Program, organizationNames: ReadonlyMap<string, string>, links: Links): ProgramSummary {
	return {
		id: p.id,
		name: p.name,
		description: p.description,
		status: p.status,
		start_date: p.startDate,
		end_date: p.endDate,
		service_area: p.serviceArea,
		website: p.website,
		organizations: p.organizationIds.map((id) => ref('organization', id, organizationNames.get(id) ?? id, links)),
		is_sample: p.isSample,
		...sampleNotice(p.isSample),
		url: links.directoryPage('program', p.id),
		api_url: links.directoryApi('program', p.id)
	};
}

function policyFields(p: Policy, links: Links): PolicySummary {
	return {
		id: p.id,
		name: p.name,
		adopted_by: p.adoptedBy,
		adopted_on: p.adoptedOn,
		status: p.status,
		document_url: p.url,
		description: p.description,
		is_sample: p.isSample,
		...sampleNotice(p.isSample),
		url: links.directoryPage('policy', p.id),
		api_url: links.directoryApi('policy', p.id)
	};
}

export function fundingRecord(f: FundingEntry, links: Links): FundingRecord {
	return {
		id: f.id,
		title: f.title,
		amount: f.amount,
		currency: f.currency,
		fiscal_year: f.fiscalYear,
		award_date: f.awardDate,
		year: fundingYear(f),
		source_kind: f.sourceKind,
		is_sample: f.isSample,
		funder: ref('organization', f.funderId, f.funderName, links),
		recipient: ref('organization', f.recipientId, f.recipientName, links),
		program: f.programId === null ? null : ref('program', f.programId, f.programName ?? f.programId, links)
	};
}

function summary(s: StoredSummary) {
	return {
		by_year: s.byYear,
		by_source_kind: s.bySourceKind,
		undated_records: s.undatedRecords,
		records: s.records
	};
}

// ── Filters ────────────────────────────────────────────────────────────────

/** A 400 naming `parameter` when no row of `table` has this id. */
async function mustExist(db: Db, table: 'indicator' | 'area' | 'organization' | 'program', parameter: string, id: string | undefined, see: string): Promise<void> {
	if (id === undefined) return;
	const row = await db.kysely.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
	if (!row) throw badParameter(parameter, `There is no ${table} "${id}": see ${see} for the ids.`, 'unknown_value');
}

async function mustBeGeography(db: Db, code: string | undefined): Promise<void> {
	if (code === undefined) return;
	const rows = await db.kysely.selectFrom('geography').select('code').orderBy('position').execute();
	if (rows.some((r) => r.code === code)) return;
	const allowed = rows.map((r) => r.code);
	throw badParameter('service_area', `service_area "${code}" is not a geography code of the region. Use one of: ${allowed.join(', ')}.`, 'unknown_value', allowed);
}

function pageLinks(base: URL, page: number, pages: number): { next: string | null; previous: string | null } {
	const at = (n: number) => {
		const url = new URL(base);
		if (n === 1) url.searchParams.delete('page');
		else url.searchParams.set('page', String(n));
		return url.href;
	};
	return { next: page < pages ? at(page + 1) : null, previous: page > 1 ? at(page - 1) : null };
}

function pastLastPage(requested: number, pages: number): never {
	throw badParameter('page', `page ${requested} is past the last page (${pages}): give a page from 1 to ${pages}.`);
}

/** A LIKE pattern for words anywhere in a text, its wildcards escaped. */
function likePattern(text: string): string {
	return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// ── Organizations ──────────────────────────────────────────────────────────

export async function organizationsApi(
	db: Db,
	query: z.output<typeof OrganizationsQuery>,
	url: URL,
	locale: string,
	freshness: Freshness,
	links: Links
): Promise<OrganizationsResponse> {
	await mustExist(db, 'indicator', 'indicator', query.indicator, '/api/v1/indicators');
	await mustExist(db, 'area', 'area', query.area, '/api/v1/areas');
	await mustBeGeography(db, query.service_area);
	const filters = {
		...(query.kind ? { kind: query.kind } : {}),
		...(query.area ? { area: query.area } : {}),
		...(query.indicator ? { indicator: query.indicator } : {}),
		...(query.service_area ? { serviceArea: query.service_area } : {}),
		...(query.q ? { q: query.q } : {})
	};
	const result = await listOrganizations(db, filters, locale, freshness, query.page);
	if (result.page !== query.page) pastLastPage(query.page, result.pages);
	return {
		organizations: result.organizations.map(
			(o): OrganizationSummary => ({ ...organizationFields(o, links), program_count: o.programs, indicators: o.indicators.map((i) => indicatorLink(i, links)) })
		),
		total: result.total,
		page: result.page,
		pages: result.pages,
		per_page: ORGANIZATIONS_PER_PAGE,
		...pageLinks(url, result.page, result.pages)
	};
}

export async function organizationApi(db: Db, id: string, locale: string, freshness: Freshness, links: Links): Promise<OrganizationResponse | undefined> {
	const profile = await getOrganization(db, id, locale, freshness);
	if (!profile) return undefined;
	const names = await organizationNames(db, profile.programs.flatMap((p) => p.organizationIds));
	return {
		...organizationFields(profile.organization, links),
		programs: profile.programs.map((p) => programFields(p, names, links)),
		indicators: profile.indicators.map((i) => indicatorLink(i, links)),
		funding_received: { summary: summary(profile.received.summary), latest: profile.received.latest.map((f) => fundingRecord(f, links)) },
		funding_given: { summary: summary(profile.given.summary), latest: profile.given.latest.map((f) => fundingRecord(f, links)) },
		links: { funding_json: links.fundingData('json', { organization: id }), funding_csv: links.fundingData('csv', { organization: id }) }
	};
}

async function organizationNames(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
	const list = [...new Set(ids)];
	const names = new Map<string, string>();
	for (let i = 0; i < list.length; i += 500) {
		for (const r of await db.kysely.selectFrom('organization').select(['id', 'name']).where('id', 'in', list.slice(i, i + 500)).execute()) names.set(r.id, r.name);
	}
	return names;
}

// ── Programs ───────────────────────────────────────────────────────────────

/** Programs with their organizations in the order written (the lead first), in the order of `ids`. */
async function programsWithOrganizations(db: Db, rows: Parameters<typeof programFromRow>[0][]): Promise<Program[]> {
	const ids = rows.map((r) => r.id);
	const runs = ids.length
		? await db.kysely.selectFrom('program_organization').select(['program_id', 'organization_id']).where('program_id', 'in', ids).orderBy('program_id').orderBy('position').execute()
		: [];
	return rows.map((r) => programFromRow(r, runs.filter((x) => x.program_id === r.id).map((x) => x.organization_id)));
}

export async function programsApi(db: Db, query: z.output<typeof ProgramsQuery>, url: URL, links: Links): Promise<ProgramsResponse> {
	await mustExist(db, 'organization', 'organization', query.organization, '/api/v1/organizations');
	await mustExist(db, 'indicator', 'indicator', query.indicator, '/api/v1/indicators');
	let select = db.kysely.selectFrom('program');
	if (query.status) select = select.where('status', '=', query.status);
	if (query.organization) {
		const organization = query.organization;
		select = select.where('id', 'in', (eb) => eb.selectFrom('program_organization').select('program_id').where('organization_id', '=', organization));
	}
	if (query.indicator) {
		const indicator = query.indicator;
		select = select.where('id', 'in', (eb) => eb.selectFrom('contribution_link').select('subject_id').where('subject_type', '=', 'program').where('indicator_id', '=', indicator));
	}
	if (query.q) {
		const pattern = likePattern(query.q);
		select = select.where((eb) => eb.or([eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`), eb(sql`lower(description)`, 'like', sql`${pattern} escape '\\'`)]));
	}
	const total = Number((await select.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
	const pages = Math.max(1, Math.ceil(total / DIRECTORY_PER_PAGE));
	if (query.page > pages) pastLastPage(query.page, pages);
	const rows = await select
		.selectAll()
		.orderBy(sql`lower(name)`)
		.orderBy('id')
		.limit(DIRECTORY_PER_PAGE)
		.offset((query.page - 1) * DIRECTORY_PER_PAGE)
		.execute();
	const programs = await programsWithOrganizations(db, rows);
	const names = await organizationNames(db, programs.flatMap((p) => p.organizationIds));
	return {
		programs: programs.map((p) => programFields(p, names, links)),
		total,
		page: query.page,
		pages,
		per_page: DIRECTORY_PER_PAGE,
		...pageLinks(url, query.page, pages)
	};
}

export async function programApi(db: Db, id: string, locale: string, links: Links): Promise<ProgramResponse | undefined> {
	const profile = await getProgram(db, id, locale);
	if (!profile) return undefined;
	const names = new Map(profile.organizations.map((o) => [o.id, o.name]));
	return {
		...programFields(profile.program, names, links),
		indicators: profile.indicators.map((i) => indicatorLink(i, links)),
		funding: { summary: summary(profile.funding.summary), latest: profile.funding.latest.map((f) => fundingRecord(f, links)) }
	};
}

// ── Policies ───────────────────────────────────────────────────────────────

export async function policiesApi(db: Db, query: z.output<typeof PoliciesQuery>, url: URL, links: Links): Promise<PoliciesResponse> {
	await mustExist(db, 'indicator', 'indicator', query.indicator, '/api/v1/indicators');
	let select = db.kysely.selectFrom('policy');
	if (query.status) select = select.where('status', '=', query.status);
	if (query.indicator) {
		const indicator = query.indicator;
		select = select.where('id', 'in', (eb) => eb.selectFrom('contribution_link').select('subject_id').where('subject_type', '=', 'policy').where('indicator_id', '=', indicator));
	}
	if (query.q) {
		const pattern = likePattern(query.q);
		select = select.where((eb) =>
			eb.or([
				eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`),
				eb(sql`lower(adopted_by)`, 'like', sql`${pattern} escape '\\'`),
				eb(sql`lower(description)`, 'like', sql`${pattern} escape '\\'`)
			])
		);
	}
	const total = Number((await select.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
	const pages = Math.max(1, Math.ceil(total / DIRECTORY_PER_PAGE));
	if (query.page > pages) pastLastPage(query.page, pages);
	const rows = await select
		.selectAll()
		.orderBy(sql`lower(name)`)
		.orderBy('id')
		.limit(DIRECTORY_PER_PAGE)
		.offset((query.page - 1) * DIRECTORY_PER_PAGE)
		.execute();
	return {
		policies: rows.map(policyFromRow).map((p) => policyFields(p, links)),
		total,
		page: query.page,
		pages,
		per_page: DIRECTORY_PER_PAGE,
		...pageLinks(url, query.page, pages)
	};
}

export async function policyApi(db: Db, id: string, locale: string, links: Links): Promise<PolicyResponse | undefined> {
	const found = await getPolicy(db, id, locale);
	if (!found) return undefined;
	return { ...policyFields(found.policy, links), indicators: found.indicators.map((i) => indicatorLink(i, links)) };
}

// ── An indicator's involvement ─────────────────────────────────────────────

export async function involvedApi(db: Db, indicatorId: string, locale: string, freshness: Freshness, links: Links): Promise<InvolvedResponse | undefined> {
	const indicator = await db.kysely.selectFrom('indicator').select(['id', 'name', 'translations']).where('id', '=', indicatorId).executeTakeFirst();
	if (!indicator) return undefined;
	const involvement = await indicatorInvolvement(db, indicatorId, freshness);
	const names = new Map(involvement.programs.flatMap((p) => p.organizations.map((o) => [o.id, o.name] as const)));
	return {
		indicator: {
			id: indicator.id,
			name: localized(indicator.name, fromJson<Translations>(indicator.translations, {}), locale, 'name'),
			url: links.indicatorPage(indicator.id),
			api_url: links.indicatorApi(indicator.id)
		},
		programs: involvement.programs.map((p) => ({ ...programFields(p, names, links), direction: asDirection(p.direction), note: p.note })),
		policies: involvement.policies.map((p) => ({ ...policyFields(p, links), direction: asDirection(p.direction), note: p.note })),
		organizations: involvement.organizations.map((o) => ({ ...organizationFields(o, links), direction: asDirection(o.direction), note: o.note, direct: o.direct })),
		funding_by_year: involvement.fundingByYear.map((t) => ({ year: t.year, amount: t.amount, currency: t.currency })),
		funding: summary(involvement.funding),
		links: { funding_json: links.fundingData('json', { indicator: indicatorId }), funding_csv: links.fundingData('csv', { indicator: indicatorId }) }
	};
}

// ── Funding ────────────────────────────────────────────────────────────────

export interface FundingData {
	filters: FundingResponse['filters'];
	records: FundingEntry[];
}

/** The funding records matching the query; an unknown indicator or organization is a 400 naming it. */
export async function readFunding(db: Db, query: z.output<typeof FundingQuery>): Promise<FundingData> {
	await mustExist(db, 'indicator', 'indicator', query.indicator, '/api/v1/indicators');
	await mustExist(db, 'organization', 'organization', query.organization, '/api/v1/organizations');
	const fiscalYear = query.fiscal_year === undefined ? undefined : Number(query.fiscal_year);
	const records = await listFunding(db, {
		...(query.indicator !== undefined ? { indicator: query.indicator } : {}),
		...(query.organization !== undefined ? { organization: query.organization } : {}),
		...(fiscalYear !== undefined ? { fiscalYear } : {}),
		...(query.source_kind !== undefined ? { sourceKind: query.source_kind } : {})
	});
	const filters: FundingResponse['filters'] = {};
	if (query.indicator !== undefined) filters.indicator = query.indicator;
	if (query.organization !== undefined) filters.organization = query.organization;
	if (fiscalYear !== undefined) filters.fiscal_year = fiscalYear;
	if (query.source_kind !== undefined) filters.source_kind = query.source_kind;
	return { filters, records };
}

export function fundingJson(data: FundingData, links: Links): FundingResponse {
	const includesSample = data.records.some((r) => r.isSample);
	return {
		filters: data.filters,
		includes_sample: includesSample,
		...sampleNotice(includesSample),
		summary: { by_year: totalsByYear(data.records), by_source_kind: totalsBy(data.records, (f) => f.sourceKind), undated_records: undated(data.records).length, records: data.records.length },
		funding: data.records.map((f) => fundingRecord(f, links)),
		links: { funding_json: links.fundingData('json', data.filters), funding_csv: links.fundingData('csv', data.filters) }
	};
}

export const FUNDING_CSV_COLUMNS = [
	'id',
	'funder_id',
	'funder_name',
	'recipient_id',
	'recipient_name',
	'program_id',
	'program_name',
	'title',
	'amount',
	'currency',
	'fiscal_year',
	'award_date',
	'year',
	'source_kind',
	'is_sample'
] as const;

/** A text cell: safe to open in a spreadsheet (see csv/formula.ts), quoted only where needed. */
function textCell(text: string): string {
	const safe = neutraliseFormula(text);
	return /[",\n\r]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The records as CSV, one a line in the JSON's order: numbers as numbers, text cells
 * spreadsheet-safe, `is_sample` true or false on every line; LF line ends like data.csv. The file name says when some
 * of the records are sample data.
 */
export function fundingCsv(data: FundingData): { csv: string; filename: string } {
	const lines = [FUNDING_CSV_COLUMNS.join(',')];
	for (const f of data.records) {
		const year = fundingYear(f);
		lines.push(
			[
				textCell(f.id),
				textCell(f.funderId),
				textCell(f.funderName),
				textCell(f.recipientId),
				textCell(f.recipientName),
				textCell(f.programId ?? ''),
				textCell(f.programName ?? ''),
				textCell(f.title),
				String(f.amount),
				textCell(f.currency),
				f.fiscalYear === null ? '' : String(f.fiscalYear),
				f.awardDate ?? '',
				year === null ? '' : String(year),
				textCell(f.sourceKind),
				f.isSample ? 'true' : 'false'
			].join(',')
		);
	}
	const sample = data.records.some((r) => r.isSample);
	return { csv: lines.join('\n') + '\n', filename: `funding${sample ? '-with-sample-data' : ''}.csv` };
}

/** The region's verification rule as of now. */
export function freshnessNow(months: number): Freshness {
	return { today: new Date(), months };
}
