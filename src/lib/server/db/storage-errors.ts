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

/**
 * PostgreSQL codes that mean the database itself cannot be used: it does not exist (dropped),
 * the server shut the connection (57P01–57P03), or no connection can be made (class 08).
 */
const PG_UNAVAILABLE = new Set(['3D000', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT']);

/** True when `error` says the database server or the database is gone, not that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && (PG_UNAVAILABLE.has(code) || code.startsWith('08'))) return true;
		const message = (e as { message?: unknown }).message;
		// node-postgres's own words when the server ends a connection under a query.
		if (typeof message === 'string' && /^Connection terminated/.test(message)) return true;
	}
	return false;
}

/** The line for the server log when the database cannot be used. */
export function databaseUnavailableLogLine(what: string, location: string, error: unknown): string {
	const detail = error instanceof Error ? error.message : String(error);
	return `${what} failed: the database ${location} cannot be used (${detail}). If it was dropped, restore it from a backup (pg_restore) or create it and run "sac2050 migrate"; if the server is down, start it.`;
}
