/**
 * Sample data only where no real data is: real data replaces an indicator's sample series,
 * `sample remove` takes out the rest (audited, progress measured again), the region pack
 * or the caller can seed without it, and the site-wide notice follows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { removeSampleData } from '#lib/region/server/sample.ts';
import { getIndicator, hasSampleData } from '#lib/indicators/server/catalog.ts';
import { publishIndicatorCsv, validateIndicatorCsv } from '#lib/indicators/server/import-csv.ts';
import { readCurrentObservations } from '#lib/indicators/server/store.ts';
import { readProgress } from '#lib/indicators/server/progress-store.ts';
import { readAuditLog } from '#lib/server/audit/log.ts';
import { DIALECTS, PROJECT_DIR, openTestDatabase } from '../support/databases.ts';
import { runCli } from '../support/server.ts';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));

async function sampleIndicators(db: Db): Promise<string[]> {
	return (await db.kysely.selectFrom('indicator').select('id').where('is_sample', '=', 1).orderBy('id').execute()).map((r) => r.id);
}

describe.each(DIALECTS)('sample data on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
	});
	afterAll(async () => close());

	it('real data for an indicator replaces its sample series; removing sample data keeps it', async () => {
		const seeded = await sampleIndicators(db);
		expect(seeded).toHaveLength(pack.demoSeries.length);
		expect(seeded).toContain('unemployment');
		expect(await hasSampleData(db)).toBe(true);
		const targetsBefore = await db.kysely.selectFrom('target').select(['indicator_id', 'is_sample']).execute();
		expect(targetsBefore.filter((t) => t.is_sample === 1).length).toBeGreaterThan(0);

		const real = validateIndicatorCsv(Buffer.from('Year,Value\n2019,3.9\n2024,4.4\n'), 'unemployment.csv');
		await publishIndicatorCsv(db, 'unemployment', real, { author: 'test', kind: 'import' });
		expect(await sampleIndicators(db)).not.toContain('unemployment');
		// Its reporting status follows: real data published, and no metadata that says otherwise.
		expect((await getIndicator(db, 'unemployment', 'en'))?.reportingStatus).toBe('complete');
		expect((await getIndicator(db, seeded.find((id) => id !== 'unemployment')!, 'en'))?.reportingStatus).toBe('notstarted');
		expect((await readCurrentObservations(db.kysely, 'unemployment')).map((o) => o.value)).toEqual([3.9, 4.4]);

		const removed = await removeSampleData(db, 'cli:test');
		expect(removed.indicators).toEqual(seeded);
		expect(removed.targets).toBe(targetsBefore.filter((t) => t.is_sample === 1).length);
		expect(await sampleIndicators(db)).toEqual([]);
		expect(await hasSampleData(db)).toBe(false);
		// The real revision stays current; a sample-only indicator has no data and is "not reported".
		expect((await readCurrentObservations(db.kysely, 'unemployment')).map((o) => o.value)).toEqual([3.9, 4.4]);
		const sampleOnly = seeded.find((id) => id !== 'unemployment')!;
		expect(await readCurrentObservations(db.kysely, sampleOnly)).toEqual([]);
		expect((await readProgress(db.kysely, sampleOnly))?.label).toBe('not_reported');
		expect(await db.kysely.selectFrom('revision').select('id').where('is_sample', '=', 1).execute()).toEqual([]);
		expect(await db.kysely.selectFrom('target').select('id').where('is_sample', '=', 1).execute()).toEqual([]);
		const { entries } = await readAuditLog(db);
		expect(entries.find((e) => e.action === 'sample.remove')).toMatchObject({ actorEmail: expect.stringContaining('cli:test'), subjectId: 'sample-data' });

		// Once more: nothing to remove, nothing recorded.
		expect(await removeSampleData(db, 'cli:test')).toEqual({
			indicators: [],
			revisions: 0,
			targets: 0,
			directory: { organizations: 0, programs: 0, policies: 0, funding: 0, links: 0, kept: [] },
			stories: []
		});
		// Seeding again without sample data adds none back.
		expect((await seedRegion(db, pack, { sample: false })).sampleSeries).toBe(0);
		expect(await hasSampleData(db)).toBe(false);
	});

	it('the sample directory comes with the sample data and goes with it, except what real records use', async () => {
		const { db: fresh, close: closeFresh } = await openTestDatabase(dialect);
		try {
			const report = await seedRegion(fresh, pack);
			const files = ['organizations', 'programs', 'policies', 'funding', 'links'];
			const rowsIn = (name: string) => fs.readFileSync(path.join(pack.demoDirectory!, `${name}.csv`), 'utf8').trim().split('\n').length - 1;
			expect(report.sampleDirectory).toBe(files.reduce((sum, f) => sum + rowsIn(f), 0));
			const organizations = await fresh.kysely.selectFrom('organization').select(['id', 'is_sample']).execute();
			expect(organizations.length).toBe(rowsIn('organizations'));
			expect(organizations.every((o) => o.is_sample === 1)).toBe(true);
			expect((await fresh.kysely.selectFrom('funding').select('is_sample').execute()).every((f) => f.is_sample === 1)).toBe(true);
			// Seeding again adds nothing and keeps an edit.
			await fresh.kysely.updateTable('organization').set({ name: 'Edited' }).where('id', '=', 'river-city-reads').execute();
			expect((await seedRegion(fresh, pack)).sampleDirectory).toBe(0);
			expect((await fresh.kysely.selectFrom('organization').select('name').where('id', '=', 'river-city-reads').executeTakeFirstOrThrow()).name).toBe('Edited');

			// A real grant to a sample organization keeps that organization.
			const at = new Date().toISOString();
			await fresh.kysely
				.insertInto('funding')
				.values({ id: 'real-grant', funder_id: 'capital-region-community-fund', recipient_id: 'delta-health-access', program_id: null, title: 'Real', amount: 10, currency: 'USD', fiscal_year: 2025, award_date: null, source_kind: 'local', is_sample: 0, created_at: at, updated_at: at })
				.execute();
			const removed = await removeSampleData(fresh, 'cli:test');
			expect(removed.directory).toMatchObject({ programs: rowsIn('programs'), policies: rowsIn('policies'), funding: rowsIn('funding'), links: rowsIn('links') });
			expect(removed.directory.kept.sort()).toEqual(['organization capital-region-community-fund', 'organization delta-health-access']);
			expect(removed.directory.organizations).toBe(rowsIn('organizations') - 2);
			expect((await fresh.kysely.selectFrom('funding').select('id').execute()).map((f) => f.id)).toEqual(['real-grant']);
			expect(await fresh.kysely.selectFrom('program').select('id').execute()).toEqual([]);
			expect(await fresh.kysely.selectFrom('contribution_link').select('indicator_id').execute()).toEqual([]);
		} finally {
			await closeFresh();
		}
	});

	it('a region pack with sample_data: false seeds no sample data', async () => {
		const { db: fresh, close: closeFresh } = await openTestDatabase(dialect);
		try {
			const report = await seedRegion(fresh, { ...pack, settings: { ...pack.settings, sampleData: false } });
			expect([report.sampleSeries, report.targets]).toEqual([0, 0]);
			expect(report.indicators).toBe(pack.indicators.length);
			expect(await hasSampleData(fresh)).toBe(false);
		} finally {
			await closeFresh();
		}
	});
});

describe('sac2050 sample remove', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-sample-'));
	const env = { DATABASE_URL: `file:${dir}/sac.db` };
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('removes the sample data and says what it removed, then that there is none', async () => {
		expect((await runCli(['seed'], env)).code).toBe(0);
		const first = await runCli(['sample', 'remove'], env);
		expect(first.code, first.stderr).toBe(0);
		expect(first.stdout).toMatch(new RegExp(`removed the sample data of ${pack.demoSeries.length} indicators \\(${pack.demoSeries.length} revisions\\), \\d+ sample targets, \\d+ sample directory records and \\d+ sample stories; real data is unchanged\\.`));
		const again = await runCli(['sample', 'remove'], env);
		expect(again.stdout).toContain('there was no sample data; nothing changed.');
		const seeded = await runCli(['seed', '--no-sample'], env);
		expect(seeded.stdout).toContain('sample data loaded for 0 indicators');
	});
});
