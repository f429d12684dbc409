import { Migrator, type Migration } from 'kysely/migration';
import { UserFacingError } from '../errors.ts';
import type { Db } from './connect.ts';
import { catalogAndData } from './migrations/001-catalog-and-data.ts';
import { search } from './migrations/002-search.ts';
import { accounts } from './migrations/003-accounts.ts';
import { pageCache } from './migrations/004-page-cache.ts';
import { targetOrigin } from './migrations/005-target-origin.ts';
import { directory } from './migrations/006-directory.ts';
import { statusTypes } from './migrations/007-status-types.ts';
import { uploadDuplicates } from './migrations/008-upload-duplicates.ts';
import { directoryRepresentatives } from './migrations/009-directory-representatives.ts';
import { stories } from './migrations/010-stories.ts';

/** The one numbered migration set, for both dialects. Append; never edit a released one. */
function migrations(db: Db): Record<string, Migration> {
	return {
		'001-catalog-and-data': catalogAndData(db.dialect),
		'002-search': search(db.dialect),
		'003-accounts': accounts(db.dialect),
		'004-page-cache': pageCache(),
		'005-target-origin': targetOrigin(),
		'006-directory': directory(db.dialect),
		'007-status-types': statusTypes(),
		'008-upload-duplicates': uploadDuplicates(),
		'009-directory-representatives': directoryRepresentatives(),
		'010-stories': stories(db.dialect)
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
