import fs from 'node:fs';
import { UserFacingError } from '../errors.ts';

/**
 * The SQLite file a running Sac2050 holds open can be deleted or replaced under it (an
 * `rm`, a restore copied over it, a cleanup of the data folder). SQLite keeps working on the
 * open file, which no longer has a name: every read and write still succeeds, and all of it
 * is lost when the process ends. The guard notices by comparing the file's identity (device
 * and inode) with the one opened, on a schedule and before every write transaction, and from
 * then on refuses writes.
 */

export interface FileIdentity {
	dev: number;
	ino: number;
}

export type FileChange = 'deleted' | 'replaced';

/** The identity of the file at `file` now, or undefined when there is none. */
export function fileIdentity(file: string): FileIdentity | undefined {
	try {
		const { dev, ino } = fs.statSync(file);
		return { dev, ino };
	} catch {
		return undefined;
	}
}

/** How the file at the database's path differs from the one opened, if it does. */
export function compareIdentity(opened: FileIdentity, now: FileIdentity | undefined): FileChange | undefined {
	if (!now) return 'deleted';
	return now.dev === opened.dev && now.ino === opened.ino ? undefined : 'replaced';
}

/** Thrown for a write after the database file was deleted or replaced; its message is for the operator. */
export class DatabaseFileGoneError extends UserFacingError {
	override name = 'DatabaseFileGoneError';
	readonly file: string;
	readonly change: FileChange;
	constructor(file: string, change: FileChange) {
		super(databaseFileGoneMessage(file, change));
		this.file = file;
		this.change = change;
	}
}

export function databaseFileGoneMessage(file: string, change: FileChange): string {
	const what = change === 'deleted' ? 'was deleted' : 'was replaced by another file';
	return `The SQLite database file ${file} ${what} while Sac2050 had it open: writes are refused from now on, because nothing written now would be kept. Stop Sac2050, put the database file back (restore your latest backup or the rescue copy this server writes next to it), then start Sac2050 again.`;
}

/** The refusal in `error`, or in what caused it, when a write was refused because the database file is gone. */
export function databaseFileGone(error: unknown): DatabaseFileGoneError | undefined {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		if (e instanceof DatabaseFileGoneError) return e;
	}
	return undefined;
}

/** How often the file is looked at when nothing writes. */
export const FILE_CHECK_INTERVAL_MS = 3_000;

export interface FileGuard {
	/** Looks at the file now; the change once one has been seen (it stays: the open file is not the named one any more). */
	check(): FileChange | undefined;
	/** Throws DatabaseFileGoneError when the file is gone. */
	assertPresent(): void;
	stop(): void;
}

/**
 * Watches `file`, opened with identity `opened`. `onGone` runs once, when the change is first
 * seen (by the schedule or by a write), to say so in the log and keep a copy of the data.
 */
export function guardDatabaseFile(
	file: string,
	opened: FileIdentity,
	onGone: (change: FileChange) => void,
	intervalMs = FILE_CHECK_INTERVAL_MS
): FileGuard {
	let gone: FileChange | undefined;
	const check = (): FileChange | undefined => {
		if (gone) return gone;
		const change = compareIdentity(opened, fileIdentity(file));
		if (change) {
			gone = change;
			clearInterval(timer);
			onGone(change);
		}
		return gone;
	};
	const timer = setInterval(check, intervalMs);
	timer.unref();
	return {
		check,
		assertPresent() {
			const change = check();
			if (change) throw new DatabaseFileGoneError(file, change);
		},
		stop: () => clearInterval(timer)
	};
}

/** Where the rescue copy of a vanished database goes: next to it, never over anything. */
export function rescueCopyPath(file: string, now = new Date()): string {
	return `${file}.rescued-${now.toISOString().replace(/[:.]/g, '-')}`;
}
