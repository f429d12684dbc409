/**
 * Assigning indicators to an area in bulk, on both databases: the real Los Angeles Open SDG
 * sample (read from ../shared) imported without the region's goal mapping leaves its
 * indicators in no area; an editor moves the checked ones in one transaction, one audit entry
 * each, and the cached pages go stale. An unknown area or indicator, or a member, moves nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { listAreaOverviews } from '#lib/indicators/server/catalog.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { ForbiddenError, readAuditLog } from '#lib/server/audit/log.ts';
import type { SessionUser } from '#lib/server/auth/users.ts';
import { readDataVersion } from '#lib/server/page-cache/data-version.ts';
import { readAssignForm } from '#lib/admin/forms.ts';
import { AssignRefused, assignIndicatorsToArea, indicatorPlacement, listAdminAreas, listAdminIndicators } from '#lib/admin/server/catalog.ts';
import { DIALECTS, openTestDatabase, PROJECT_DIR, SHARED_DIR } from '../support/databases.ts';

const LA_SAMPLE = path.join(SHARED_DIR, 'datasets', 'open-sdg-la-sample');
const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
const person = (role: SessionUser['role']): SessionUser => ({ id: `${role}-1`, name: role, email: `${role}@example.org`, role, emailVerified: true });

describe.each(DIALECTS)('assigning indicators to an area on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	let imported: string[];

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
		const report = await importOpenSdgRepository(db, LA_SAMPLE, { author: 'test' });
		expect(report.failed).toBe(0);
		imported = report.unassigned;
	});
	afterAll(async () => close?.());

	const areaOf = async (ids: string[]) =>
		Object.fromEntries((await db.kysely.selectFrom('indicator').select(['id', 'area_id']).where('id', 'in', ids).execute()).map((r) => [r.id, r.area_id]));
	const unassignedIds = async () => (await listAdminIndicators(db, { unassigned: true })).map((i) => i.id).sort();

	it('lists the imported indicators as in no area, and the upload summary says so', async () => {
		expect(imported.length).toBe(14);
		expect(await unassignedIds()).toEqual([...imported].sort());
		expect(await indicatorPlacement(db, '8-5-1')).toEqual({ area: null });
		expect(await indicatorPlacement(db, 'unemployment')).toEqual({ area: { id: 'economy', name: pack.areas.find((a) => a.slug === 'economy')!.name } });
	});

	it('moves only the checked indicators, in one transaction, one audit entry each, and bumps the data version', async () => {
		const version = await readDataVersion(db.kysely);
		const audited = (await readAuditLog(db)).total;
		const form = new FormData();
		for (const id of ['8-5-1', '4-1-1', '8-5-1']) form.append('indicator', id);
		form.append('area', 'education');
		const read = readAssignForm(
			form,
			(await listAdminAreas(db)).map((a) => a.id)
		);
		if (!read.ok) throw new Error(JSON.stringify(read.problems));
		const moved = await assignIndicatorsToArea(db, person('editor'), read.value.areaId, read.value.indicatorIds);
		expect(moved).toEqual(['8-5-1', '4-1-1']);
		expect(await areaOf(['8-5-1', '4-1-1', '16-1-1'])).toEqual({ '8-5-1': 'education', '4-1-1': 'education', '16-1-1': null });
		expect(await unassignedIds()).toEqual(imported.filter((id) => id !== '8-5-1' && id !== '4-1-1').sort());
		expect(await readDataVersion(db.kysely)).toBeGreaterThan(version);
		const log = await readAuditLog(db, { action: 'catalog.edit' });
		expect(log.total).toBe(audited + 2);
		expect(log.entries.map((e) => e.subjectId).sort()).toEqual(['4-1-1', '8-5-1']);
		expect(log.entries.find((e) => e.subjectId === '8-5-1')).toMatchObject({
			actorEmail: 'editor@example.org',
			subjectType: 'indicator',
			summary: 'Moved indicator 8-5-1 to area education (from no area)',
			before: { areaId: null },
			after: { areaId: 'education' }
		});
		// The public pages read them in their area.
		const { areas, unassigned } = await listAreaOverviews(db, 'en', 2015);
		expect(areas.find((a) => a.id === 'education')!.indicators.map((i) => i.id)).toEqual(expect.arrayContaining(['8-5-1', '4-1-1']));
		expect(unassigned.map((i) => i.id)).not.toContain('8-5-1');

		// Moving on from one area to another: only the one not there yet changes.
		const again = await assignIndicatorsToArea(db, person('admin'), 'economy', ['8-5-1', 'unemployment']);
		expect(again).toEqual(['8-5-1']);
		expect((await readAuditLog(db, { subjectId: '8-5-1' })).entries[0]).toMatchObject({ summary: 'Moved indicator 8-5-1 to area economy (from education)', before: { areaId: 'education' } });
		expect((await readAuditLog(db)).total).toBe(audited + 3);
		// Nothing to move: nothing written, nothing audited.
		const still = await readDataVersion(db.kysely);
		expect(await assignIndicatorsToArea(db, person('editor'), 'economy', ['unemployment'])).toEqual([]);
		expect(await readDataVersion(db.kysely)).toBe(still);
		expect((await readAuditLog(db)).total).toBe(audited + 3);
	});

	it('refuses an unknown area or indicator, and a member, moving nothing', async () => {
		const before = await unassignedIds();
		const version = await readDataVersion(db.kysely);
		const audited = (await readAuditLog(db)).total;
		await expect(assignIndicatorsToArea(db, person('editor'), 'nowhere', ['16-1-1'])).rejects.toMatchObject({ name: 'AssignRefused', reason: 'area', ids: ['nowhere'] });
		// One checked indicator is gone: the others do not move either.
		const refused = assignIndicatorsToArea(db, person('editor'), 'public-safety', ['16-1-1', 'gone-1', '16-7-2']);
		await expect(refused).rejects.toBeInstanceOf(AssignRefused);
		await expect(refused).rejects.toMatchObject({ reason: 'indicators', ids: ['gone-1'] });
		for (const role of ['member', 'reviewer', 'moderator'] as const) {
			await expect(assignIndicatorsToArea(db, person(role), 'public-safety', ['16-1-1'])).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(assignIndicatorsToArea(db, null, 'public-safety', ['16-1-1'])).rejects.toBeInstanceOf(ForbiddenError);
		await expect(assignIndicatorsToArea(db, { ...person('editor'), emailVerified: false }, 'public-safety', ['16-1-1'])).rejects.toBeInstanceOf(ForbiddenError);
		expect(await unassignedIds()).toEqual(before);
		expect(await areaOf(['16-1-1', '16-7-2'])).toEqual({ '16-1-1': null, '16-7-2': null });
		expect(await readDataVersion(db.kysely)).toBe(version);
		expect((await readAuditLog(db)).total).toBe(audited);
	});
});
