import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { importOpenSdgRepository } from '#lib/indicators/server/import-opensdg.ts';
import { exportOpenSdgRepository } from '#lib/indicators/server/export-opensdg.ts';
import { publishIndicatorCsv, validateIndicatorCsv } from '#lib/indicators/server/import-csv.ts';
import { listRevisions, readCurrentObservations, rollbackToRevision } from '#lib/indicators/server/store.ts';
import { readProgress, recomputeProgress, recomputeProgressOfIndicators } from '#lib/indicators/server/progress-store.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { DIALECTS, PROJECT_DIR, SHARED_DIR, openTestDatabase } from '../support/databases.ts';

const LA_SAMPLE = path.join(SHARED_DIR, 'datasets/open-sdg-la-sample');

/** Rows per indicator of the LA sample, counted from the files. */
const LA_ROWS: Record<string, number> = {
	'1-2-1': 210,
	'10-c-1': 105,
	'11-1-1': 164,
	'11-1-2': 105,
	'16-1-1': 90,
	'16-7-2': 34,
	'17-1-1': 88,
	'3-d-2': 105,
	'4-1-1': 55,
	'5-1-1': 164,
	'6-1-1': 8,
	'7-3-1': 93,
	'8-3-1': 50,
	'8-5-1': 90
};

function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `sac2050-${prefix}-`));
}

/** Observations as comparable plain data. */
async function snapshot(db: Db, id: string) {
	const rows = await readCurrentObservations(db.kysely, id);
	return rows.map((r) => ({ series: r.seriesKey, period: r.period, value: r.value, attributes: r.attributes }));
}

const author = 'test';
const recompute = async (trx: Parameters<typeof recomputeProgress>[0], id: string, rows: Parameters<typeof recomputeProgress>[2]) => {
	await recomputeProgress(trx, id, rows);
};

