/**
 * Back office edits of directory records: preview (what would change) then publish, each
 * change in the record's history (field, old value, new value, who, when) and the audit log;
 * a change can be undone by restoring the field's value from before it, which is a change
 * like any other. Representatives edit only what their organization owns (permissions.ts).
 */
import type { Db } from '#lib/server/db/connect.ts';
import { now } from '#lib/server/db/values.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { ForbiddenError, privilegedTransaction, type AuditActor } from '#lib/server/audit/log.ts';
import { can, type Subject } from '#lib/server/auth/permissions.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import { refreshDirectorySearch } from '#lib/search/server/index.ts';
import { changedFields, fieldTexts, readDirectoryForm, type EditableKind, type FieldChange, type RecordOf } from '../editing.ts';
import type { Funding, Organization, Program, RecordType } from '../model.ts';
import { applyRecords, funding, fundingFromRow, organizationFromRow, organizations, programFromRow, programsAdapter } from './records.ts';
import type { Executor } from './bulk.ts';

const RECORD_TYPE: Record<EditableKind, RecordType> = { organizations: 'organization', programs: 'program', funding: 'funding' };

export async function readOrganization(db: Executor, id: string): Promise<Organization | undefined> {
	const row = await db.selectFrom('organization').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? organizationFromRow(row) : undefined;
}

export async function readProgram(db: Executor, id: string): Promise<Program | undefined> {
	const row = await db.selectFrom('program').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) return undefined;
	const runs = await db.selectFrom('program_organization').select('organization_id').where('program_id', '=', id).orderBy('position').execute();
	return programFromRow(row, runs.map((r) => r.organization_id));
}

export async function readFunding(db: Executor, id: string): Promise<Funding | undefined> {
	const row = await db.selectFrom('funding').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? fundingFromRow(row) : undefined;
}

export function subjectOf(kind: EditableKind, record: Organization | Program | Funding): Subject {
	if (kind === 'organizations') return { type: 'organization', id: record.id };
	if (kind === 'programs') return { type: 'program', id: record.id, organizationIds: (record as Program).organizationIds };
	const f = record as Funding;
	return { type: 'funding', id: f.id, organizationIds: [f.funderId, f.recipientId] };
}

export async function readRecord<K extends EditableKind>(db: Executor, kind: K, id: string): Promise<RecordOf<K> | undefined> {
	const record = kind === 'organizations' ? await readOrganization(db, id) : kind === 'programs' ? await readProgram(db, id) : await readFunding(db, id);
	return record as RecordOf<K> | undefined;
}

/** A funding record may only name organizations and programs the directory has. */
async function unknownReferences(db: Executor, record: Funding): Promise<Record<string, string>> {
	const problems: Record<string, string> = {};
	for (const field of ['funderId', 'recipientId'] as const) {
		const found = await db.selectFrom('organization').select('id').where('id', '=', record[field]).executeTakeFirst();
		if (!found) problems[field === 'funderId' ? 'funder_id' : 'recipient_id'] = `There is no organization "${record[field]}" in the directory. Write the id of an organization in the directory (its address ends with it).`;
	}
	if (record.programId !== null && !(await db.selectFrom('program').select('id').where('id', '=', record.programId).executeTakeFirst())) {
		problems.program_id = `There is no program "${record.programId}" in the directory. Choose one of the organization's programs, or leave it empty.`;
	}
	return problems;
}

export type EditOutcome = { ok: true; changes: FieldChange[] } | { ok: false; problems: Record<string, string> };

/**
 * Validates the form against the stored record and, unless `preview`, saves the changed
 * fields. Permission is checked on the stored record (a representative cannot move a program
 * out of another organization's reach by editing it).
 */
