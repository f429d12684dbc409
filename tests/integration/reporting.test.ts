import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { getReportingStatus } from '#lib/indicators/server/reporting.ts';
import { DIALECTS, PROJECT_DIR, SHARED_DIR, openTestDatabase } from '../support/databases.ts';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));

describe.each(DIALECTS)('reporting status on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
	});
	afterAll(async () => close());

	it('counts every area, its indicators with data, and marks sample data', async () => {
		const report = await getReportingStatus(db, 'en');
		expect(report.groups.map((g) => g.id)).toEqual(pack.areas.map((a) => a.slug));
		expect(report.totals).toEqual({ total: 50, withData: 12, sample: 12, complete: 0, inprogress: 0, notstarted: 50, own: {} });
		const economy = report.groups[0]!;
		expect(economy.counts.total).toBe(economy.indicators.length);
		const unemployment = economy.indicators.find((i) => i.id === 'unemployment');
		expect(unemployment).toMatchObject({ name: 'Unemployment', hasData: true, isSample: true, reportingStatus: 'notstarted' });
		const spanish = await getReportingStatus(db, 'es');
		expect(spanish.groups[0]!.indicators.find((i) => i.id === 'unemployment')?.name).toBe('Desempleo');
	});

	it('lists indicators without an area as other indicators, with their reporting status', async () => {
		await importOpenSdgRepository(db, path.join(SHARED_DIR, 'datasets/open-sdg-la-sample'), { author: 'test' });
		const report = await getReportingStatus(db, 'en');
		const other = report.groups.at(-1)!;
		expect(other.id).toBeNull();
		expect(other.counts).toEqual({ total: 14, withData: 14, sample: 0, complete: 10, inprogress: 0, notstarted: 4, own: {} });
		expect(other.indicators.map((i) => i.id).slice(0, 3)).toEqual(['1-2-1', '3-d-2', '4-1-1']);
		expect(report.totals).toMatchObject({ total: 64, withData: 26, sample: 12, complete: 10 });
	});
});
