/**
 * Representatives of organizations: a member claims an organization; an editor or admin
 * approves or rejects the claim (it is approved at once when the member's verified e-mail
 * domain is the organization's website domain, see ../editing.ts). Every claim and decision
 * is in the audit log.
 */
import type { Db } from '#lib/server/db/connect.ts';
import { now } from '#lib/server/db/values.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { privilegedTransaction, type AuditActor } from '#lib/server/audit/log.ts';
import { forgetVerifiedSessions } from '#lib/server/auth/users.ts';
import { emailMatchesWebsite } from '../editing.ts';
import type { Executor } from './bulk.ts';

export type ClaimStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface Claim {
	organizationId: string;
	organizationName: string;
	userId: string;
	email: string;
	status: ClaimStatus;
	note: string;
	requestedAt: string;
	decidedAt: string | null;
	decidedBy: string | null;
	automatic: boolean;
}

/** The organizations `userId` is an approved representative of, in id order. */
export async function representedOrganizations(db: Executor, userId: string): Promise<string[]> {
	const rows = await db.selectFrom('organization_representative').select('organization_id').where('user_id', '=', userId).where('status', '=', 'approved').orderBy('organization_id').execute();
	return rows.map((r) => r.organization_id);
}

function claimQuery(db: Executor) {
	return db
		.selectFrom('organization_representative as r')
		.innerJoin('organization as o', 'o.id', 'r.organization_id')
		.innerJoin('auth_user as u', 'u.id', 'r.user_id')
		.select(['r.organization_id', 'o.name', 'r.user_id', 'u.email', 'r.status', 'r.note', 'r.requested_at', 'r.decided_at', 'r.decided_by', 'r.automatic']);
}

function toClaim(r: { organization_id: string; name: string; user_id: string; email: string; status: string; note: string; requested_at: string; decided_at: string | null; decided_by: string | null; automatic: number }): Claim {
	return {
		organizationId: r.organization_id,
		organizationName: r.name,
		userId: r.user_id,
		email: r.email,
		status: r.status as ClaimStatus,
		note: r.note,
		requestedAt: r.requested_at,
		decidedAt: r.decided_at,
		decidedBy: r.decided_by,
		automatic: Number(r.automatic) === 1
	};
}

export async function claimsOf(db: Db, userId: string): Promise<Claim[]> {
	return (await claimQuery(db.kysely).where('r.user_id', '=', userId).orderBy('o.name').execute()).map(toClaim);
}

/** Claims waiting for a decision, oldest first, and the latest decided ones. */
export async function claimsToDecide(db: Db): Promise<{ pending: Claim[]; decided: Claim[] }> {
	const pending = (await claimQuery(db.kysely).where('r.status', '=', 'pending').orderBy('r.requested_at').execute()).map(toClaim);
	const decided = (await claimQuery(db.kysely).where('r.status', '!=', 'pending').orderBy('r.decided_at', 'desc').limit(50).execute()).map(toClaim);
	return { pending, decided };
}

export const CLAIM_NOTE_MAX = 500;

/** `actor` asks to represent `organizationId`; answers whether it was approved at once. */
export async function claimOrganization(db: Db, actor: AuditActor, organizationId: string, note: string): Promise<ClaimStatus> {
	const status = await privilegedTransaction(db, actor, 'directory.claim', { type: 'organization', id: organizationId }, async (trx) => {
		const organization = await trx.selectFrom('organization').select(['id', 'name', 'website']).where('id', '=', organizationId).executeTakeFirst();
		if (!organization) throw new UserFacingError('There is no such organization in the directory: choose one from the list.');
		const existing = await trx.selectFrom('organization_representative').select('status').where('organization_id', '=', organizationId).where('user_id', '=', actor.id).executeTakeFirst();
		if (existing?.status === 'approved') throw new UserFacingError(`You already represent ${organization.name}.`);
		if (existing?.status === 'pending') throw new UserFacingError(`Your claim to represent ${organization.name} is waiting for an editor.`);
		const automatic = actor.emailVerified && emailMatchesWebsite(actor.email, organization.website);
		const at = now();
		const row = {
			status: automatic ? 'approved' : 'pending',
			note: note.trim().slice(0, CLAIM_NOTE_MAX),
			requested_at: at,
			decided_at: automatic ? at : null,
			decided_by: automatic ? 'automatic' : null,
			automatic: automatic ? 1 : 0
		};
		if (existing) await trx.updateTable('organization_representative').set(row).where('organization_id', '=', organizationId).where('user_id', '=', actor.id).execute();
		else await trx.insertInto('organization_representative').values({ organization_id: organizationId, user_id: actor.id, ...row }).execute();
		return {
			result: row.status as ClaimStatus,
			audit: {
				subjectType: 'organization',
				subjectId: organizationId,
				summary: automatic
					? `${actor.email} claimed ${organization.name}; approved at once (e-mail at the organization's web domain)`
					: `${actor.email} claimed ${organization.name}; waiting for an editor`,
				before: existing ?? null,
				after: row
			}
		};
	});
	if (status === 'approved') forgetVerifiedSessions();
	return status;
}

/** An editor or admin approves, rejects or revokes a claim. */
export async function decideClaim(db: Db, actor: AuditActor, organizationId: string, userId: string, decision: 'approved' | 'rejected' | 'revoked', note: string): Promise<void> {
	await privilegedTransaction(db, actor, 'directory.decideClaims', { type: 'organization', id: organizationId }, async (trx) => {
		const claim = await claimQuery(trx).where('r.organization_id', '=', organizationId).where('r.user_id', '=', userId).executeTakeFirst();
		if (!claim) throw new UserFacingError('That claim does not exist any more: reload the list.');
		const allowed = decision === 'revoked' ? claim.status === 'approved' : claim.status === 'pending';
		if (!allowed) throw new UserFacingError(`The claim of ${claim.email} to ${claim.name} is ${claim.status} already: reload the list.`);
		const change = { status: decision, decided_at: now(), decided_by: actor.email, note: note.trim().slice(0, CLAIM_NOTE_MAX) || claim.note };
		await trx.updateTable('organization_representative').set(change).where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
		return {
			result: undefined,
			audit: { subjectType: 'organization', subjectId: organizationId, summary: `${decision === 'approved' ? 'Approved' : decision === 'rejected' ? 'Rejected' : 'Revoked'} ${claim.email} as representative of ${claim.name}`, before: { status: claim.status }, after: change }
		};
	});
	forgetVerifiedSessions();
}
