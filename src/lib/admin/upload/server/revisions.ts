import type { Db } from '#lib/server/db/connect.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { privilegedTransaction, type AuditActor } from '#lib/server/audit/log.ts';
import { recomputeProgress } from '#lib/indicators/server/progress-store.ts';
import { getRevision, publishRevisionInTransaction, readRevisionObservations, type RevisionSummary } from '#lib/indicators/server/store.ts';
import { diffRevisionRows, type RevisionDiff } from '../preview.ts';

export class RevisionNotFound extends Error {
	override name = 'RevisionNotFound';
	constructor(indicatorId: string, number: number) {
		super(`Indicator ${indicatorId} has no revision ${number}.`);
	}
}

export interface RevisionDetail {
	revision: RevisionSummary & { columns: string[] };
	/** The revision it is compared with: the one numbered just before it. */
	previous: RevisionSummary | undefined;
	/** Whether the indicator shows this revision's data now. */
	isCurrent: boolean;
	diff: RevisionDiff;
}

/** One revision of an indicator with its row-by-row difference from the previous one. */
export async function readRevisionDetail(db: Db, indicatorId: string, number: number): Promise<RevisionDetail | undefined> {
	const revision = await getRevision(db, indicatorId, number);
	if (!revision) return undefined;
	const earlier = await db.kysely
		.selectFrom('revision')
		.select('number')
		.where('indicator_id', '=', indicatorId)
		.where('number', '<', number)
		.orderBy('number', 'desc')
		.limit(1)
		.executeTakeFirst();
	const previous = earlier ? await getRevision(db, indicatorId, earlier.number) : undefined;
	const [after, before, indicator] = await Promise.all([
		readRevisionObservations(db.kysely, revision.id, indicatorId),
		previous ? readRevisionObservations(db.kysely, previous.id, indicatorId) : Promise.resolve([]),
		db.kysely.selectFrom('indicator').select('current_revision_id').where('id', '=', indicatorId).executeTakeFirst()
	]);
	return { revision, previous, isCurrent: indicator?.current_revision_id === revision.id, diff: diffRevisionRows(before, after) };
}

/**
 * Makes an earlier revision's data current again by publishing it as a new revision (so the
 * history stays linear and the restore can itself be undone), with its progress recomputed,
 * the data version bumped and the audit entry written in the same transaction.
 */
export async function restoreRevision(db: Db, actor: AuditActor, indicatorId: string, number: number): Promise<RevisionSummary> {
	return privilegedTransaction(db, actor, 'revisions.restore', { type: 'indicator', id: indicatorId }, async (trx) => {
		const target = await trx.selectFrom('revision').selectAll().where('indicator_id', '=', indicatorId).where('number', '=', number).executeTakeFirst();
		if (!target) throw new RevisionNotFound(indicatorId, number);
		const current = await trx
			.selectFrom('indicator as i')
			.leftJoin('revision as r', 'r.id', 'i.current_revision_id')
			.select(['r.number', 'r.row_count', 'r.checksum'])
			.where('i.id', '=', indicatorId)
			.executeTakeFirst();
		const rows = await readRevisionObservations(trx, target.id, indicatorId);
		const revision = await publishRevisionInTransaction(
			db,
			trx,
			{
				indicatorId,
				kind: 'rollback',
				author: actor.email,
				source: `revision ${number}`,
				checksum: target.checksum,
				columns: fromJson<string[]>(target.columns, []),
				rows,
				isSample: fromFlag(target.is_sample),
				note: `Restored the data of revision ${number}.`
			},
			async (t, id, observations) => {
				await recomputeProgress(t, id, observations);
			}
		);
		return {
			result: revision,
			audit: {
				subjectType: 'indicator',
				subjectId: indicatorId,
				summary: `Restored revision ${number} as revision ${revision.number} (${revision.rowCount} rows)`,
				before: current?.number ? { revision: current.number, rows: current.row_count, checksum: current.checksum } : null,
				after: { revision: revision.number, restored: number, rows: revision.rowCount, checksum: revision.checksum, added: revision.rowsAdded, removed: revision.rowsRemoved, changed: revision.rowsChanged }
			}
		};
	});
}
