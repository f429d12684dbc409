/**
 * `sac2050 import directory <dir>`: reads the exchange format's files in dependency order
 * (organizations, programs, policies, funding, links, then any other 360Giving file), each
 * all-or-nothing in its own transaction; a file with errors changes nothing and the others
 * still go in. Records are created or updated, never deleted; every change is in the
 * change history. After a change the search index is rebuilt and pages are made anew.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '#lib/server/db/connect.ts';
import { now } from '#lib/server/db/values.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import { rebuildSearchIndex } from '#lib/search/server/index.ts';
import { checkReferences, FILE_KINDS, FILE_NAMES, is360GivingHeader, parseDirectoryFile, type FileKind, type KnownIds, type ParsedDirectoryFile, type ParseIssue } from '../exchange.ts';
import type { DateOrder } from '../values.ts';
import { applyRecords, funding, links, organizations, policies, programsAdapter, type Adapter, type ChangeCounts } from './records.ts';
import type { Executor } from './bulk.ts';

export interface DirectoryImportOptions {
	author: string;
	dryRun?: boolean;
	/** How to read `01/02/2003` in files that do not decide it themselves. */
	dateOrder?: DateOrder;
	/** Progress of the file being read: records written of its total. */
	onProgress?: (file: string, done: number, total: number) => void;
}

export interface FileOutcome extends ChangeCounts {
	file: string;
	kind: FileKind;
	format: ParsedDirectoryFile['format'];
	status: 'imported' | 'unchanged' | 'valid' | 'failed';
	/** Organizations a 360Giving file named that were not in the directory yet. */
	organizationsCreated: number;
	dateOrder: DateOrder | null;
	errors: ParseIssue[];
	warnings: ParseIssue[];
}

export interface DirectoryImportReport {
	dir: string;
	dryRun: boolean;
	files: FileOutcome[];
	/** CSV files in the folder that are not part of the format. */
	ignored: string[];
	failed: number;
}

/** The files to read, in order: the five of the format, then other CSV files in the 360Giving layout (as funding). */
export function directoryFiles(dir: string): { files: Array<{ name: string; kind: FileKind }>; ignored: string[] } {
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserFacingError(`There is no folder ${dir}: check the path.`);
	const names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
	const own = new Set(Object.values(FILE_NAMES));
	const files = FILE_KINDS.filter((kind) => names.includes(FILE_NAMES[kind])).map((kind) => ({ name: FILE_NAMES[kind], kind }));
	const ignored: string[] = [];
	for (const name of names) {
		if (own.has(name)) continue;
		const firstLine = fs.readFileSync(path.join(dir, name), 'utf8').split(/\r?\n|\r/, 1)[0] ?? '';
		// Before links.csv, which may not refer to funding but reads last by convention.
		if (is360GivingHeader(firstLine.replace(/^\uFEFF/, '').split(',').map((c) => c.replace(/^"|"$/g, '')))) {
			const linksAt = files.findIndex((f) => f.kind === 'links');
			files.splice(linksAt === -1 ? files.length : linksAt, 0, { name, kind: 'funding' });
		}
		else ignored.push(name);
	}
	if (files.length === 0) {
		throw new UserFacingError(`${dir} holds none of the directory files (${Object.values(FILE_NAMES).join(', ')}, or a 360Giving grants file): check the folder.`);
	}
	return { files, ignored };
}

async function knownIds(db: Executor): Promise<{ [K in keyof KnownIds]: Set<string> }> {
	const ids = async (query: Promise<Array<{ id: string }>>) => new Set((await query).map((r) => r.id));
	return {
		organizations: await ids(db.selectFrom('organization').select('id').execute()),
		programs: await ids(db.selectFrom('program').select('id').execute()),
		policies: await ids(db.selectFrom('policy').select('id').execute()),
		indicators: await ids(db.selectFrom('indicator').select('id').execute()),
		geographies: new Set((await db.selectFrom('geography').select('code').execute()).map((r) => r.code))
	};
}

async function keyed<T>(db: Executor, adapter: Adapter<T>): Promise<Map<string, T>> {
	return new Map((await adapter.readAll(db)).map((r) => [adapter.key(r), r]));
}

