import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { applyRegionOverrides, readRegionOverrides, updateRegionSettings } from '#lib/region/server/settings.ts';
import { ForbiddenError, readAuditLog } from '#lib/server/audit/log.ts';
import type { SessionUser } from '#lib/server/auth/users.ts';
import { readDataVersion } from '#lib/server/page-cache/data-version.ts';
import { readProgress } from '#lib/indicators/server/progress-store.ts';
import { getArea } from '#lib/indicators/server/catalog.ts';
import { searchCatalog } from '#lib/search/server/index.ts';
import { readIndicatorForm, readAreaForm, readSettingsForm } from '#lib/admin/forms.ts';
import { indicatorFormValues, listAdminAreas, listAdminIndicators, readArea, readIndicator, updateArea, updateIndicator, areaFormValues } from '#lib/admin/server/catalog.ts';
import { overridesFromForm, settingsFormValues } from '#lib/admin/server/region.ts';
import { auditFilterChoices } from '#lib/admin/server/audit.ts';
import { DIALECTS, openTestDatabase, PROJECT_DIR } from '../support/databases.ts';

const person = (role: SessionUser['role'], id = `${role}-1`): SessionUser => ({ id, name: role, email: `${role}@example.org`, role, emailVerified: true });

describe.each(DIALECTS)('back office catalog writes on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
	});
	afterAll(async () => close?.());

	async function formFor(id: string, changes: Record<string, string>) {
		const current = indicatorFormValues((await readIndicator(db, id))!);
		const areas = (await listAdminAreas(db)).map((a) => a.id);
		const form = readIndicatorForm({ ...current, ...changes }, areas);
		if (!form.ok) throw new Error(JSON.stringify(form.problems));
		return form.value;
	}

	it('lists areas and indicators with their headline targets', async () => {
		const areas = await listAdminAreas(db);
		expect(areas.length).toBe(pack.areas.length);
		expect(areas.reduce((n, a) => n + a.indicators, 0)).toBe(pack.indicators.length);
		const economy = await listAdminIndicators(db, { area: 'economy' });
		expect(economy.every((i) => i.areaId === 'economy')).toBe(true);
		expect(economy.find((i) => i.id === 'unemployment')?.target).toMatchObject({ year: 2050 });
	});

	it('saves an adopted 2050 target, recomputes progress and bumps the data version, audited', async () => {
		const version = await readDataVersion(db.kysely);
		const audited = (await readAuditLog(db)).total;
		const value = await formFor('unemployment', {
			targetValue: '3.25',
			targetYear: '2050',
			targetOrigin: 'adopted_plan',
			targetSource: 'Regional Prosperity Plan (2025), https://example.org/plan',
			name_es: 'Desempleo (editado)'
		});
		const after = await updateIndicator(db, person('editor'), 'unemployment', value);
		expect(after.target).toEqual({ value: 3.25, year: 2050, origin: 'adopted_plan', source: 'Regional Prosperity Plan (2025), https://example.org/plan' });
		expect(after.translations.es?.name).toBe('Desempleo (editado)');
		// Only one headline target remains, no longer a sample.
		const targets = await db.kysely.selectFrom('target').selectAll().where('indicator_id', '=', 'unemployment').execute();
		expect(targets).toHaveLength(1);
		expect(Number(targets[0]!.is_sample)).toBe(0);
		// The stored progress now measures against the new target.
		const progress = await readProgress(db.kysely, 'unemployment');
		expect(progress?.series[0]).toMatchObject({ target: 3.25, target_year: 2050 });
		expect(await readDataVersion(db.kysely)).toBeGreaterThan(version);
		const log = await readAuditLog(db, { action: 'catalog.edit', subjectId: 'unemployment' });
		expect(log.total).toBe(1);
		expect((await readAuditLog(db)).total).toBe(audited + 1);
		expect(log.entries[0]).toMatchObject({ actorEmail: 'editor@example.org', subjectType: 'indicator', summary: expect.stringContaining('→ 3.25 by 2050') });
		expect((log.entries[0]!.before as { target: { value: number } }).target.value).not.toBe(3.25);
		// The Spanish name is searchable.
		expect((await searchCatalog(db, 'editado', 'es')).map((r) => r.id)).toContain('unemployment');
	});

	it('turns progress off and back on, and removes a target', async () => {
		await updateIndicator(db, person('admin'), 'unemployment', await formFor('unemployment', { progress: 'off' }));
		// Off: no status and no score (the plain label still follows the direction, as the method says).
		expect(await readProgress(db.kysely, 'unemployment')).toMatchObject({ status: '', score: null });
		await updateIndicator(db, person('admin'), 'unemployment', await formFor('unemployment', { progress: 'auto', targetValue: '', baseYear: '2016', limit: '' }));
		const snapshot = (await readIndicator(db, 'unemployment'))!;
		expect(snapshot.target).toBeNull();
		expect(snapshot.progressConfig.progress_calculation_options?.[0]).toMatchObject({ base_year: 2016, direction: 'negative' });
		const progress = await readProgress(db.kysely, 'unemployment');
		expect(progress?.series[0]).toMatchObject({ target: null });
		expect(progress?.status).not.toBe('');
		expect(progress?.score).not.toBeNull();
	});

	it('refuses people whose role may not edit, changing nothing', async () => {
		const before = await readIndicator(db, 'unemployment');
		const version = await readDataVersion(db.kysely);
		const audited = (await readAuditLog(db)).total;
		const value = await formFor('unemployment', { name: 'Hijacked', targetValue: '1', targetYear: '2050', targetOrigin: 'community_process', targetSource: 'me' });
		for (const role of ['member', 'reviewer', 'moderator'] as const) {
			await expect(updateIndicator(db, person(role), 'unemployment', value)).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(updateIndicator(db, null, 'unemployment', value)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateIndicator(db, { ...person('admin'), emailVerified: false }, 'unemployment', value)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateArea(db, person('member'), 'economy', { name: 'x', question: '', description: '', translations: {} })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateRegionSettings(db, person('editor'), { name: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
		expect(await readIndicator(db, 'unemployment')).toEqual(before);
		expect(await readDataVersion(db.kysely)).toBe(version);
		expect((await readAuditLog(db)).total).toBe(audited);
	});

	it('edits an area in both languages, keeping other translations', async () => {
		const current = areaFormValues((await readArea(db, 'economy'))!);
		const form = readAreaForm({ ...current, question: 'Is the economy working for everyone?', question_es: '¿La economía funciona para todos?' });
		expect(form.ok).toBe(true);
		if (!form.ok) return;
		await updateArea(db, person('editor'), 'economy', form.value);
		expect((await getArea(db, 'economy', 'es'))?.question).toBe('¿La economía funciona para todos?');
		expect((await getArea(db, 'economy', 'en'))?.question).toBe('Is the economy working for everyone?');
		const { entries } = await readAuditLog(db, { subjectType: 'area', subjectId: 'economy' });
		expect(entries[0]).toMatchObject({ action: 'catalog.edit', summary: 'Edited area economy' });
		await expect(updateArea(db, person('editor'), 'nowhere', form.value)).rejects.toThrow(/no area "nowhere"/);
	});

	it('stores region settings over region.yml, blanks falling back', async () => {
		const form = readSettingsForm({ name: 'Capital Region 2050', tagline: '', name_es: 'Región Capital 2050', contact: 'hello@example.org' });
		expect(form.ok).toBe(true);
		if (!form.ok) return;
		await updateRegionSettings(db, person('admin'), overridesFromForm(form.value));
		const overrides = await readRegionOverrides(db);
		expect(overrides).toEqual({ name: 'Capital Region 2050', contact: 'hello@example.org', translations: { es: { name: 'Región Capital 2050' } } });
		expect(settingsFormValues(overrides)).toMatchObject({ name: 'Capital Region 2050', tagline: '', name_es: 'Región Capital 2050' });
		const merged = applyRegionOverrides(pack.settings, overrides);
		expect(merged.name).toBe('Capital Region 2050');
		expect(merged.tagline).toBe(pack.settings.tagline);
		expect(merged.translations.es?.name).toBe('Región Capital 2050');
		const choices = await auditFilterChoices(db);
		expect(choices.actions).toEqual(expect.arrayContaining(['catalog.edit', 'region.edit']));
		expect(choices.subjectTypes).toEqual(expect.arrayContaining(['area', 'indicator', 'region']));
	});
});