describe.each(DIALECTS)('indicator data engine on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	const cleanup: string[] = [];

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
	});
	afterAll(async () => {
		await close();
		for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
	});

	it('imports the LA Open SDG sample: all 14 indicators with the right row counts', async () => {
		const report = await importOpenSdgRepository(db, LA_SAMPLE, { author });
		expect(report.failed).toBe(0);
		expect(report.imported).toBe(14);
		expect(report.rows).toBe(Object.values(LA_ROWS).reduce((a, b) => a + b, 0));
		for (const [id, count] of Object.entries(LA_ROWS)) {
			expect((await snapshot(db, id)).length, id).toBe(count);
			const [revision] = await listRevisions(db, id);
			expect(revision).toMatchObject({ number: 1, kind: 'import', rowCount: count, rowsAdded: count, rowsRemoved: 0, rowsChanged: 0, author });
			expect(revision!.checksum).toMatch(/^[0-9a-f]{64}$/);
			// Progress is computed and stored with every import.
			expect(await readProgress(db.kysely, id)).toBeDefined();
		}
		// Year ranges are kept as written and counted by their first year.
		const ranges = await readCurrentObservations(db.kysely, '17-1-1');
		expect(ranges.some((r) => r.period === '2009-2010' && r.year === 2009)).toBe(true);
		// Metadata comes from meta/*.md.
		const indicator = await db.kysely.selectFrom('indicator').selectAll().where('id', '=', '1-2-1').executeTakeFirstOrThrow();
		expect(indicator.name).not.toBe('1-2-1');
	});

	it('imports the same repository again without new revisions', async () => {
		const report = await importOpenSdgRepository(db, LA_SAMPLE, { author });
		expect(report.unchanged).toBe(14);
		expect(report.imported).toBe(0);
		expect((await listRevisions(db, '1-2-1')).length).toBe(1);
	});

	it('recomputes many indicators at once exactly as one by one', async () => {
		const ids = (await db.kysely.selectFrom('indicator').select('id').execute()).map((r) => r.id).sort();
		expect(ids.length).toBeGreaterThanOrEqual(14);
		// The LA sample switches progress off; switch it on so the comparison covers real scores.
		const original = await db.kysely.selectFrom('indicator').select(['id', 'progress_config']).execute();
		const measured = { origin: 'opensdg', auto_progress_calculation: true, progress_calculation_options: [{ direction: 'negative', base_year: 2015, target_year: 2030 }] };
		await db.kysely.updateTable('indicator').set({ progress_config: JSON.stringify(measured) }).execute();
		const batched = await recomputeProgressOfIndicators(db.kysely, ids);
		expect([...batched.keys()].sort()).toEqual(ids);
		expect(ids.filter((id) => batched.get(id)!.score !== null).length).toBeGreaterThan(3);
		// Compared as stored (JSON), where -0 and 0 are the same number.
		const asStored = (value: unknown) => JSON.parse(JSON.stringify(value));
		for (const id of ids) {
			expect(await readProgress(db.kysely, id)).toEqual(asStored(batched.get(id)));
			expect(asStored(await recomputeProgress(db.kysely, id))).toEqual(asStored(batched.get(id)));
		}
		for (const row of original) {
			await db.kysely.updateTable('indicator').set({ progress_config: row.progress_config }).where('id', '=', row.id).execute();
		}
		await recomputeProgressOfIndicators(db.kysely, ids);
	});

	it('exports the same format, and re-importing the export gives identical data and metadata', async () => {
		const out = tempDir('export');
		cleanup.push(out);
		const report = await exportOpenSdgRepository(db, out);
		expect(report.indicators).toBe(14);
		expect(fs.readdirSync(path.join(out, 'data')).sort()).toEqual(fs.readdirSync(path.join(LA_SAMPLE, 'data')).sort());
		expect(fs.readdirSync(path.join(out, 'meta')).sort()).toEqual(fs.readdirSync(path.join(LA_SAMPLE, 'meta')).sort());

		const second = await openTestDatabase(dialect);
		try {
			const again = await importOpenSdgRepository(second.db, out, { author });
			expect(again.failed).toBe(0);
			for (const id of Object.keys(LA_ROWS)) {
				expect(await snapshot(second.db, id), id).toEqual(await snapshot(db, id));
				const [a, b] = await Promise.all(
					[db, second.db].map((d) => d.kysely.selectFrom('indicator').select(['name', 'unit', 'metadata', 'progress_config', 'graph_type', 'reporting_status']).where('id', '=', id).executeTakeFirstOrThrow())
				);
				expect(JSON.parse(b!.metadata), id).toEqual(JSON.parse(a!.metadata));
				expect(b, id).toEqual(a);
			}
			// And the export of the re-import is byte-for-byte the first export.
			const out2 = tempDir('export2');
			cleanup.push(out2);
			await exportOpenSdgRepository(second.db, out2);
			for (const rel of report.files) expect(fs.readFileSync(path.join(out2, rel), 'utf8'), rel).toBe(fs.readFileSync(path.join(out, rel), 'utf8'));
		} finally {
			await second.close();
		}
	});

	it('rejects a broken file with file, line, column and fix, imports the others, and keeps earlier data', async () => {
		const repo = tempDir('broken');
		cleanup.push(repo);
		fs.cpSync(LA_SAMPLE, repo, { recursive: true });
		const file = path.join(repo, 'data/indicator_4-1-1.csv');
		const lines = fs.readFileSync(file, 'utf8').split(/\r\n|\n|\r/);
		const header = lines[0]!.split(',');
		const valueIndex = header.findIndex((h) => h.trim().replace(/"/g, '') === 'Value');
		const cells = lines[4]!.split(',');
		cells[valueIndex] = 'n/a%';
		lines[4] = cells.join(',');
		fs.writeFileSync(file, lines.join('\n'));
		fs.writeFileSync(path.join(repo, 'data/indicator_6-1-1.csv'), '');
		const before = await snapshot(db, '4-1-1');

		const report = await importOpenSdgRepository(db, repo, { author });
		const broken = report.outcomes.find((o) => o.indicatorId === '4-1-1')!;
		expect(broken.status).toBe('failed');
		expect(broken.errors[0]).toMatchObject({ file: 'data/indicator_4-1-1.csv', line: 5, column: 'Value' });
		expect(broken.errors[0]!.message).toContain('n/a%');
		expect(broken.errors[0]!.fix.length).toBeGreaterThan(10);
		const empty = report.outcomes.find((o) => o.indicatorId === '6-1-1')!;
		expect(empty.status).toBe('failed');
		expect(empty.errors[0]!.message).toMatch(/empty/i);
		expect(report.failed).toBe(2);
		expect(report.unchanged).toBe(12);
		expect(await snapshot(db, '4-1-1')).toEqual(before);
		expect((await listRevisions(db, '4-1-1')).length).toBe(1);
	});

	it('validates a dry run without changing anything', async () => {
		const report = await importOpenSdgRepository(db, LA_SAMPLE, { author, dryRun: true });
		expect(report.valid).toBe(14);
		expect(report.dryRun).toBe(true);
	});

	it('imports a single-indicator CSV as a revision with a diff, and rolls back', async () => {
		const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
		await seedRegion(db, pack);
		const id = 'poverty';
		const first = validateIndicatorCsv('Period,GeoCode,Value\n2015,,14.2\n2016,,13.9\n2017,,13.1\n2017,06067,15.0\n', 'poverty.csv');
		expect(first.errors).toEqual([]);
		const r1 = await publishIndicatorCsv(db, id, first, { author });
		expect(r1).toMatchObject({ number: 1, rowCount: 4, rowsAdded: 4, rowsRemoved: 0, rowsChanged: 0, isSample: false });

		const second = validateIndicatorCsv('Year,GeoCode,Value\n2016,,13.8\n2017,,13.1\n2018,,12.7\n', 'poverty-2.csv');
		const r2 = await publishIndicatorCsv(db, id, second, { author });
		expect(r2).toMatchObject({ number: 2, rowCount: 3, rowsAdded: 1, rowsRemoved: 2, rowsChanged: 1 });
		expect((await snapshot(db, id)).map((r) => r.period)).toEqual(['2016', '2017', '2018']);
		const progress = await readProgress(db.kysely, id);
		expect(progress?.series[0]?.current_year).toBe(2018);

		const bad = validateIndicatorCsv('Year,Value\n2019,12.1\n2020,twelve\n', 'bad.csv');
		expect(bad.errors[0]).toMatchObject({ line: 3, column: 'Value' });
		await expect(publishIndicatorCsv(db, id, bad, { author })).rejects.toThrow(/nothing was published/);
		expect((await listRevisions(db, id)).length).toBe(2);

		const r3 = await rollbackToRevision(db, id, 1, author, recompute);
		expect(r3).toMatchObject({ number: 3, kind: 'rollback', rowCount: 4, rowsAdded: 2, rowsRemoved: 1, rowsChanged: 1 });
		expect((await snapshot(db, id)).map((r) => r.period)).toEqual(['2015', '2016', '2017', '2017']);
		expect((await readProgress(db.kysely, id))?.series[0]?.current_year).toBe(2017);
		expect(await rollbackToRevision(db, id, 99, author, recompute)).toBeUndefined();
	});

	it('numbers concurrent publishes of one indicator one after another, each diffed against the one before', async () => {
		const id = 'unemployment';
		const before = (await listRevisions(db, id)).length;
		const uploads = Array.from({ length: 6 }, (_, i) => validateIndicatorCsv(`Year,Value\n2020,${i}.5\n2021,${i}.7\n`, `concurrent-${i}.csv`));
		const results = await Promise.all(uploads.map((upload) => publishIndicatorCsv(db, id, upload, { author })));
		expect(results.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 6 }, (_, i) => before + i + 1));
		const revisions = await listRevisions(db, id);
		expect(revisions.length).toBe(before + 6);
		// Every publish after the first of the burst saw its predecessor: two rows changed, none added or removed.
		const burst = results.sort((a, b) => a.number - b.number).slice(1);
		for (const r of burst) expect(r).toMatchObject({ rowsAdded: 0, rowsRemoved: 0, rowsChanged: 2 });
	});

	it('refuses an upload over the size limit before parsing, naming the limit', () => {
		const result = validateIndicatorCsv(Buffer.alloc(2048, 'a'), 'huge.csv', {}, 1024);
		expect(result.rows).toEqual([]);
		expect(result.errors[0]!.message).toBe('The file is 2 KB, over the 1 KB limit for one upload.');
	});
});
