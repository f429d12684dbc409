import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { fromFlag, fromJson, now, toCount, toFlag, toJson } from '#lib/server/db/values.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { isCatalogEmpty, seedRegion } from '#lib/region/server/seed.ts';
import { listAreasWithIndicators, getIndicator, hasSampleData } from '#lib/indicators/server/catalog.ts';
import { DIALECTS, PROJECT_DIR, openTestDatabase } from '../support/databases.ts';
import path from 'node:path';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));

describe.each(DIALECTS)('database on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
	});
	afterAll(async () => close());

	it('is on the dialect under test', () => {
		expect(db.dialect).toBe(dialect);
	});

	it('applies migrations once; a second run changes nothing', async () => {
		const again = await migrateToLatest(db);
		expect(again.applied).toEqual([]);
	});

	it('reads values back the same way on both dialects', async () => {
		const timestamp = now();
		await db.kysely
			.insertInto('area')
			.values({ id: 'probe', position: 99, name: 'Probe', question: '', description: '', translations: toJson({ es: { name: 'Sonda' } }) })
			.execute();
		await db.kysely
			.insertInto('indicator')
			.values({
				id: 'probe-indicator',
				area_id: 'probe',
				position: 0,
				name: 'Probe',
				description: '',
				unit: 'percent',
				direction: 'positive',
				source_name: '',
				source_url: '',
				translations: '{}',
				metadata: toJson({ nested: { list: [1, 2.5] } }),
				progress_config: '{}',
				graph_type: 'line',
				reporting_status: 'complete',
				is_sample: toFlag(true),
				current_revision_id: null,
				created_at: timestamp,
				updated_at: timestamp
			})
			.execute();
		const row = await db.kysely.selectFrom('indicator').selectAll().where('id', '=', 'probe-indicator').executeTakeFirstOrThrow();
		expect(fromFlag(row.is_sample)).toBe(true);
		expect(typeof row.is_sample).toBe('number');
		expect(fromJson(row.metadata, {})).toEqual({ nested: { list: [1, 2.5] } });
		expect(row.created_at).toBe(timestamp);
		const counted = await db.kysely.selectFrom('indicator').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
		expect(toCount(counted.n)).toBe(1);
		const numeric = await sql<{ v: number }>`select cast(1.10 as numeric) as v`.execute(db.kysely);
		expect(Number(numeric.rows[0]!.v)).toBe(1.1);
		await db.kysely.deleteFrom('indicator').execute();
		await db.kysely.deleteFrom('area').execute();
	});

	it('loads the region pack with its sample data on first start, and only once', async () => {
		expect(await isCatalogEmpty(db)).toBe(true);
		const first = await seedRegion(db, pack);
		expect(first.areas).toBe(6);
		expect(first.indicators).toBe(50);
		expect(first.geographies).toBe(6);
		expect(first.sampleSeries).toBe(pack.demoSeries.length);
		expect(first.sampleSeries).toBeGreaterThanOrEqual(12);

		const second = await seedRegion(db, pack);
		expect(second).toEqual({ geographies: 0, areas: 0, indicators: 0, sampleSeries: 0, targets: 0, sampleDirectory: 0, sampleStories: 0 });
		expect(await isCatalogEmpty(db)).toBe(false);
	});

	it('lists the six areas in order with computed labels, and marks sample data', async () => {
		const areas = await listAreasWithIndicators(db, 'en');
		expect(areas.map((a) => a.id)).toEqual(pack.areas.map((a) => a.slug));
		const indicators = areas.flatMap((a) => a.indicators);
		expect(indicators).toHaveLength(50);
		const samples = indicators.filter((i) => i.isSample);
		expect(samples.map((i) => i.id).sort()).toEqual(pack.demoSeries.map((d) => d.indicator).sort());
		// Indicators without data are never given a made-up status.
		for (const i of indicators.filter((x) => !x.isSample)) expect(i.label).toBe('not_reported');
		// Sample series are computed: the pack's series show more than one kind of trend.
		expect(new Set(samples.map((i) => i.label)).size).toBeGreaterThan(1);
		expect(await hasSampleData(db)).toBe(true);
	});

	it('serves translated names from the data model', async () => {
		const [en] = await listAreasWithIndicators(db, 'en');
		const [es] = await listAreasWithIndicators(db, 'es');
		expect(en!.name).toBe(pack.areas[0]!.name);
		expect(es!.name).toBe(pack.areas[0]!.translations?.es?.name);
		expect(es!.name).not.toBe(en!.name);
	});

	it('reads an indicator with its current observations', async () => {
		const id = pack.demoSeries[0]!.indicator;
		const indicator = await getIndicator(db, id, 'en');
		expect(indicator?.isSample).toBe(true);
		expect(indicator?.observations.length).toBeGreaterThan(5);
		expect(await getIndicator(db, 'no-such-indicator', 'en')).toBeUndefined();
	});
});
