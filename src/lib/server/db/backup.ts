import fs from 'node:fs';
import path from 'node:path';
import { UserFacingError } from '../errors.ts';
import type { Db } from './connect.ts';

/** SQLite online backup: consistent even while the server writes. PostgreSQL has pg_dump. */
export async function backupSqlite(db: Db, target: string): Promise<void> {
	if (db.dialect !== 'sqlite' || !db.sqlite) {
		throw new UserFacingError(
			`backup copies the embedded SQLite database; ${db.location} is PostgreSQL: use pg_dump, for example pg_dump --format=custom --file=sac2050.dump "$DATABASE_URL".`
		);
	}
	if (path.resolve(target) === path.resolve(db.location)) {
		throw new UserFacingError('The backup file must not be the database itself: name another file.');
	}
	try {
		fs.mkdirSync(path.dirname(target), { recursive: true });
		await db.sqlite.backup(target);
	} catch (error) {
		throw new UserFacingError(`Cannot write the backup to ${target}: ${(error as Error).message}. Choose a writable location.`);
	}
}
