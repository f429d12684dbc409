/**
 * Import placement: after importing the real Los Angeles Open SDG sample (read from ../shared,
 * not copied), every indicator is in an area through the region pack's goal mapping; an area an
 * editor chose is kept; without a mapping the indicators are listed as unassigned.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { listAreaOverviews } from '#lib/indicators/server/catalog.ts';
import { placementRules } from '#lib/indicators/placement.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { DIALECTS, openTestDatabase, PROJECT_DIR } from '../support/databases.ts';

const LA_SAMPLE = path.join(PROJECT_DIR, '..', 'shared', 'datasets', 'open-sdg-la-sample');
const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));

describe.each(DIALECTS)('import placement on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
	});
	afterAll(async () => close?.());

	it('leaves indicators unassigned without a mapping, then places every LA indicator by its goal, keeping an editor’s choice', async () => {
		const plain = await importOpenSdgRepository(db, LA_SAMPLE, { author: 'test' });
		expect(plain.failed).toBe(0);
		expect(plain.unassigned.length).toBe(plain.outcomes.length);
		expect((await listAreaOverviews(db, 'en', 2015)).unassigned.length).toBe(plain.outcomes.length);

		// An editor put 8-5-1 under health: the import keeps it there.
		await db.kysely.updateTable('indicator').set({ area_id: 'health-families' }).where('id', '=', '8-5-1').execute();
		const placed = await importOpenSdgRepository(db, LA_SAMPLE, { author: 'test', placement: placementRules(pack.areas) });
		expect(placed.failed).toBe(0);
		expect(placed.unassigned).toEqual([]);
		const rows = await db.kysely.selectFrom('indicator').select(['id', 'area_id']).where('id', 'in', placed.outcomes.map((o) => o.indicatorId)).execute();
		expect(rows.length).toBeGreaterThan(10);
		for (const r of rows) expect(r.area_id, r.id).not.toBeNull();
		const areaOf = new Map(rows.map((r) => [r.id, r.area_id]));
		expect(areaOf.get('8-5-1')).toBe('health-families');
		expect(placed.outcomes.find((o) => o.indicatorId === '8-5-1')?.placedBy).toBeUndefined();
		expect(areaOf.get('16-1-1')).toBe('public-safety');
		expect(areaOf.get('4-1-1')).toBe('education');
		expect(placed.outcomes.find((o) => o.indicatorId === '16-1-1')?.placedBy).toBe('goal');
		const { areas, unassigned } = await listAreaOverviews(db, 'en', 2015);
		expect(unassigned).toEqual([]);
		expect(areas.find((a) => a.id === 'public-safety')!.indicators.some((i) => i.id === '16-1-1' && i.latest !== null)).toBe(true);
	});
});
