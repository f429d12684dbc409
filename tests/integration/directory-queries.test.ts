/**
 * The directory as its pages and API read it, on both databases: the region's sample
 * directory plus a funder's 360Giving file; each indicator's funding per year is worked out
 * here from the files themselves and must match what the queries give.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { importDirectory } from '#lib/directory/server/import.ts';
import { fundingOverview, getOrganization, getPolicy, getProgram, indicatorInvolvement, listFunding, listOrganizations } from '#lib/directory/server/queries.ts';
import { DIALECTS, PROJECT_DIR, openTestDatabase } from '../support/databases.ts';
import { expectedFundingByIndicator } from '../support/directory-files.ts';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
const GRANTS_DIR = path.join(PROJECT_DIR, 'tests/fixtures/directory-360giving');
const freshness = { today: new Date('2026-12-08T12:00:00Z'), months: 12 };


describe.each(DIALECTS)('the directory read on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
		const report = await importDirectory(db, GRANTS_DIR, { author: 'test' });
		expect(report.failed, JSON.stringify(report.files.flatMap((f) => f.errors))).toBe(0);
	});
	afterAll(async () => close());

	it('gives each indicator the funding per year the files add up to, currencies apart', async () => {
		const expected = expectedFundingByIndicator([pack.demoDirectory!, GRANTS_DIR]);
		expect(expected.size).toBeGreaterThanOrEqual(4);
		for (const [indicator, totals] of expected) {
			const involvement = await indicatorInvolvement(db, indicator, freshness);
			const got = new Map(involvement.fundingByYear.map((t) => [`${t.year}|${t.currency}`, t.amount]));
			expect(Object.fromEntries(got), indicator).toEqual(Object.fromEntries(totals));
			// The funding list the API serves for the indicator adds up the same.
			const listed = await listFunding(db, { indicator });
			const sums = new Map<string, number>();
			for (const f of listed) sums.set(`${f.fiscalYear ?? f.awardDate!.slice(0, 4)}|${f.currency}`, Math.round(((sums.get(`${f.fiscalYear ?? f.awardDate!.slice(0, 4)}|${f.currency}`) ?? 0) + f.amount) * 100) / 100);
			expect(Object.fromEntries(sums), indicator).toEqual(Object.fromEntries(totals));
		}
		// The EUR grant is shown apart from the dollars.
		const jobs = await indicatorInvolvement(db, 'unemployment', freshness);
		expect(jobs.fundingByYear.filter((t) => t.currency === 'EUR')).toEqual([{ year: 2022, amount: 4500, currency: 'EUR' }]);
	});

	it('lists who is involved with an indicator: programs with their organizations, policies, organizations', async () => {
		const reading = await indicatorInvolvement(db, '3rd-grade-reading', freshness);
		expect(reading.programs.map((p) => p.id)).toEqual(['after-school-tutoring', 'summer-reading-bridge']);
		expect(reading.programs[1]!.organizations.map((o) => o.name)).toEqual(['River City Reads', 'Capital Region Community Fund']);
		expect(reading.organizations.map((o) => [o.id, o.direct])).toEqual([
			['capital-region-community-fund', false],
			['US-EIN-68-0100004', true],
			['river-city-reads', true]
		]);
		const air = await indicatorInvolvement(db, 'air-quality-pm25', freshness);
		expect(air.policies.map((p) => [p.id, p.direction])).toEqual([['regional-clean-air-plan', 'decrease']]);
		// Organizations created from a 360Giving file have never been verified.
		expect(reading.organizations.find((o) => o.id === 'US-EIN-68-0100004')!.stale).toBe(true);
		expect(reading.organizations.find((o) => o.id === 'river-city-reads')!.stale).toBe(false);
		const nobody = await indicatorInvolvement(db, 'obesity', freshness);
		expect([nobody.programs, nobody.policies, nobody.organizations, nobody.fundingByYear]).toEqual([[], [], [], []]);
	});

	it('filters organizations by kind, area, indicator, service area and words, and pages them', async () => {
		const all = await listOrganizations(db, {}, 'en', freshness);
		expect(all.total).toBe(6 + 6);
		expect(all.organizations.map((o) => o.name)).toEqual([...all.organizations.map((o) => o.name)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
		// The funder a 360Giving file names is created as a funder.
		expect((await listOrganizations(db, { kind: 'funder' }, 'en', freshness)).organizations.map((o) => o.id)).toEqual(['capital-region-community-fund', 'US-EIN-94-0900001']);
		expect((await listOrganizations(db, { indicator: '3rd-grade-reading' }, 'en', freshness)).organizations.map((o) => o.id).sort()).toEqual(['US-EIN-68-0100004', 'capital-region-community-fund', 'river-city-reads']);
		const education = await listOrganizations(db, { area: 'education' }, 'en', freshness);
		expect(education.organizations.map((o) => o.id).sort()).toEqual(['US-EIN-68-0100004', 'capital-region-community-fund', 'river-city-reads']);
		expect((await listOrganizations(db, { serviceArea: '06101' }, 'en', freshness)).organizations.map((o) => o.id).sort()).toEqual(['capital-region-community-fund', 'delta-health-access', 'valley-workforce-collaborative']);
		expect((await listOrganizations(db, { q: 'READS' }, 'en', freshness)).organizations.map((o) => o.id)).toEqual(['river-city-reads']);
		expect((await listOrganizations(db, { q: 'living wage' }, 'en', freshness)).organizations.map((o) => o.id)).toEqual(['valley-workforce-collaborative']);
		// LIKE's wildcards are words like any other.
		expect((await listOrganizations(db, { q: '%' }, 'en', freshness)).total).toBe(0);
		const reads = (await listOrganizations(db, { q: 'reads' }, 'es', freshness)).organizations[0]!;
		expect(reads.programs).toBe(2);
		expect(reads.indicators.map((i) => [i.id, i.name])).toEqual([['3rd-grade-reading', 'Lectura en tercer grado']]);
		expect((await listOrganizations(db, {}, 'en', freshness, 99)).page).toBe(1);
	});

	it('reads one organization, program and policy with what they are linked to', async () => {
		const fund = (await getOrganization(db, 'capital-region-community-fund', 'en', freshness))!;
		expect(fund.given.summary.records).toBe(7);
		expect(fund.given.latest[0]).toMatchObject({ funderName: 'Capital Region Community Fund' });
		expect(fund.programs.map((p) => p.id)).toEqual(['summer-reading-bridge']);
		expect(fund.indicators.map((i) => i.id)).toEqual(['3rd-grade-reading']);
		const tutors = (await getProgram(db, 'after-school-tutoring', 'en'))!;
		expect(tutors.organizations).toEqual([{ id: 'river-city-reads', name: 'River City Reads' }]);
		expect(tutors.funding.summary.byYear.map((t) => [t.year, t.amount])).toEqual([[2021, 180000], [2022, 195000], [2023, 210000], [2024, 220000]]);
		expect(tutors.indicators).toMatchObject([{ id: '3rd-grade-reading', direction: 'increase' }]);
		expect((await getPolicy(db, 'regional-clean-air-plan', 'en'))!.indicators.map((i) => i.id)).toEqual(['air-quality-pm25']);
		expect(await getOrganization(db, 'nobody', 'en', freshness)).toBeUndefined();
		expect(await getProgram(db, 'nobody', 'en')).toBeUndefined();
		expect(await getPolicy(db, 'nobody', 'en')).toBeUndefined();
	});

	it('filters funding by organization, year and source kind, and sums it by area', async () => {
		expect((await listFunding(db, { organization: 'river-city-reads' })).length).toBe(7);
		expect((await listFunding(db, { organization: 'river-city-reads', fiscalYear: 2022 })).map((f) => f.id).sort()).toEqual(['grant-2022-summer', 'grant-2022-tutors']);
		expect((await listFunding(db, { sourceKind: 'state' })).length).toBe(5);
		expect((await listFunding(db, { indicator: 'unemployment', sourceKind: 'state' })).map((f) => f.id)).toEqual(['grant-2023-pathways']);
		const overview = await fundingOverview(db, 'en');
		expect(overview.records).toBe(12 + 14);
		const education = overview.byArea.find((a) => a.areaId === 'education')!;
		const reading = await indicatorInvolvement(db, '3rd-grade-reading', freshness);
		expect(education.totals.find((t) => t.currency === 'USD')!.amount).toBe(reading.funding.bySourceKind.filter((t) => t.currency === 'USD').reduce((s, t) => s + t.amount, 0));
	});
});
