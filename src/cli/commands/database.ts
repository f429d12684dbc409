import path from 'node:path';
import os from 'node:os';
import type { Command } from 'commander';
import { openDatabase, type Db, type OpenOptions } from '#lib/server/db/connect.ts';
import { recordInstallation, type InstallationReport } from '#lib/server/db/installation.ts';
import { isCatalogEmpty } from '#lib/region/server/seed.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { backupSqlite } from '#lib/server/db/backup.ts';
import { loadRegionPack, regionPackDir } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { describeSampleRemoval, removeSampleData } from '#lib/region/server/sample.ts';
import { action } from '../run.ts';

/** Opens the configured database, runs `fn`, and always closes it. */
export async function withDatabase<T>(fn: (db: Db) => Promise<T>, options: OpenOptions = {}): Promise<T> {
	const db = await openDatabase(undefined, options);
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

export const NEW_DATABASE_OPTION = [
	'--new-database',
	'start a new, empty database even where one was installed before and is now missing (its data is not in the new one)'
] as const;

/**
 * Migrates, then records which database is installed here (installation.ts), refusing an
 * empty one in place of a vanished one unless `allowNew`. A new database in place of an
 * installed one is said loudly.
 */
export async function prepareDatabase(db: Db, allowNew: boolean): Promise<{ applied: string[]; installation: InstallationReport }> {
	const { applied } = await migrateToLatest(db);
	const installation = await recordInstallation(db, { allowNew, isEmpty: () => isCatalogEmpty(db) });
	const previous = installation.previous;
	if (previous) {
		console.error(
			allowNew
				? `sac2050: NEW DATABASE at ${db.location} (--new-database): the database installed there on ${previous.created_at} is not this one; its accounts and data are not in the new database.`
				: `sac2050: note: ${db.location} is not the database installed there on ${previous.created_at} (another installation's, restored here); Sac2050 uses it and records it as this installation's database.`
		);
	}
	return { applied, installation };
}

export function registerDatabaseCommands(program: Command): void {
	program
		.command('migrate')
		.description('apply database migrations that have not run yet')
		.option(...NEW_DATABASE_OPTION)
		.action(
			action(async (opts: { newDatabase?: boolean }) => {
				const allowNew = opts.newDatabase ?? false;
				await withDatabase(async (db) => {
					const { applied } = await prepareDatabase(db, allowNew);
					console.log(applied.length ? `Applied ${applied.join(', ')} on ${db.location}.` : `${db.location} is up to date.`);
				}, { allowNew });
			})
		);

	program
		.command('seed')
		.description("load the region pack (areas, indicators, geographies) and its sample data where an indicator has none")
		.option('--no-sample', 'load the region pack without its sample data')
		.action(
			action(async (opts: { sample: boolean }) => {
				const pack = loadRegionPack(regionPackDir());
				await withDatabase(async (db) => {
					await prepareDatabase(db, false);
					const report = await seedRegion(db, pack, { sample: opts.sample && pack.settings.sampleData });
					console.log(
						`Region "${pack.settings.name}": ${report.areas} areas, ${report.indicators} indicators, ${report.geographies} geographies added; sample data loaded for ${report.sampleSeries} indicators and ${report.sampleDirectory} directory records.`
					);
				});
			})
		);

	program
		.command('sample')
		.description("the region pack's illustrative sample data")
		.command('remove')
		.description('remove all sample data (sample series and sample targets); real data and the catalog stay as they are')
		.action(
			action(async () => {
				await withDatabase(async (db) => {
					await prepareDatabase(db, false);
					const removed = await removeSampleData(db, `cli:${os.userInfo().username}`);
					console.log(`${db.location}: ${describeSampleRemoval(removed)}`);
					if (removed.indicators.length > 0) console.log('To keep it out when the site starts, set sample_data: false in region/region.yml or start with "serve --no-sample".');
				});
			})
		);

	program
		.command('backup')
		.description('write a consistent copy of the SQLite database to <file> while Sac2050 runs')
		.argument('<file>', 'where to write the backup')
		.action(
			action(async (file: string) => {
				await withDatabase(async (db) => {
					const target = path.resolve(file);
					await backupSqlite(db, target);
					console.log(`Backed up ${db.location} to ${target}.`);
				});
			})
		);
}
