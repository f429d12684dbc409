import { randomBytes } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { fromJson, now } from '#lib/server/db/values.ts';
import { privilegedTransaction, type AuditActor } from '#lib/server/audit/log.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import { validateIndicatorCsv, type CsvValidation } from '#lib/indicators/server/import-csv.ts';
import { readColumnSettings } from '#lib/indicators/server/repository-settings.ts';
import type { ColumnSettings } from '#lib/indicators/columns.ts';
import { nonTextFileIssue } from '#lib/indicators/server/file-kind.ts';
import { asDuplicatePolicy, formatIssue, type DuplicatePolicy } from '#lib/indicators/opensdg/data-csv.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { toObservationInputs } from '#lib/indicators/server/import-rows.ts';
import { recomputeProgress } from '#lib/indicators/server/progress-store.ts';
import { publishRevisionInTransaction, type RevisionSummary } from '#lib/indicators/server/store.ts';
import { draftCutoff, isDraftExpired, isDraftId } from '../preview.ts';

/**
 * Staged uploads ("drafts"): a validated CSV kept in the database (table upload_draft)
 * between the preview and Publish or Cancel, so the second request trusts nothing the
 * browser sends back but the draft's random id — and only for the person who uploaded it.
 */

export interface IndicatorRef {
	id: string;
	name: string;
}

/** The indicator's id and name in `locale`, or undefined when there is none. */
export async function findIndicator(db: Db, id: string, locale: string): Promise<IndicatorRef | undefined> {
	const row = await db.kysely.selectFrom('indicator').select(['id', 'name', 'translations']).where('id', '=', id).executeTakeFirst();
	return row ? { id: row.id, name: localized(row.name, fromJson<Translations>(row.translations, {}), locale, 'name') } : undefined;
}

export interface Draft {
	id: string;
	indicatorId: string;
	fileName: string;
	bytes: number;
	/** SHA-256 of the file as uploaded. */
	checksum: string;
	createdAt: string;
	/** What the uploader chose for two rows of one observation with different values. */
	duplicates: DuplicatePolicy;
	validation: CsvValidation;
}

/** Why a draft cannot be published. */
export class DraftRefused extends Error {
	override name = 'DraftRefused';
	readonly reason: 'missing' | 'invalid';
	constructor(reason: 'missing' | 'invalid') {
		super(reason === 'missing' ? 'The staged upload does not exist or has expired.' : 'The staged upload has errors and cannot be published.');
		this.reason = reason;
	}
}

type DraftRow = Selectable<Database['upload_draft']>;

function toDraft(row: DraftRow, columns: ColumnSettings | undefined): Draft {
	const duplicates = asDuplicatePolicy(row.duplicates) ?? 'error';
	// Validated again from the stored text, with the stored choice: the preview and the publish see the same result.
	const validation = validateIndicatorCsv(Buffer.from(row.content, 'utf8'), row.file_name, { duplicates, ...(columns ? { columns } : {}) });
	return {
		id: row.id,
		indicatorId: row.indicator_id,
		fileName: row.file_name,
		bytes: row.bytes,
		checksum: row.checksum,
		createdAt: row.created_at,
		duplicates,
		validation: { ...validation, checksum: row.checksum, bytes: row.bytes }
	};
}

/** A file name as shown and stored: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
	return clean || 'upload.csv';
}

export interface StageOptions {
	/** Two rows for one observation with different values: an error (default), or keep the first or the last of them. */
	duplicates?: DuplicatePolicy;
}

/**
 * Validates `content` and stages it for `actor`'s preview. Earlier drafts of the same person
 * for the same indicator, and every expired draft, are deleted. Returns the draft's id.
 */
export async function stageUpload(
	db: Db,
	actor: AuditActor,
	indicatorId: string,
	file: { name: string; content: Buffer },
	options: StageOptions = {}
): Promise<string> {
	const fileName = cleanFileName(file.name);
	// Also keeps text with null characters out of the database (PostgreSQL refuses it).
	const kind = await nonTextFileIssue(file.content, fileName);
	if (kind) throw new UserFacingError(formatIssue(kind));
	const duplicates = options.duplicates ?? 'error';
	const columns = await readColumnSettings(db.kysely);
	const validation = validateIndicatorCsv(file.content, fileName, { duplicates, ...(columns ? { columns } : {}) });
	const id = randomBytes(32).toString('base64url');
	const subject = { type: 'indicator', id: indicatorId } as const;
	return privilegedTransaction(db, actor, 'data.upload', subject, async (trx) => {
		await trx.deleteFrom('upload_draft').where('created_at', '<', draftCutoff(Date.now())).execute();
		await trx.deleteFrom('upload_draft').where('user_id', '=', actor.id).where('indicator_id', '=', indicatorId).execute();
		await trx
			.insertInto('upload_draft')
			.values({
				id,
				indicator_id: indicatorId,
				user_id: actor.id,
				file_name: fileName,
				content: file.content.toString('utf8'),
				bytes: validation.bytes,
				checksum: validation.checksum,
				created_at: now(),
				duplicates
			})
			.execute();
		return {
			result: id,
			audit: {
				subjectType: 'indicator',
				subjectId: indicatorId,
				summary: `Uploaded ${fileName} for preview (${validation.rows.length} rows, ${validation.errors.length} errors)`,
				before: null,
				after: {
					file: fileName,
					bytes: validation.bytes,
					checksum: validation.checksum,
					rows: validation.rows.length,
					errors: validation.errors.length,
					...(duplicates !== 'error' ? { duplicates } : {})
				}
			}
		};
	});
}

