/**
 * Storage failures told apart from other database errors, so that the person who hit one
 * hears the cause ("the disk is full") instead of a bare 500.
 */

/** True when `error` (or what caused it) says the disk or the database is full: SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100), ENOSPC. */
export function isDiskFull(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return true;
	}
	return false;
}

/** The line for the server log when a write failed because the disk is full. */
export function diskFullLogLine(what: string, location: string, error: unknown): string {
	const detail = error instanceof Error ? error.message : String(error);
	return `${what} failed: the disk is full (database ${location}: ${detail}). Nothing was changed; free space on the disk, then try again.`;
}
