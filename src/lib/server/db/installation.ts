import crypto from 'node:crypto';
import fs from 'node:fs';
import { UserFacingError } from '../errors.ts';
import type { Db } from './connect.ts';

/**
 * Tells a first install from a database that vanished. When Sac2050 first prepares a SQLite
 * database it gives it an installation id, kept inside the database (setting
 * `installation`) and in a marker file next to it (`<database>.installed`). A later start
 * that finds the marker but no database file, or a database without that id, knows a
 * database existed here and refuses to start over empty (and seed sample data) unless told
 * to with --new-database.
 */

export interface Installation {
	id: string;
	created_at: string;
}

const SETTING_KEY = 'installation';

export function markerFile(databaseFile: string): string {
	return `${databaseFile}.installed`;
}

/** The marker next to `databaseFile`; an unreadable one still says a database was installed here. */
export function readMarker(databaseFile: string): Installation | undefined {
	let text: string;
	try {
		text = fs.readFileSync(markerFile(databaseFile), 'utf8');
	} catch {
		return undefined;
	}
	try {
		const value = JSON.parse(text) as Partial<Installation>;
		if (typeof value.id === 'string' && typeof value.created_at === 'string') return { id: value.id, created_at: value.created_at };
	} catch {
		// Not JSON: still a marker.
	}
	return { id: '', created_at: 'an unknown date' };
}

function writeMarker(databaseFile: string, installation: Installation): void {
	const text = `${JSON.stringify({ ...installation, database: databaseFile, note: 'Written by Sac2050: says a database was installed here. Delete it only together with the database.' }, null, '\t')}\n`;
	fs.writeFileSync(markerFile(databaseFile), text);
}

const HOW_TO_PROCEED = (file: string) =>
	`Put the database back (stop anything using it, copy your latest backup to ${file}), then start again; or, to begin with a new, empty database and the sample data, run "sac2050 serve --new-database" (or "sac2050 migrate --new-database").`;

/** Refuses to create a database where the marker says one existed, unless `allowNew`. Runs before the file is opened (opening creates it). */
export function assertNotVanished(databaseFile: string, allowNew: boolean): void {
	if (allowNew || fs.existsSync(databaseFile)) return;
	const marker = readMarker(databaseFile);
	if (!marker) return;
	throw new UserFacingError(
		`The SQLite database ${databaseFile} is missing, but ${markerFile(databaseFile)} says Sac2050 was installed there on ${marker.created_at}: the database file was deleted or moved, and starting now would begin with an empty one. ${HOW_TO_PROCEED(databaseFile)}`
	);
}

async function readInstallation(db: Db): Promise<Installation | undefined> {
	const row = await db.kysely.selectFrom('setting').select('value').where('key', '=', SETTING_KEY).executeTakeFirst();
	if (!row) return undefined;
	try {
		const value = JSON.parse(row.value) as Installation;
		return typeof value.id === 'string' ? value : undefined;
	} catch {
		return undefined;
	}
}

export interface InstallationReport {
	/** No database was installed here before: a first start. */
	first: boolean;
	/** The installation the marker named when the database now here is another one (--new-database, or a backup from elsewhere). */
	previous?: Installation;
}

/**
 * After migrations: gives the database its installation id if it has none and writes the
 * marker (SQLite). Refuses a database without the marker's id that holds nothing yet (a new,
 * empty file where the installed one was), unless `allowNew`. A database with data of its own
 * and another id (a backup from another installation) is taken as it is.
 */
export async function recordInstallation(db: Db, options: { allowNew: boolean; isEmpty: () => Promise<boolean> }): Promise<InstallationReport> {
	const inside = await readInstallation(db);
	const file = db.dialect === 'sqlite' ? db.location : undefined;
	const marker = file ? readMarker(file) : undefined;
	if (file && marker && marker.id !== inside?.id && !options.allowNew && (await options.isEmpty())) {
		throw new UserFacingError(
			`The SQLite database ${file} is empty, but ${markerFile(file)} says a Sac2050 database was installed there on ${marker.created_at}: the file was replaced by a new one. ${HOW_TO_PROCEED(file)}`
		);
	}
	let installation = inside;
	if (!installation) {
		installation = { id: crypto.randomUUID(), created_at: new Date().toISOString() };
		await db.kysely
			.insertInto('setting')
			.values({ key: SETTING_KEY, value: JSON.stringify(installation), updated_at: installation.created_at })
			.execute();
	}
	if (file && marker?.id !== installation.id) writeMarker(file, installation);
	return { first: !marker && !inside, previous: marker && marker.id !== installation.id ? marker : undefined };
}
