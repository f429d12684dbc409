import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '#lib/server/db/connect.ts';
import { FILE_NAMES, serializeDirectoryFile } from '../exchange.ts';
import { funding, links, organizations, policies, programsAdapter } from './records.ts';

function byKey<T>(records: T[], key: (record: T) => string): T[] {
	return records.map((r) => [key(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

export interface DirectoryExportReport {
	dir: string;
	files: string[];
	counts: { organizations: number; programs: number; policies: number; funding: number; links: number };
}

/**
 * `sac2050 export directory <dir>`: the whole directory as the five files of the exchange
 * format, records ordered by id, so that importing them elsewhere gives the same data and
 * exporting that again gives the same files.
 */
export async function exportDirectory(db: Db, dir: string): Promise<DirectoryExportReport> {
	fs.mkdirSync(dir, { recursive: true });
	const programs = programsAdapter(db);
	// Sorted here, not by the database: collations differ between SQLite and PostgreSQL.
	const records = {
		organizations: byKey(await organizations.readAll(db.kysely), organizations.key),
		programs: byKey(await programs.readAll(db.kysely), programs.key),
		policies: byKey(await policies.readAll(db.kysely), policies.key),
		funding: byKey(await funding.readAll(db.kysely), funding.key),
		links: byKey(await links.readAll(db.kysely), links.key)
	};
	const texts = {
		organizations: serializeDirectoryFile('organizations', records.organizations),
		programs: serializeDirectoryFile('programs', records.programs),
		policies: serializeDirectoryFile('policies', records.policies),
		funding: serializeDirectoryFile('funding', records.funding),
		links: serializeDirectoryFile('links', records.links)
	};
	const files: string[] = [];
	for (const [kind, text] of Object.entries(texts) as Array<[keyof typeof texts, string]>) {
		// Written beside, then renamed: an interrupted export never leaves half a file.
		const target = path.join(dir, FILE_NAMES[kind]);
		fs.writeFileSync(`${target}.tmp`, text);
		fs.renameSync(`${target}.tmp`, target);
		files.push(FILE_NAMES[kind]);
	}
	return {
		dir,
		files,
		counts: {
			organizations: records.organizations.length,
			programs: records.programs.length,
			policies: records.policies.length,
			funding: records.funding.length,
			links: records.links.length
		}
	};
}
