/**
 * The directory's API bodies (src/lib/api/server/directory.ts), on both databases: the
 * region's sample directory, a funder's 360Giving file and a small directory with ids that
 * hold `:` `/` `.`. Each indicator's funding per year is worked out here from the files and
 * must match the API's; every body must match its schema; bad filters are 400s naming the
 * parameter; the search finds directory records once they are imported.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { importDirectory } from '#lib/directory/server/import.ts';
import { removeSampleData } from '#lib/region/server/sample.ts';
import { ApiError } from '#lib/api/http.ts';
import { linksFor } from '#lib/api/server/links.ts';
import { searchApi } from '#lib/api/server/search.ts';
import { searchCatalog } from '#lib/search/server/index.ts';
import { restoreFormula } from '#lib/csv/formula.ts';
import {
	FundingQuery,
	FundingResponse,
	InvolvedResponse,
	OrganizationResponse,
	OrganizationsQuery,
	OrganizationsResponse,
	PoliciesQuery,
	PoliciesResponse,
	PolicyResponse,
	ProgramResponse,
	ProgramsQuery,
	ProgramsResponse
} from '#lib/api/directory-schemas.ts';
import {
	FUNDING_CSV_COLUMNS,
	fundingCsv,
	fundingJson,
	involvedApi,
	organizationApi,
	organizationsApi,
	policiesApi,
	policyApi,
	programApi,
	programsApi,
	readFunding
} from '#lib/api/server/directory.ts';
import { DIALECTS, PROJECT_DIR, openTestDatabase } from '../support/databases.ts';
import { expectedFundingByIndicator } from '../support/directory-files.ts';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
const GRANTS_DIR = path.join(PROJECT_DIR, 'tests/fixtures/directory-360giving');
const ODD_DIR = path.join(PROJECT_DIR, 'tests/fixtures/directory-odd-ids');
const ORIGIN = 'https://sac2050.test';
const links = linksFor(ORIGIN);
const freshness = { today: new Date('2026-12-08T12:00:00Z'), months: 12 };
const url = (query = '') => new URL(`${ORIGIN}/api/v1/organizations${query}`);


/** The ApiError `run` throws. */
async function refusal(run: () => Promise<unknown>): Promise<ApiError> {
	try {
		await run();
	} catch (error) {
		if (error instanceof ApiError) return error;
		throw error;
	}
	throw new Error('expected a refusal');
}

const ODD_ORG = '360G-TEST:org/1.a';
const ODD_PROGRAM = '360G-TEST:prog/1';
const ODD_POLICY = '360G-TEST:policy/1';