function add(counts: ChangeCounts, more: ChangeCounts): void {
	counts.created += more.created;
	counts.updated += more.updated;
	counts.unchanged += more.unchanged;
}

export async function importDirectory(db: Db, dir: string, options: DirectoryImportOptions): Promise<DirectoryImportReport> {
	const { files, ignored } = directoryFiles(dir);
	const dryRun = options.dryRun === true;
	const report: DirectoryImportReport = { dir, dryRun, files: [], ignored, failed: 0 };
	const known = await knownIds(db.kysely);
	const programs = programsAdapter(db);
	let changed = false;

	for (const { name, kind } of files) {
		const text = fs.readFileSync(path.join(dir, name), 'utf8');
		const parsed = parseDirectoryFile(kind, text, name, options.dateOrder ? { dateOrder: options.dateOrder } : {});
		const outcome: FileOutcome = {
			file: name,
			kind,
			format: parsed.format,
			status: 'failed',
			created: 0,
			updated: 0,
			unchanged: 0,
			organizationsCreated: 0,
			dateOrder: parsed.dateOrder,
			errors: parsed.errors.length ? parsed.errors : checkReferences(parsed, known),
			warnings: parsed.warnings
		};
		report.files.push(outcome);
		if (outcome.errors.length) {
			report.failed++;
			continue;
		}
		const total = parsed.organizations.length + parsed.programs.length + parsed.policies.length + parsed.funding.length + parsed.links.length;
		options.onProgress?.(name, 0, total);
		const change = { author: options.author, source: name, at: now() };
		const write = async (trx: Executor | null) => {
			const reader = trx ?? db.kysely;
			const counts: ChangeCounts = { created: 0, updated: 0, unchanged: 0 };
			let done = 0;
			const progress = (written: number) => options.onProgress?.(name, done + written, total);
			if (parsed.format === '360giving') {
				// The organizations a 360Giving file names are created when missing, never overwritten.
				const fresh = parsed.organizations.map((o) => o.record).filter((o) => !known.organizations.has(o.id));
				outcome.organizationsCreated = (await applyRecords(db, trx, organizations, fresh, new Map(), change)).created;
				done += parsed.organizations.length;
			} else if (parsed.organizations.length) {
				add(counts, await applyRecords(db, trx, organizations, parsed.organizations.map((o) => o.record), await keyed(reader, organizations), change, progress));
			}
			if (parsed.programs.length) add(counts, await applyRecords(db, trx, programs, parsed.programs.map((p) => p.record), await keyed(reader, programs), change, progress));
			if (parsed.policies.length) add(counts, await applyRecords(db, trx, policies, parsed.policies.map((p) => p.record), await keyed(reader, policies), change, progress));
			if (parsed.funding.length) add(counts, await applyRecords(db, trx, funding, parsed.funding.map((f) => f.record), await keyed(reader, funding), change, progress));
			if (parsed.links.length) add(counts, await applyRecords(db, trx, links, parsed.links.map((l) => l.record), await keyed(reader, links), change, progress));
			return counts;
		};
		try {
			const counts = dryRun ? await write(null) : await db.kysely.transaction().execute((trx) => write(trx));
			Object.assign(outcome, counts);
			outcome.status = dryRun ? 'valid' : counts.created + counts.updated + outcome.organizationsCreated > 0 ? 'imported' : 'unchanged';
			if (outcome.status === 'imported') changed = true;
		} catch (error) {
			outcome.errors.push({
				file: name,
				line: null,
				column: null,
				message: `The database refused the file (${error instanceof Error ? error.message : String(error)}); nothing of it was kept.`,
				fix: 'Correct the file and import it again; run with SAC2050_DEBUG=1 for details if the message does not say what is wrong.'
			});
			report.failed++;
			continue;
		}
		options.onProgress?.(name, total, total);
		for (const o of parsed.organizations) known.organizations.add(o.record.id);
		for (const p of parsed.programs) known.programs.add(p.record.id);
		for (const p of parsed.policies) known.policies.add(p.record.id);
	}
	if (changed) {
		// Organizations, programs and policies are in the site search. The whole index is
		// rewritten: about 5 s for the 70,500 documents of bench/directory-import.ts on SQLite.
		await rebuildSearchIndex(db);
		await bumpDataVersion(db);
	}
	return report;
}
