/**
 * Takes the region pack's illustrative sample data out of a database: the sample revisions
 * of every indicator (an indicator then shows its latest real revision, or no data), and the
 * sample targets and the sample stories. Real data, edits and the catalog stay as they are.
 */
import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag } from '#lib/server/db/values.ts';
import { recordSystemAction } from '#lib/server/audit/log.ts';
import { recomputeProgressOfIndicators } from '#lib/indicators/server/progress-store.ts';
import { removeSampleDirectory, type SampleDirectoryCounts } from '#lib/directory/server/sample.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import { rebuildSearchIndex } from '#lib/search/server/index.ts';
import { removeSampleStories } from '#lib/stories/server/sample.ts';

export interface SampleRemoval {
	/** Indicators that showed sample data, in id order. */
	indicators: string[];
	revisions: number;
	targets: number;
	/** Sample directory records deleted, and those kept because real records refer to them. */
	directory: SampleDirectoryCounts & { kept: string[] };
	/** Sample stories removed, in id order. */
	stories: string[];
}

/** Removes every sample revision and sample target in one transaction, audited as `who`. */
export async function removeSampleData(db: Db, who: string): Promise<SampleRemoval> {
	const removed = await db.kysely.transaction().execute(async (trx) => {
		const revisions = await trx.selectFrom('revision').select(['id', 'indicator_id']).where('is_sample', '=', 1).execute();
		const indicators = [...new Set(revisions.map((r) => r.indicator_id))].sort();
		const ids = revisions.map((r) => r.id);
		for (let i = 0; i < ids.length; i += 500) {
			const chunk = ids.slice(i, i + 500);
			await trx.deleteFrom('observation').where('revision_id', 'in', chunk).execute();
			await trx.deleteFrom('revision').where('id', 'in', chunk).execute();
		}
		for (const id of indicators) {
			const latest = await trx
				.selectFrom('revision')
				.select(['id', 'is_sample'])
				.where('indicator_id', '=', id)
				.orderBy('number', 'desc')
				.limit(1)
				.executeTakeFirst();
			await trx
				.updateTable('indicator')
				.set({ current_revision_id: latest?.id ?? null, is_sample: latest && fromFlag(latest.is_sample) ? 1 : 0 })
				.where('id', '=', id)
				.execute();
			// Series that only the sample data had are gone with it.
			await trx
				.deleteFrom('series')
				.where('indicator_id', '=', id)
				.where((eb) => eb.not(eb.exists(eb.selectFrom('observation as o').select('o.series_id').whereRef('o.series_id', '=', 'series.id'))))
				.execute();
		}
		const targets = Number((await trx.deleteFrom('target').where('is_sample', '=', 1).executeTakeFirst()).numDeletedRows);
		// Stories first: a sample story may name a sample organization as its author.
		const stories = await removeSampleStories(trx);
		const directory = await removeSampleDirectory(trx);
		const directoryRecords = directoryTotal(directory);
		if (indicators.length > 0) await recomputeProgressOfIndicators(trx, indicators);
		if (indicators.length > 0 || targets > 0 || directoryRecords > 0 || stories.length > 0) {
			await recordSystemAction(trx, who, 'sample.remove', {
				subjectType: 'region',
				subjectId: 'sample-data',
				summary: `Removed the sample data of ${indicators.length} indicators (${ids.length} revisions), ${targets} sample targets, ${directoryRecords} sample directory records and ${stories.length} sample stories`,
				before: { indicators, revisions: ids.length, targets, directory, stories },
				after: null
			});
			await bumpDataVersion(db, trx);
		}
		return { indicators, revisions: ids.length, targets, directory, stories };
	});
	// Sample organizations, programs and policies leave the site search with the data.
	if (directoryTotal(removed.directory) > 0) await rebuildSearchIndex(db);
	return removed;
}

function directoryTotal(counts: SampleDirectoryCounts): number {
	return counts.organizations + counts.programs + counts.policies + counts.funding + counts.links;
}

/** One line for the command line: what was removed. */
export function describeSampleRemoval(removed: SampleRemoval): string {
	const directory = directoryTotal(removed.directory);
	if (removed.indicators.length === 0 && removed.targets === 0 && directory === 0 && removed.stories.length === 0) return 'there was no sample data; nothing changed.';
	const kept = removed.directory.kept.length
		? ` Kept ${removed.directory.kept.join(', ')}: real records refer to ${removed.directory.kept.length === 1 ? 'it' : 'them'}.`
		: '';
	return `removed the sample data of ${removed.indicators.length} indicators (${removed.revisions} revisions), ${removed.targets} sample targets, ${directory} sample directory records and ${removed.stories.length} sample stories; real data is unchanged.${kept}`;
}
