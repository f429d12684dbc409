import path from 'node:path';
import type { Command } from 'commander';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { backupSqlite } from '#lib/server/db/backup.ts';
import { loadRegionPack, regionPackDir } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { action } from '../run.ts';

/** Opens the configured database, runs `fn`, and always closes it. */
export async function withDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T> {
	const db = await openDatabase();
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

export function registerDatabaseCommands(program: Command): void {
	program
		.command('migrate')
		.description('apply database migrations that have not run yet')
		.action(
			action(async () => {
				await withDatabase(async (db) => {
					const { applied } = await migrateToLatest(db);
					console.log(applied.length ? `Applied ${applied.join(', ')} on ${db.location}.` : `${db.location} is up to date.`);
				});
			})
		);

	program
		.command('seed')
		.description("load the region pack (areas, indicators, geographies) and its sample data where an indicator has none")
		.action(
			action(async () => {
				const pack = loadRegionPack(regionPackDir());
				await withDatabase(async (db) => {
					await migrateToLatest(db);
					const report = await seedRegion(db, pack);
					console.log(
						`Region "${pack.settings.name}": ${report.areas} areas, ${report.indicators} indicators, ${report.geographies} geographies added; sample data loaded for ${report.sampleSeries} indicators.`
					);
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
