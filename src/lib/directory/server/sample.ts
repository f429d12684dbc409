/**
 * The region pack's sample directory (`demo/directory/`, the exchange format with every
 * record marked `is_sample`): loaded with the other sample data, removed with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '#lib/server/db/connect.ts';
import { now } from '#lib/server/db/values.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { formatIssue } from '#lib/indicators/opensdg/data-csv.ts';
import { checkReferences, FILE_KINDS, FILE_NAMES, parseDirectoryFile } from '../exchange.ts';
import { applyRecords, funding, links, organizations, policies, programsAdapter, type Adapter } from './records.ts';
import type { Executor } from './bulk.ts';

export interface SampleDirectoryCounts {
	organizations: number;
	programs: number;
	policies: number;
	funding: number;
	links: number;
}

const EMPTY: SampleDirectoryCounts = { organizations: 0, programs: 0, policies: 0, funding: 0, links: 0 };

/**
 * Adds the sample records that are not in the directory yet, all in one transaction; records
 * already there (sample or edited since) are kept as they are. A mistake in the pack's files
 * stops with the file, line and fix, and nothing is loaded.
 */
export async function loadSampleDirectory(db: Db, dir: string, author: string): Promise<SampleDirectoryCounts> {
	const counts = { ...EMPTY };
	const packFile = (name: string) => path.join(path.basename(path.dirname(dir)), path.basename(dir), name);
	await db.kysely.transaction().execute(async (trx) => {
		const ids = async (table: 'organization' | 'program' | 'policy') => new Set((await trx.selectFrom(table).select('id').execute()).map((r) => r.id));
		const known = {
			organizations: await ids('organization'),
			programs: await ids('program'),
			policies: await ids('policy'),
			indicators: new Set((await trx.selectFrom('indicator').select('id').execute()).map((r) => r.id)),
			geographies: new Set((await trx.selectFrom('geography').select('code').execute()).map((r) => r.code))
		};
		for (const kind of FILE_KINDS) {
			const file = path.join(dir, FILE_NAMES[kind]);
			if (!fs.existsSync(file)) continue;
			const parsed = parseDirectoryFile(kind, fs.readFileSync(file, 'utf8'), packFile(FILE_NAMES[kind]));
			const issue = parsed.errors[0] ?? checkReferences(parsed, known)[0];
			if (issue) throw new UserFacingError(`Region pack sample directory ${formatIssue(issue)}`);
			const change = { author, source: packFile(FILE_NAMES[kind]), at: now() };
			const addMissing = async <T extends { isSample: boolean }>(adapter: Adapter<T>, records: T[]) => {
				const existing = new Set((await adapter.readAll(trx)).map((r) => adapter.key(r)));
				const fresh = records.filter((r) => !existing.has(adapter.key(r))).map((r) => ({ ...r, isSample: true }));
				return (await applyRecords(db, trx, adapter, fresh, new Map(), change)).created;
			};
			counts.organizations += await addMissing(organizations, parsed.organizations.map((o) => o.record));
			counts.programs += await addMissing(programsAdapter(db), parsed.programs.map((p) => p.record));
			counts.policies += await addMissing(policies, parsed.policies.map((p) => p.record));
			counts.funding += await addMissing(funding, parsed.funding.map((f) => f.record));
			counts.links += await addMissing(links, parsed.links.map((l) => l.record));
			for (const o of parsed.organizations) known.organizations.add(o.record.id);
			for (const p of parsed.programs) known.programs.add(p.record.id);
			for (const p of parsed.policies) known.policies.add(p.record.id);
		}
	});
	return counts;
}

/**
 * Deletes the directory's sample records inside `trx`. A sample organization or program that
 * a real record still refers to (a real grant, a real program run by it) is kept, and so is
 * reported: deleting it would break the real record.
 */
export async function removeSampleDirectory(trx: Executor): Promise<SampleDirectoryCounts & { kept: string[] }> {
	const deleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);
	const counts = { ...EMPTY, kept: [] as string[] };
	counts.links = deleted(await trx.deleteFrom('contribution_link').where('is_sample', '=', 1).executeTakeFirst());
	counts.funding = deleted(await trx.deleteFrom('funding').where('is_sample', '=', 1).executeTakeFirst());
	counts.policies = deleted(await trx.deleteFrom('policy').where('is_sample', '=', 1).executeTakeFirst());
	counts.programs = deleted(
		await trx
			.deleteFrom('program')
			.where('is_sample', '=', 1)
			.where((eb) => eb.not(eb.exists(eb.selectFrom('funding').select('funding.id').whereRef('funding.program_id', '=', 'program.id'))))
			.executeTakeFirst()
	);
	const referenced = await trx
		.selectFrom('organization')
		.select('id')
		.where('is_sample', '=', 1)
		.where((eb) =>
			eb.or([
				eb.exists(eb.selectFrom('funding').select('funding.id').where((f) => f.or([f('funding.funder_id', '=', f.ref('organization.id')), f('funding.recipient_id', '=', f.ref('organization.id'))]))),
				eb.exists(eb.selectFrom('program_organization').select('program_organization.program_id').whereRef('program_organization.organization_id', '=', 'organization.id'))
			])
		)
		.execute();
	const kept = referenced.map((r) => r.id);
	const programsKept = await trx.selectFrom('program').select('id').where('is_sample', '=', 1).execute();
	counts.kept = [...kept.map((id) => `organization ${id}`), ...programsKept.map((p) => `program ${p.id}`)];
	let query = trx.deleteFrom('organization').where('is_sample', '=', 1);
	if (kept.length) query = query.where('id', 'not in', kept);
	counts.organizations = deleted(await query.executeTakeFirst());
	return counts;
}
