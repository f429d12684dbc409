import { Migrator, type Migration } from 'kysely/migration';
import { UserFacingError } from '../errors.ts';
import type { Db } from './connect.ts';
import { catalogAndData } from './migrations/001-catalog-and-data.ts';

/** The one numbered migration set, for both dialects. Append; never edit a released one. */
function migrations(db: Db): Record<string, Migration> {
	return {
		'001-catalog-and-data': catalogAndData(db.dialect)
	};
}

export interface MigrationReport {
	applied: string[];
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
	const migrator = new Migrator({
		db: db.kysely,
		provider: { getMigrations: async () => migrations(db) }
	});
	const { error, results } = await migrator.migrateToLatest();
	const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
	if (error) {
		const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new UserFacingError(
			`Database migration ${failed} failed on ${db.location}: ${(error as Error).message ?? String(error)}. Nothing of that migration was kept; restore a backup or report the problem.`
		);
	}
	return { applied };
}
