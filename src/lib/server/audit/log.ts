import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { fromJson, now, toCount, toJson } from '../db/values.ts';
import { can, type Action, type Actor, type Subject } from '../auth/permissions.ts';

/**
 * The audit log: one append-only row per privileged write — who, when, what, and the
 * subject before and after. Database triggers refuse UPDATE and DELETE on the table
 * (migration 003-accounts), so nobody can edit it, the application included.
 *
 * Every privileged write goes through `privilegedWrite` (or `privilegedTransaction`): it
 * checks the permission, and the audit entry commits in the same transaction as the change.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** A signed-in person acting in the back office. */
export interface AuditActor extends Actor {
	email: string;
}

/** The command line or the server itself, for writes that no signed-in person makes. */
export interface SystemActor {
	system: string;
}

export interface AuditRecord {
	subjectType: string;
	subjectId: string;
	/** One line a person reads in the log, e.g. "Published revision 4 (12 rows)". */
	summary: string;
	before: unknown;
	after: unknown;
}

export interface AuditEntry extends AuditRecord {
	id: number;
	at: string;
	actorId: string | null;
	actorEmail: string;
	actorRole: string;
	action: string;
}

/** Refused by the permission check: the route answers 403. */
export class ForbiddenError extends Error {
	override name = 'ForbiddenError';
	readonly action: Action;
	constructor(action: Action) {
		super(`Not allowed: ${action}`);
		this.action = action;
	}
}

async function appendEntry(executor: Executor, actor: AuditActor | SystemActor, action: string, record: AuditRecord): Promise<void> {
	const person = 'system' in actor ? { actor_id: null, actor_email: actor.system, actor_role: 'system' } : { actor_id: actor.id, actor_email: actor.email, actor_role: actor.role };
	await executor
		.insertInto('audit_log')
		.values({
			at: now(),
			...person,
			action,
			subject_type: record.subjectType,
			subject_id: record.subjectId,
			summary: record.summary,
			before: record.before === undefined ? null : toJson(record.before),
			after: record.after === undefined ? null : toJson(record.after)
		})
		.execute();
}

/** Records an audit entry inside `write`'s own transaction; call it exactly once. */
export type RecordAudit = (executor: Executor, record: AuditRecord) => Promise<void>;

/**
 * The one path for privileged writes: refuses with ForbiddenError unless `actor` may do
 * `action`, then runs `write`, which must call `record` inside the transaction that makes
 * the change (so the change and its audit entry commit together or not at all).
 */
export async function privilegedWrite<T>(
	actor: AuditActor | null | undefined,
	action: Action,
	subject: Subject | undefined,
	write: (record: RecordAudit) => Promise<T>
): Promise<T> {
	if (!actor || !can(actor, action, subject)) throw new ForbiddenError(action);
	let recorded = 0;
	const result = await write(async (executor, record) => {
		await appendEntry(executor, actor, action, record);
		recorded++;
	});
	if (recorded !== 1) throw new Error(`${action} recorded ${recorded} audit entries; every privileged write records exactly one.`);
	return result;
}

/** `privilegedWrite` for a change made in one transaction of its own. */
export function privilegedTransaction<T>(
	db: Db,
	actor: AuditActor | null | undefined,
	action: Action,
	subject: Subject | undefined,
	change: (trx: Transaction<Database>) => Promise<{ result: T; audit: AuditRecord }>
): Promise<T> {
	return privilegedWrite(actor, action, subject, (record) =>
		db.kysely.transaction().execute(async (trx) => {
			const { result, audit } = await change(trx);
			await record(trx, audit);
			return result;
		})
	);
}

/**
 * A privileged change to several subjects at once (a bulk edit), in one transaction: refused
 * unless `actor` may do `action` to every subject; `change` returns one audit record per
 * subject it changed (none when nothing changed), written in the same transaction.
 */
export async function privilegedBulkTransaction<T>(
	db: Db,
	actor: AuditActor | null | undefined,
	action: Action,
	subjects: readonly Subject[],
	change: (trx: Transaction<Database>) => Promise<{ result: T; audit: AuditRecord[] }>
): Promise<T> {
	if (!actor || !can(actor, action) || !subjects.every((s) => can(actor, action, s))) throw new ForbiddenError(action);
	return db.kysely.transaction().execute(async (trx) => {
		const { result, audit } = await change(trx);
		for (const record of audit) await appendEntry(trx, actor, action, record);
		return result;
	});
}

/** For writes made outside the back office (the command line): recorded, with no permission check. */
export async function recordSystemAction(executor: Executor, who: string, action: string, record: AuditRecord): Promise<void> {
	await appendEntry(executor, { system: who }, action, record);
}

export interface AuditQuery {
	limit?: number;
	offset?: number;
	subjectType?: string;
	subjectId?: string;
	action?: string;
}

export async function readAuditLog(db: Db, query: AuditQuery = {}): Promise<{ entries: AuditEntry[]; total: number }> {
	let select = db.kysely.selectFrom('audit_log');
	if (query.subjectType) select = select.where('subject_type', '=', query.subjectType);
	if (query.subjectId) select = select.where('subject_id', '=', query.subjectId);
	if (query.action) select = select.where('action', '=', query.action);
	const [rows, count] = await Promise.all([
		select
			.selectAll()
			.orderBy('id', 'desc')
			.limit(query.limit ?? 50)
			.offset(query.offset ?? 0)
			.execute(),
		select.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
	]);
	return {
		total: toCount(count?.n as number | undefined),
		entries: rows.map((r) => ({
			id: r.id,
			at: r.at,
			actorId: r.actor_id,
			actorEmail: r.actor_email,
			actorRole: r.actor_role,
			action: r.action,
			subjectType: r.subject_type,
			subjectId: r.subject_id,
			summary: r.summary,
			before: fromJson<unknown>(r.before, null),
			after: fromJson<unknown>(r.after, null)
		}))
	};
}