export async function editRecord<K extends EditableKind>(
	db: Db,
	actor: AuditActor,
	kind: K,
	id: string,
	values: Readonly<Record<string, string>>,
	options: { preview: boolean; source?: string; creating?: RecordOf<K> }
): Promise<EditOutcome> {
	const current = options.creating ?? (await readRecord(db.kysely, kind, id));
	if (!current) throw new UserFacingError('That record is not in the directory any more.');
	if (options.creating && (await readRecord(db.kysely, kind, id))) throw new UserFacingError('A record with that id exists already: reload the page.');
	const subject = subjectOf(kind, current);
	// The preview writes nothing, but is for those who may edit: the same check.
	const preview = privilegedPreview(actor, subject, () => evaluate(kind, current, values));
	if (preview.ok && kind === 'funding') {
		const next = (readDirectoryForm(kind, current, values) as { ok: true; record: RecordOf<K> }).record as Funding;
		const problems = await unknownReferences(db.kysely, next);
		if (Object.keys(problems).length) return { ok: false, problems };
		// A representative may not hand a record over to organizations they do not represent.
		if (!can(actor, 'directory.edit', subjectOf(kind, next))) throw new ForbiddenError('directory.edit');
	}
	if (options.preview || !preview.ok || (preview.changes.length === 0 && !options.creating)) return preview;
	const saved = await privilegedTransaction<EditOutcome>(db, actor, 'directory.edit', subject, async (trx) => {
		// Read again inside the transaction: the form may be older than the record.
		const stored = options.creating ?? (await readRecord(trx, kind, id))!;
		const outcome = evaluate(kind, stored, values);
		const label = 'name' in stored ? stored.name : (stored as Funding).title || stored.id;
		if (!outcome.ok) return { result: outcome, audit: { subjectType: subject.type, subjectId: id, summary: `No change to ${label}`, before: null, after: null } };
		const next = (readDirectoryForm(kind, stored, values) as { ok: true; record: RecordOf<K> }).record;
		await save(db, trx, kind, options.creating ? undefined : stored, next, actor.email, options.source ?? 'back office');
		return {
			result: outcome,
			audit: {
				subjectType: subject.type,
				subjectId: id,
				summary: options.creating ? `Added ${label}` : `Edited ${label}: ${outcome.changes.map((c) => c.field).join(', ')}`,
				before: Object.fromEntries(outcome.changes.map((c) => [c.field, c.before])),
				after: Object.fromEntries(outcome.changes.map((c) => [c.field, c.after]))
			}
		};
	});
	// Organizations and programs are in the site search: their documents are written again.
	if (saved.ok && kind !== 'funding') await refreshDirectorySearch(db, kind === 'organizations' ? { organization: [id] } : { program: [id] });
	return saved;
}

function evaluate<K extends EditableKind>(kind: K, current: RecordOf<K>, values: Readonly<Record<string, string>>): EditOutcome {
	const read = readDirectoryForm(kind, current, values);
	if (!read.ok) return read;
	return { ok: true, changes: changedFields(kind, current, read.record) };
}

function privilegedPreview<T>(actor: AuditActor, subject: Subject, compute: () => T): T {
	if (!can(actor, 'directory.edit', subject)) throw new ForbiddenError('directory.edit');
	return compute();
}

/** Writes `after` (a new record when `before` is undefined) with its change history. */
async function save<K extends EditableKind>(db: Db, trx: Executor, kind: K, before: RecordOf<K> | undefined, after: RecordOf<K>, author: string, source: string): Promise<void> {
	const change = { author, source, at: now() };
	const existing = <T>(record: T | undefined): Map<string, T> => new Map(before && record ? [[before.id, record]] : []);
	if (kind === 'organizations') await applyRecords(db, trx, organizations, [after as Organization], existing(before as Organization | undefined), change);
	else if (kind === 'programs') await applyRecords(db, trx, programsAdapter(db), [after as Program], existing(before as Program | undefined), change);
	else await applyRecords(db, trx, funding, [after as Funding], existing(before as Funding | undefined), change);
	await bumpDataVersion(db, trx);
}

export interface HistoryEntry {
	id: number;
	field: string;
	oldValue: string | null;
	newValue: string | null;
	author: string;
	source: string;
	at: string;
}

export async function recordHistory(db: Db, kind: EditableKind, id: string): Promise<HistoryEntry[]> {
	const rows = await db.kysely
		.selectFrom('directory_change')
		.selectAll()
		.where('record_type', '=', RECORD_TYPE[kind])
		.where('record_id', '=', id)
		.orderBy('id', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => ({ id: Number(r.id), field: r.field, oldValue: r.old_value, newValue: r.new_value, author: r.author, source: r.source, at: r.at }));
}

/** Sets a field back to its value before change `changeId`: a new change, with its own history row. */
export async function restoreChange(db: Db, actor: AuditActor, kind: EditableKind, id: string, changeId: number): Promise<EditOutcome> {
	const change = await db.kysely
		.selectFrom('directory_change')
		.selectAll()
		.where('id', '=', changeId)
		.where('record_type', '=', RECORD_TYPE[kind])
		.where('record_id', '=', id)
		.executeTakeFirst();
	if (!change || change.field === '') throw new UserFacingError('That change cannot be restored: choose a change of one field from the history.');
	const current = await readRecord(db.kysely, kind, id);
	if (!current) throw new UserFacingError('That record is not in the directory any more.');
	const values = fieldTexts(kind, current);
	values[change.field] = change.old_value ?? '';
	return editRecord(db, actor, kind, id, values, { preview: false, source: `restore of change ${changeId}` });
}