describe.each(DIALECTS)('the directory API on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack, { sample: true });
		for (const dir of [GRANTS_DIR, ODD_DIR]) {
			const report = await importDirectory(db, dir, { author: 'test' });
			expect(report.failed, JSON.stringify(report.files.flatMap((f) => f.errors))).toBe(0);
		}
	});
	afterAll(async () => close());

	it('gives each indicator the funding per year the files add up to, in involved and in funding.json', async () => {
		const expected = expectedFundingByIndicator([pack.demoDirectory!, GRANTS_DIR, ODD_DIR]);
		expect(expected.size).toBeGreaterThanOrEqual(4);
		for (const [indicator, totals] of expected) {
			const involved = InvolvedResponse.parse(await involvedApi(db, indicator, 'en', freshness, links));
			const byYear = (list: Array<{ year: number; amount: number; currency: string }>) => Object.fromEntries(list.map((t) => [`${t.year}|${t.currency}`, t.amount]));
			expect(byYear(involved.funding_by_year), indicator).toEqual(Object.fromEntries(totals));
			const funding = FundingResponse.parse(fundingJson(await readFunding(db, FundingQuery.parse({ indicator })), links));
			expect(byYear(funding.summary.by_year), indicator).toEqual(Object.fromEntries(totals));
			// The records listed add up to the same totals.
			const sums = new Map<string, number>();
			for (const f of funding.funding) sums.set(`${f.year}|${f.currency}`, Math.round(((sums.get(`${f.year}|${f.currency}`) ?? 0) + f.amount) * 100) / 100);
			expect(Object.fromEntries(sums), indicator).toEqual(Object.fromEntries(totals));
			expect(involved.links.funding_json).toBe(`${ORIGIN}/api/v1/funding.json?indicator=${encodeURIComponent(indicator)}`);
		}
	});

	it('says who is involved with an indicator, every record flagged sample or not', async () => {
		const jobs = InvolvedResponse.parse(await involvedApi(db, 'unemployment', 'en', freshness, links));
		expect(jobs.indicator).toEqual({ id: 'unemployment', name: 'Unemployment', url: `${ORIGIN}/indicators/unemployment`, api_url: `${ORIGIN}/api/v1/indicators/unemployment` });
		expect(jobs.programs.map((p) => [p.id, p.is_sample, p.direction])).toEqual([
			['jobs-pathways', true, 'decrease'],
			[ODD_PROGRAM, false, 'decrease']
		]);
		expect(jobs.programs[1]!.url).toBe(`${ORIGIN}/programs/${encodeURIComponent(ODD_PROGRAM)}`);
		expect(jobs.programs[0]!.notice).toMatch(/sample data/);
		expect(jobs.programs[1]!.notice).toBeUndefined();
		expect(jobs.policies.map((p) => p.id)).toEqual([ODD_POLICY]);
		expect(jobs.organizations.find((o) => o.id === ODD_ORG)).toMatchObject({ direct: false, is_sample: false, api_url: `${ORIGIN}/api/v1/organizations/${encodeURIComponent(ODD_ORG)}` });
		expect(jobs.funding_by_year.filter((t) => t.currency === 'EUR')).toEqual([{ year: 2022, amount: 4500, currency: 'EUR' }]);
		expect(await involvedApi(db, 'no-such-indicator', 'en', freshness, links)).toBeUndefined();
	});

	it('lists organizations with filters and pages, and refuses unknown filter values naming them', async () => {
		const all = OrganizationsResponse.parse(await organizationsApi(db, OrganizationsQuery.parse({}), url(), 'en', freshness, links));
		expect(all.total).toBe(6 + 6 + 1);
		expect(all).toMatchObject({ page: 1, pages: 1, per_page: 50, next: null, previous: null });
		expect(all.organizations.every((o) => typeof o.is_sample === 'boolean')).toBe(true);
		expect(all.organizations.filter((o) => o.is_sample).length).toBe(6);
		const reads = all.organizations.find((o) => o.id === 'river-city-reads')!;
		expect(reads).toMatchObject({ program_count: 2, kind: 'nonprofit', url: `${ORIGIN}/organizations/river-city-reads` });
		expect(reads.indicators.map((i) => [i.id, i.direction, i.api_url])).toEqual([['3rd-grade-reading', 'increase', `${ORIGIN}/api/v1/indicators/3rd-grade-reading`]]);

		const funders = await organizationsApi(db, OrganizationsQuery.parse({ kind: 'funder' }), url('?kind=funder'), 'en', freshness, links);
		expect(funders.organizations.map((o) => o.id).sort()).toEqual([ODD_ORG, 'US-EIN-94-0900001', 'capital-region-community-fund'].sort());
		const education = await organizationsApi(db, OrganizationsQuery.parse({ area: 'education', q: 'reads' }), url(), 'en', freshness, links);
		expect(education.organizations.map((o) => o.id)).toEqual(['river-city-reads']);
		const served = await organizationsApi(db, OrganizationsQuery.parse({ service_area: '06101', indicator: 'health-insurance' }), url(), 'en', freshness, links);
		expect(served.organizations.map((o) => o.id)).toEqual(['delta-health-access']);

		for (const [query, parameter] of [
			[{ indicator: 'no-such-indicator' }, 'indicator'],
			[{ area: 'no-such-area' }, 'area'],
			[{ service_area: '99999' }, 'service_area'],
			[{ page: '2' }, 'page']
		] as const) {
			const error = await refusal(() => organizationsApi(db, OrganizationsQuery.parse(query), url(), 'en', freshness, links));
			expect([error.status, error.parameter], JSON.stringify(query)).toEqual([400, parameter]);
			expect(error.message).toContain(parameter === 'page' ? 'page 2' : Object.values(query)[0]);
		}
	});

	it('reads one organization, program and policy whose ids hold : / and .', async () => {
		const org = OrganizationResponse.parse(await organizationApi(db, ODD_ORG, 'en', freshness, links));
		expect(org).toMatchObject({ id: ODD_ORG, name: 'Slash and Colon Trust', is_sample: false, stale: false });
		expect(org.programs.map((p) => p.id)).toEqual([ODD_PROGRAM]);
		expect(org.indicators.map((i) => i.id)).toEqual(['unemployment']);
		expect(org.funding_given.summary.by_year).toEqual([{ year: 2024, amount: 1234.5, currency: 'USD' }]);
		expect(org.funding_given.latest[0]!.recipient).toEqual({
			id: 'valley-workforce-collaborative',
			name: 'Valley Workforce Collaborative',
			url: `${ORIGIN}/organizations/valley-workforce-collaborative`,
			api_url: `${ORIGIN}/api/v1/organizations/valley-workforce-collaborative`
		});
		expect(org.links.funding_csv).toBe(`${ORIGIN}/api/v1/funding.csv?organization=${encodeURIComponent(ODD_ORG)}`);

		const program = ProgramResponse.parse(await programApi(db, ODD_PROGRAM, 'en', links));
		expect(program.organizations.map((o) => o.name)).toEqual(['Slash and Colon Trust']);
		expect(program.funding.summary.records).toBe(1);
		const tutors = ProgramResponse.parse(await programApi(db, 'after-school-tutoring', 'es', links));
		expect(tutors.is_sample).toBe(true);
		expect(tutors.indicators.map((i) => i.name)).toEqual(['Lectura en tercer grado']);

		const policy = PolicyResponse.parse(await policyApi(db, ODD_POLICY, 'en', links));
		expect(policy).toMatchObject({ adopted_by: 'Test City Council', adopted_on: '2024-03-01', status: 'adopted', document_url: '' });
		expect(PolicyResponse.parse(await policyApi(db, 'regional-clean-air-plan', 'en', links)).document_url).toBe('https://clean-commute.example.org/plan');

		expect(await organizationApi(db, 'nobody', 'en', freshness, links)).toBeUndefined();
		expect(await programApi(db, 'nobody', 'en', links)).toBeUndefined();
		expect(await policyApi(db, 'nobody', 'en', links)).toBeUndefined();
	});

	it('lists programs and policies with their filters', async () => {
		const programs = ProgramsResponse.parse(await programsApi(db, ProgramsQuery.parse({}), url(), links));
		expect(programs.total).toBe(5 + 1);
		expect(programs.programs.map((p) => p.name)).toEqual([...programs.programs.map((p) => p.name)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
		const run = await programsApi(db, ProgramsQuery.parse({ organization: 'river-city-reads' }), url(), links);
		expect(run.programs.map((p) => p.id).sort()).toEqual(['after-school-tutoring', 'summer-reading-bridge']);
		expect(run.programs.find((p) => p.id === 'summer-reading-bridge')!.organizations.map((o) => o.id)).toEqual(['river-city-reads', 'capital-region-community-fund']);
		expect((await programsApi(db, ProgramsQuery.parse({ indicator: '3rd-grade-reading', q: 'summer' }), url(), links)).programs.map((p) => p.id)).toEqual(['summer-reading-bridge']);
		expect((await refusal(() => programsApi(db, ProgramsQuery.parse({ organization: 'nobody' }), url(), links))).parameter).toBe('organization');

		const policies = PoliciesResponse.parse(await policiesApi(db, PoliciesQuery.parse({}), url(), links));
		expect(policies.policies.map((p) => [p.id, p.is_sample])).toEqual([
			[ODD_POLICY, false],
			['regional-clean-air-plan', true]
		]);
		expect((await policiesApi(db, PoliciesQuery.parse({ indicator: 'air-quality-pm25' }), url(), links)).policies.map((p) => p.id)).toEqual(['regional-clean-air-plan']);
		expect((await policiesApi(db, PoliciesQuery.parse({ q: 'council' }), url(), links)).policies.map((p) => p.id)).toEqual([ODD_POLICY]);
		expect((await refusal(() => policiesApi(db, PoliciesQuery.parse({ indicator: 'nobody' }), url(), links))).parameter).toBe('indicator');
	});

	it('filters funding and writes it as a spreadsheet-safe CSV that matches the JSON', async () => {
		const query = FundingQuery.parse({ fiscal_year: '2024', source_kind: 'philanthropy' });
		const data = await readFunding(db, query);
		const json = FundingResponse.parse(fundingJson(data, links));
		expect(json.filters).toEqual({ fiscal_year: 2024, source_kind: 'philanthropy' });
		expect(json.funding.length).toBeGreaterThan(0);
		expect(json.funding.every((f) => f.year === 2024 && f.source_kind === 'philanthropy')).toBe(true);
		expect(json.links.funding_csv).toBe(`${ORIGIN}/api/v1/funding.csv?fiscal_year=2024&source_kind=philanthropy`);

		const { csv, filename } = fundingCsv(data);
		expect(filename).toBe(json.includes_sample ? 'funding-with-sample-data.csv' : 'funding.csv');
		const rows: string[][] = parse(csv);
		expect(rows[0]).toEqual([...FUNDING_CSV_COLUMNS]);
		expect(rows.length - 1).toBe(json.funding.length);
		const odd = rows.find((r) => r[0] === '360G-TEST:grant/1')!;
		// A title a spreadsheet would run is written as text, and reads back as it was.
		expect(odd[7]).toBe(`'=HYPERLINK("https://example.org","x")`);
		expect(restoreFormula(odd[7]!)).toBe(json.funding.find((f) => f.id === '360G-TEST:grant/1')!.title);
		expect(odd.slice(8)).toEqual(['1234.5', 'USD', '2024', '2024-02-01', '2024', 'philanthropy', 'false']);
		for (const [i, f] of json.funding.entries()) expect([rows[i + 1]![0], Number(rows[i + 1]![8]), rows[i + 1]![14]]).toEqual([f.id, f.amount, String(f.is_sample)]);

		expect((await refusal(() => readFunding(db, FundingQuery.parse({ indicator: 'nobody' })))).parameter).toBe('indicator');
		expect((await refusal(() => readFunding(db, FundingQuery.parse({ organization: 'nobody' })))).parameter).toBe('organization');
		for (const [input, parameter] of [
			[{ fiscal_year: 'abc' }, 'fiscal_year'],
			[{ fiscal_year: '20240' }, 'fiscal_year'],
			[{ source_kind: 'lottery' }, 'source_kind']
		] as const) {
			const result = FundingQuery.safeParse(input);
			expect(result.success).toBe(false);
			expect(result.error?.issues[0]?.path[0]).toBe(parameter);
			expect(result.error?.issues[0]?.message).toContain(parameter);
		}
	});

	it('finds directory records in the search, with their kind and address, and forgets sample ones when the sample data goes', async () => {
		// Imported after seeding: the import refreshed the index.
		const odd = await searchApi(db, 'slash colon trust', 10, 'en', links);
		expect(odd.results[0]).toMatchObject({ kind: 'organization', id: ODD_ORG, url: `${ORIGIN}/organizations/${encodeURIComponent(ODD_ORG)}`, api_url: `${ORIGIN}/api/v1/organizations/${encodeURIComponent(ODD_ORG)}` });
		expect((await searchCatalog(db, 'South Valley Youth Jobs', 'en')).map((r) => [r.kind, r.id])).toContainEqual(['organization', 'US-EIN-68-0100001']);
		expect((await searchCatalog(db, 'apprenticeships', 'es')).map((r) => [r.kind, r.url])).toContainEqual(['program', `/programs/${encodeURIComponent(ODD_PROGRAM)}`]);
		expect((await searchCatalog(db, 'hiring ordinance', 'en')).map((r) => [r.kind, r.id])).toEqual([['policy', ODD_POLICY]]);
		expect((await searchCatalog(db, 'River City Reads', 'en'))[0]).toMatchObject({ kind: 'organization', id: 'river-city-reads', url: '/organizations/river-city-reads' });
		expect((await searchCatalog(db, 'clean air plan', 'en')).map((r) => r.kind)).toContain('policy');

		await removeSampleData(db, 'test');
		expect((await searchCatalog(db, 'clean air plan', 'en')).map((r) => r.kind)).not.toContain('policy');
		// Real records stay; the program is found by who runs it.
		expect((await searchCatalog(db, 'slash colon trust', 'en')).map((r) => r.id)).toEqual([ODD_ORG, ODD_PROGRAM]);
	});
});
