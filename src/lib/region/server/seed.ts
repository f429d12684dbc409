import { createHash } from 'node:crypto';
import type { Db } from '#lib/server/db/connect.ts';
import { now, toJson } from '#lib/server/db/values.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { formatIssue, parseIndicatorCsv } from '#lib/indicators/opensdg/data-csv.ts';
import { toObservationInputs } from '#lib/indicators/server/import-rows.ts';
import { publishRevision } from '#lib/indicators/server/store.ts';
import { recomputeProgress } from '#lib/indicators/server/progress-store.ts';
import type { RegionPack } from '../pack.ts';
import { loadSampleDirectory } from '#lib/directory/server/sample.ts';
import { rebuildSearchIndex } from '#lib/search/server/index.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import { readSampleStories, seedSampleStories } from '#lib/stories/server/sample.ts';

export interface SeedReport {
	geographies: number;
	areas: number;
	indicators: number;
	sampleSeries: number;
	targets: number;
	/** Sample directory records added (organizations, programs, policies, funding, links). */
	sampleDirectory: number;
	/** Sample stories added (demo/stories.yml). */
	sampleStories: number;
}

export const SEED_AUTHOR = 'region pack';

export async function isCatalogEmpty(db: Db): Promise<boolean> {
	const row = await db.kysely.selectFrom('area').select('id').limit(1).executeTakeFirst();
	return row === undefined;
}

/**
 * Loads the region pack: adds geographies, areas and indicators that are not in the
 * database yet (edits made since are kept), and — unless `sample` is false (by default the
 * pack's `sample_data`) — its sample series for indicators that have no data of their own,
 * its sample targets and its sample stories. Safe to run again.
 */
export async function seedRegion(db: Db, pack: RegionPack, options: { sample?: boolean } = {}): Promise<SeedReport> {
	const report: SeedReport = { geographies: 0, areas: 0, indicators: 0, sampleSeries: 0, targets: 0, sampleDirectory: 0, sampleStories: 0 };
	const sample = options.sample ?? pack.settings.sampleData;
	const timestamp = now();

	await db.kysely.transaction().execute(async (trx) => {
		for (const [position, g] of pack.geographies.entries()) {
			const inserted = await trx
				.insertInto('geography')
				.values({ code: g.code, name: g.name, kind: g.kind, position, translations: toJson(g.translations ?? {}) })
				.onConflict((oc) => oc.column('code').doNothing())
				.executeTakeFirst();
			report.geographies += Number(inserted.numInsertedOrUpdatedRows ?? 0);
		}
		for (const [position, a] of pack.areas.entries()) {
			const inserted = await trx
				.insertInto('area')
				.values({
					id: a.slug,
					position,
					name: a.name,
					question: a.question,
					description: a.description ?? '',
					translations: toJson(a.translations ?? {})
				})
				.onConflict((oc) => oc.column('id').doNothing())
				.executeTakeFirst();
			report.areas += Number(inserted.numInsertedOrUpdatedRows ?? 0);
		}
		for (const [position, i] of pack.indicators.entries()) {
			const inserted = await trx
				.insertInto('indicator')
				.values({
					id: i.slug,
					area_id: i.area,
					position,
					name: i.name,
					description: i.description ?? '',
					unit: i.unit ?? '',
					direction: i.direction ?? null,
					source_name: i.source?.name ?? '',
					source_url: i.source?.url ?? '',
					translations: toJson(i.translations ?? {}),
					metadata: '{}',
					progress_config: toJson({ origin: 'region' }),
					graph_type: 'line',
					reporting_status: 'notstarted',
					is_sample: 0,
					current_revision_id: null,
					created_at: timestamp,
					updated_at: timestamp
				})
				.onConflict((oc) => oc.column('id').doNothing())
				.executeTakeFirst();
			report.indicators += Number(inserted.numInsertedOrUpdatedRows ?? 0);
		}
		for (const t of sample ? pack.demoTargets : []) {
			const existing = await trx.selectFrom('target').select('id').where('indicator_id', '=', t.indicator).executeTakeFirst();
			if (existing) continue;
			await trx
				.insertInto('target')
				.values({
					indicator_id: t.indicator,
					series_key: '',
					value: t.value,
					year: t.year,
					source: t.source,
					note: 'Illustrative sample target, not adopted.',
					is_sample: 1,
					created_at: timestamp
				})
				.execute();
			report.targets++;
		}
	});

	for (const demo of sample ? pack.demoSeries : []) {
		const indicator = await db.kysely
			.selectFrom('indicator')
			.select('current_revision_id')
			.where('id', '=', demo.indicator)
			.executeTakeFirst();
		if (!indicator || indicator.current_revision_id) continue;
		const parsed = parseIndicatorCsv(demo.csvText, demo.file);
		const firstError = parsed.errors[0];
		if (firstError) {
			throw new UserFacingError(`Region pack sample data ${formatIssue(firstError)}`);
		}
		await publishRevision(
			db,
			{
				indicatorId: demo.indicator,
				kind: 'seed',
				author: SEED_AUTHOR,
				source: demo.file,
				checksum: createHash('sha256').update(demo.csvText).digest('hex'),
				columns: parsed.columns,
				rows: toObservationInputs(parsed.rows),
				isSample: true,
				note: 'Illustrative sample data from the region pack, not official statistics.'
			},
			(trx, id, rows) => recomputeProgress(trx, id, rows).then(() => undefined)
		);
		report.sampleSeries++;
	}

	if (sample && pack.demoDirectory) {
		const added = await loadSampleDirectory(db, pack.demoDirectory, SEED_AUTHOR);
		report.sampleDirectory = Object.values(added).reduce((sum, n) => sum + n, 0);
	}
	// After the sample series: an embedded chart keeps the values the story was published with.
	if (sample) report.sampleStories = await seedSampleStories(db, readSampleStories(pack.dir, new Set(pack.indicators.map((i) => i.slug))));

	// Indicators without data still get a stored "not reported" status.
	const withoutProgress = await db.kysely
		.selectFrom('indicator')
		.leftJoin('progress', 'progress.indicator_id', 'indicator.id')
		.select('indicator.id')
		.where('progress.indicator_id', 'is', null)
		.execute();
	for (const { id } of withoutProgress) await recomputeProgress(db.kysely, id);
	await rebuildSearchIndex(db);
	await bumpDataVersion(db);
	return report;
}
