/**
 * The directory's records in the site search (the manifest's `searchable`): one document per
 * organization, program and policy, in every language of the index. Directory text is not
 * translated, so each language gets the text as written.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '#lib/server/db/schema.ts';

export interface DirectorySearchDocument {
	kind: 'organization' | 'program' | 'policy';
	ref: string;
	title: string;
	/** Paragraphs of the body, in order. */
	paragraphs: string[];
}

/**
 * Every organization (name; mission), program (name; description, who runs it) and policy
 * (name; adopted by, description); with `only`, just those records (a few, after an edit).
 */
export async function directorySearchDocuments(
	db: Kysely<Database> | Transaction<Database>,
	only?: { organization?: readonly string[]; program?: readonly string[]; policy?: readonly string[] }
): Promise<DirectorySearchDocument[]> {
	// With `only`, a kind with no ids reads nothing.
	const wanted = (list: readonly string[] | undefined) => !only || (list !== undefined && list.length > 0);
	const [organizations, programs, runs, policies] = await Promise.all([
		wanted(only?.organization)
			? (only ? db.selectFrom('organization').where('id', 'in', only.organization!) : db.selectFrom('organization')).select(['id', 'name', 'mission']).orderBy('id').execute()
			: [],
		wanted(only?.program) ? (only ? db.selectFrom('program').where('id', 'in', only.program!) : db.selectFrom('program')).select(['id', 'name', 'description']).orderBy('id').execute() : [],
		wanted(only?.program)
			? (only ? db.selectFrom('program_organization').where('program_organization.program_id', 'in', only.program!) : db.selectFrom('program_organization'))
					.innerJoin('organization', 'organization.id', 'program_organization.organization_id')
					.select(['program_organization.program_id', 'organization.name'])
					.orderBy('program_organization.program_id')
					.orderBy('program_organization.position')
					.execute()
			: [],
		wanted(only?.policy)
			? (only ? db.selectFrom('policy').where('id', 'in', only.policy!) : db.selectFrom('policy')).select(['id', 'name', 'adopted_by', 'description']).orderBy('id').execute()
			: []
	]);
	const runBy = new Map<string, string[]>();
	for (const r of runs) runBy.set(r.program_id, [...(runBy.get(r.program_id) ?? []), r.name]);
	return [
		...organizations.map((o) => ({ kind: 'organization' as const, ref: o.id, title: o.name, paragraphs: [o.mission] })),
		...programs.map((p) => ({ kind: 'program' as const, ref: p.id, title: p.name, paragraphs: [p.description, (runBy.get(p.id) ?? []).join(', ')] })),
		...policies.map((p) => ({ kind: 'policy' as const, ref: p.id, title: p.name, paragraphs: [p.adopted_by, p.description] }))
	];
}