async function selectDraft(executor: Db['kysely'] | Transaction<Database>, userId: string, indicatorId: string, draftId: string): Promise<DraftRow | undefined> {
	if (!isDraftId(draftId)) return undefined;
	const row = await executor
		.selectFrom('upload_draft')
		.selectAll()
		.where('id', '=', draftId)
		.where('user_id', '=', userId)
		.where('indicator_id', '=', indicatorId)
		.executeTakeFirst();
	return row && !isDraftExpired(row.created_at, Date.now()) ? row : undefined;
}

/** `userId`'s draft for the indicator, validated; undefined when it is someone else's, gone or expired. */
export async function readDraft(db: Db, userId: string, indicatorId: string, draftId: string): Promise<Draft | undefined> {
	const row = await selectDraft(db.kysely, userId, indicatorId, draftId);
	return row ? toDraft(row, await readColumnSettings(db.kysely)) : undefined;
}

/**
 * Changes what `actor`'s draft does with two rows of one observation with different values;
 * the preview then shows the file validated with the new choice. False when there is no such draft.
 */
export async function setDraftDuplicates(db: Db, actor: AuditActor, indicatorId: string, draftId: string, duplicates: DuplicatePolicy): Promise<boolean> {
	const row = await selectDraft(db.kysely, actor.id, indicatorId, draftId);
	if (!row) return false;
	if (row.duplicates === duplicates) return true;
	return privilegedTransaction(db, actor, 'data.upload', { type: 'indicator', id: indicatorId }, async (trx) => {
		const updated = await trx.updateTable('upload_draft').set({ duplicates }).where('id', '=', row.id).executeTakeFirst();
		return {
			result: Number(updated.numUpdatedRows) > 0,
			audit: {
				subjectType: 'indicator',
				subjectId: indicatorId,
				summary: `Rows of ${row.file_name} for one observation with different values: ${duplicates}`,
				before: { file: row.file_name, duplicates: row.duplicates },
				after: { file: row.file_name, duplicates }
			}
		};
	});
}

/** Deletes `actor`'s draft: nothing else changes. False when there was none. */
export async function cancelDraft(db: Db, actor: AuditActor, indicatorId: string, draftId: string): Promise<boolean> {
	const row = await selectDraft(db.kysely, actor.id, indicatorId, draftId);
	if (!row) return false;
	return privilegedTransaction(db, actor, 'data.upload', { type: 'indicator', id: indicatorId }, async (trx) => {
		const deleted = await trx.deleteFrom('upload_draft').where('id', '=', row.id).executeTakeFirst();
		return {
			result: Number(deleted.numDeletedRows) > 0,
			audit: {
				subjectType: 'indicator',
				subjectId: indicatorId,
				summary: `Cancelled the upload of ${row.file_name}; nothing was published`,
				before: { file: row.file_name, checksum: row.checksum },
				after: null
			}
		};
	});
}

/**
 * Publishes `actor`'s draft as the indicator's new revision: the data, the recomputed
 * progress, the data version, the audit entry and the draft's removal commit together.
 * A draft with any error publishes nothing (DraftRefused 'invalid').
 */
export async function publishDraft(db: Db, actor: AuditActor, indicatorId: string, draftId: string): Promise<RevisionSummary> {
	return privilegedTransaction(db, actor, 'data.publish', { type: 'indicator', id: indicatorId }, async (trx) => {
		const row = await selectDraft(trx, actor.id, indicatorId, draftId);
		if (!row) throw new DraftRefused('missing');
		// Taken first: the same draft published again at once (a double click) waits for this
		// transaction and then finds it gone. Refusing it below puts it back.
		const claimed = await trx.deleteFrom('upload_draft').where('id', '=', row.id).executeTakeFirst();
		if (Number(claimed.numDeletedRows) === 0) throw new DraftRefused('missing');
		const draft = toDraft(row, await readColumnSettings(trx));
		const { validation } = draft;
		if (validation.errors.length > 0 || validation.rows.length === 0) throw new DraftRefused('invalid');

		const previous = await trx
			.selectFrom('indicator as i')
			.leftJoin('revision as r', 'r.id', 'i.current_revision_id')
			.select(['r.number', 'r.row_count', 'r.checksum'])
			.where('i.id', '=', indicatorId)
			.executeTakeFirst();
		const revision = await publishRevisionInTransaction(
			db,
			trx,
			{
				indicatorId,
				kind: 'upload',
				author: actor.email,
				source: draft.fileName,
				checksum: draft.checksum,
				columns: validation.columns,
				rows: toObservationInputs(validation.rows),
				isSample: false
			},
			async (t, id, rows) => {
				await recomputeProgress(t, id, rows);
			}
		);
		return {
			result: revision,
			audit: {
				subjectType: 'indicator',
				subjectId: indicatorId,
				summary: `Published revision ${revision.number} from ${draft.fileName} (${revision.rowCount} rows: ${revision.rowsAdded} added, ${revision.rowsRemoved} removed, ${revision.rowsChanged} changed)`,
				before: previous?.number ? { revision: previous.number, rows: previous.row_count, checksum: previous.checksum } : null,
				after: {
					revision: revision.number,
					file: draft.fileName,
					bytes: draft.bytes,
					checksum: draft.checksum,
					...(draft.duplicates !== 'error' ? { duplicates: draft.duplicates } : {}),
					rows: revision.rowCount,
					added: revision.rowsAdded,
					removed: revision.rowsRemoved,
					changed: revision.rowsChanged
				}
			}
		};
	});
}
