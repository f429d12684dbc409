import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { ForbiddenError, readAuditLog } from '#lib/server/audit/log.ts';
import { createUserWithPassword, type SessionUser } from '#lib/server/auth/users.ts';
import { readDataVersion } from '#lib/server/page-cache/data-version.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { listRevisions, readCurrentObservations, readRevisionObservations, getRevision } from '#lib/indicators/server/store.ts';
import { readProgress } from '#lib/indicators/server/progress-store.ts';
import { chartPng } from '#lib/indicators/server/chart-image.ts';
import { cancelDraft, DraftRefused, publishDraft, readDraft, setDraftDuplicates, stageUpload } from '#lib/admin/upload/server/drafts.ts';
import { readRevisionDetail, restoreRevision, RevisionNotFound } from '#lib/admin/upload/server/revisions.ts';
import { DIALECTS, openTestDatabase, PROJECT_DIR } from '../support/databases.ts';

process.env.SAC2050_OUTBOX_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-outbox-'));
delete process.env.SMTP_URL;

const INDICATOR = 'energy';
const BAD = 'Year,GeoCode,Value\n2015,,30\n2016,,thirty-one\n2017,,32\n';
const GOOD = 'Year,GeoCode,Value\n2015,,30\n2016,,31\n2017,,32\n2018,,35.5\n';
// Lines 3 and 5 are one observation with two values; lines 2 and 4 one written twice.
const TWICE = 'Year,GeoCode,Value\n2015,,30\n2016,,31\n2015,,30\n2016,,33\n';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));

describe.each(DIALECTS)('admin data upload on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	let editor: SessionUser;
	let otherEditor: SessionUser;
	let member: SessionUser;

	async function snapshot() {
		const [revisions, observations, version, drafts] = await Promise.all([
			listRevisions(db, INDICATOR),
			readCurrentObservations(db.kysely, INDICATOR),
			readDataVersion(db.kysely),
			db.kysely.selectFrom('upload_draft').select('id').execute()
		]);
		return { revisions: revisions.map((r) => r.number), observations: observations.map((o) => [o.seriesKey, o.period, o.value]), version, drafts: drafts.length };
	}

	async function actor(email: string, role: 'editor' | 'member'): Promise<SessionUser> {
		const user = await createUserWithPassword(db, { email, role, password: 'a long enough password' }, 'cli:test');
		return { id: user.id, name: user.name, email: user.email, role, emailVerified: true };
	}

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
		editor = await actor('steward@example.org', 'editor');
		otherEditor = await actor('other@example.org', 'editor');
		member = await actor('member@example.org', 'member');
	});
	afterAll(async () => close?.());

	it('stages a file with errors for its uploader only, and refuses to publish it', async () => {
		const before = await snapshot();
		const id = await stageUpload(db, editor, INDICATOR, { name: 'energy.csv', content: Buffer.from(BAD) });
		const draft = await readDraft(db, editor.id, INDICATOR, id);
		expect(draft?.validation.errors).toHaveLength(1);
		expect(draft?.validation.errors[0]).toMatchObject({ line: 3, column: 'Value' });
		expect(draft?.checksum).toBe(createHash('sha256').update(BAD).digest('hex'));
		// Someone else, or the wrong indicator, does not see it.
		expect(await readDraft(db, otherEditor.id, INDICATOR, id)).toBeUndefined();
		expect(await readDraft(db, editor.id, 'unemployment', id)).toBeUndefined();

		await expect(publishDraft(db, editor, INDICATOR, id)).rejects.toMatchObject({ reason: 'invalid' });
		await expect(publishDraft(db, otherEditor, INDICATOR, id)).rejects.toMatchObject({ reason: 'missing' });
		const after = await snapshot();
		expect({ ...after, drafts: 0 }).toEqual({ ...before, drafts: 0 });
		expect(after.drafts).toBe(1);
	});

	it('cancels: the draft is gone and nothing else changed', async () => {
		const id = await stageUpload(db, editor, INDICATOR, { name: 'energy.csv', content: Buffer.from(GOOD) });
		const before = await snapshot();
		expect(await cancelDraft(db, editor, INDICATOR, id)).toBe(true);
		expect(await readDraft(db, editor.id, INDICATOR, id)).toBeUndefined();
		const after = await snapshot();
		expect(after.drafts).toBe(before.drafts - 1);
		expect({ ...after, drafts: 0 }).toEqual({ ...before, drafts: 0 });
		await expect(publishDraft(db, editor, INDICATOR, id)).rejects.toBeInstanceOf(DraftRefused);
		expect(await cancelDraft(db, editor, INDICATOR, id)).toBe(false);
	});

	it('publishes a valid file as a new revision: audited, progress recomputed, data version bumped', async () => {
		const id = await stageUpload(db, editor, INDICATOR, { name: 'energy-fixed.csv', content: Buffer.from(GOOD) });
		const before = await snapshot();
		const progressBefore = await readProgress(db.kysely, INDICATOR);

		// A member who gets hold of the id can do nothing with it.
		await expect(publishDraft(db, member, INDICATOR, id)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await snapshot()).toEqual(before);

		const revision = await publishDraft(db, editor, INDICATOR, id);
		expect(revision).toMatchObject({ number: before.revisions[0]! + 1, kind: 'upload', author: 'steward@example.org', source: 'energy-fixed.csv', rowCount: 4, isSample: false });
		expect(revision.checksum).toBe(createHash('sha256').update(GOOD).digest('hex'));

		const after = await snapshot();
		expect(after.observations).toEqual([
			['{}', '2015', 30],
			['{}', '2016', 31],
			['{}', '2017', 32],
			['{}', '2018', 35.5]
		]);
		expect(after.version).toBeGreaterThan(before.version);
		expect(after.drafts).toBe(before.drafts - 1);
		const progress = await readProgress(db.kysely, INDICATOR);
		expect(progress?.series[0]?.current_value).toBe(35.5);
		expect(progress).not.toEqual(progressBefore);

		const { entries } = await readAuditLog(db, { subjectType: 'indicator', subjectId: INDICATOR });
		const entry = entries.find((e) => e.action === 'data.publish');
		expect(entry).toMatchObject({ actorEmail: 'steward@example.org', actorRole: 'editor' });
		expect(entry?.after).toMatchObject({ revision: revision.number, file: 'energy-fixed.csv', checksum: revision.checksum, rows: 4 });
		expect(entry?.before).toMatchObject({ revision: before.revisions[0] });

		// Published once: the draft is gone.
		await expect(publishDraft(db, editor, INDICATOR, id)).rejects.toMatchObject({ reason: 'missing' });
	});

	it('shows a revision with its row-by-row difference from the previous one', async () => {
		const [latest] = await listRevisions(db, INDICATOR);
		const detail = await readRevisionDetail(db, INDICATOR, latest!.number);
		expect(detail?.isCurrent).toBe(true);
		expect(detail?.previous?.number).toBe(latest!.number - 1);
		expect({ added: detail?.diff.added, removed: detail?.diff.removed, changed: detail?.diff.changed }).toEqual({
			added: latest!.rowsAdded,
			removed: latest!.rowsRemoved,
			changed: latest!.rowsChanged
		});
		expect(detail?.diff.changes.length).toBe(latest!.rowsAdded + latest!.rowsRemoved + latest!.rowsChanged);
		expect(await readRevisionDetail(db, INDICATOR, 999)).toBeUndefined();
	});

	it('restores an earlier revision as a new one, audited; a member cannot', async () => {
		const before = await snapshot();
		await expect(restoreRevision(db, member, INDICATOR, 1)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(restoreRevision(db, editor, INDICATOR, 999)).rejects.toBeInstanceOf(RevisionNotFound);
		expect(await snapshot()).toEqual(before);

		const restored = await restoreRevision(db, editor, INDICATOR, 1);
		expect(restored).toMatchObject({ number: before.revisions[0]! + 1, kind: 'rollback', source: 'revision 1', author: 'steward@example.org' });
		const first = await getRevision(db, INDICATOR, 1);
		const original = await readRevisionObservations(db.kysely, first!.id, INDICATOR);
		const after = await snapshot();
		expect(after.observations).toEqual(original.map((o) => [o.seriesKey, o.period, o.value]));
		expect(after.version).toBeGreaterThan(before.version);
		const { entries } = await readAuditLog(db, { subjectType: 'indicator', subjectId: INDICATOR });
		expect(entries[0]).toMatchObject({ action: 'revisions.restore', actorEmail: 'steward@example.org' });
		expect(entries[0]?.after).toMatchObject({ revision: restored.number, restored: 1 });
	});

	it('applies the uploader\'s duplicates choice to the preview and the publish, with a warning per pair', async () => {
		const refused = await stageUpload(db, editor, INDICATOR, { name: 'twice.csv', content: Buffer.from(TWICE) });
		const strict = await readDraft(db, editor.id, INDICATOR, refused);
		expect(strict?.duplicates).toBe('error');
		expect(strict?.validation.errors.map((e) => e.message)).toEqual([
			'Lines 3 and 5 are the same observation (Year 2016, no other column filled in) with different values (31 and 33).'
		]);
		expect(strict?.validation.warnings.map((w) => w.message)).toEqual([
			'Lines 2 and 4 are the same observation (Year 2015, no other column filled in), written twice; line 4 is skipped.'
		]);
		await expect(publishDraft(db, editor, INDICATOR, refused)).rejects.toMatchObject({ reason: 'invalid' });

		// Chosen on the preview: the same draft, validated again.
		expect(await setDraftDuplicates(db, otherEditor, INDICATOR, refused, 'keep-last')).toBe(false);
		await expect(setDraftDuplicates(db, member, INDICATOR, refused, 'keep-last')).resolves.toBe(false);
		expect(await setDraftDuplicates(db, editor, INDICATOR, refused, 'keep-last')).toBe(true);
		const last = await readDraft(db, editor.id, INDICATOR, refused);
		expect(last?.duplicates).toBe('keep-last');
		expect(last?.validation.errors).toEqual([]);
		expect(last?.validation.warnings.map((w) => w.message)).toEqual([
			'Lines 2 and 4 are the same observation (Year 2015, no other column filled in), written twice; line 4 is skipped.',
			'Lines 3 and 5 are the same observation (Year 2016, no other column filled in) with different values (31 and 33); line 5 is kept, line 3 is skipped, as asked.'
		]);
		const revision = await publishDraft(db, editor, INDICATOR, refused);
		expect((await snapshot()).observations).toEqual([
			['{}', '2015', 30],
			['{}', '2016', 33]
		]);
		expect((await readProgress(db.kysely, INDICATOR))?.series[0]?.current_value).toBe(33);
		const { entries } = await readAuditLog(db, { subjectType: 'indicator', subjectId: INDICATOR });
		expect(entries.find((e) => e.action === 'data.publish')?.after).toMatchObject({ revision: revision.number, duplicates: 'keep-last', rows: 2 });

		// Chosen on the upload form.
		const first = await stageUpload(db, editor, INDICATOR, { name: 'twice.csv', content: Buffer.from(TWICE) }, { duplicates: 'keep-first' });
		expect((await readDraft(db, editor.id, INDICATOR, first))?.validation.rows.map((r) => [r.line, r.value])).toEqual([
			[2, 30],
			[3, 31]
		]);
		await publishDraft(db, editor, INDICATOR, first);
		expect((await snapshot()).observations).toEqual([
			['{}', '2015', 30],
			['{}', '2016', 31]
		]);
	});

	it('deletes expired drafts, and an uploader keeps one draft per indicator', async () => {
		const old = await stageUpload(db, editor, INDICATOR, { name: 'old.csv', content: Buffer.from(GOOD) });
		await db.kysely.updateTable('upload_draft').set({ created_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', old).execute();
		expect(await readDraft(db, editor.id, INDICATOR, old)).toBeUndefined();
		await expect(publishDraft(db, editor, INDICATOR, old)).rejects.toMatchObject({ reason: 'missing' });
		const mine = await stageUpload(db, otherEditor, INDICATOR, { name: 'a.csv', content: Buffer.from(GOOD) });
		const replaced = await stageUpload(db, otherEditor, INDICATOR, { name: 'b.csv', content: Buffer.from(GOOD) });
		const ids = (await db.kysely.selectFrom('upload_draft').select('id').execute()).map((r) => r.id);
		expect(ids).not.toContain(old);
		expect(ids).not.toContain(mine);
		expect(ids).toContain(replaced);
	});

	it('refuses a file that is not a CSV file, naming what it is, and stages nothing', async () => {
		const before = await snapshot();
		const png = chartPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>', 20);
		await expect(stageUpload(db, editor, INDICATOR, { name: 'energy.csv', content: png })).rejects.toThrow(
			/^energy\.csv: The file is a PNG image, not a CSV file\. Choose the CSV file that holds the data/
		);
		expect(await snapshot()).toEqual(before);
	});

	it('publishes and restores at once: every revision numbered one after the other, one draft published once', async () => {
		const before = await snapshot();
		const mine = await stageUpload(db, editor, INDICATOR, { name: 'mine.csv', content: Buffer.from(GOOD) });
		const theirs = await stageUpload(db, otherEditor, INDICATOR, { name: 'theirs.csv', content: Buffer.from(GOOD) });
		const published = await Promise.all([publishDraft(db, editor, INDICATOR, mine), publishDraft(db, otherEditor, INDICATOR, theirs), restoreRevision(db, editor, INDICATOR, 1), restoreRevision(db, otherEditor, INDICATOR, 1)]);
		const latest = before.revisions[0]!;
		expect(published.map((r) => r.number).sort((a, b) => a - b)).toEqual([latest + 1, latest + 2, latest + 3, latest + 4]);

		// The same draft sent twice at once (a double click): published once, the second finds it gone.
		const once = await stageUpload(db, editor, INDICATOR, { name: 'once.csv', content: Buffer.from(GOOD) });
		const twice = await Promise.allSettled([publishDraft(db, editor, INDICATOR, once), publishDraft(db, editor, INDICATOR, once)]);
		expect(twice.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		expect(twice.find((r) => r.status === 'rejected')).toMatchObject({ reason: { reason: 'missing' } });
		expect((await snapshot()).revisions[0]).toBe(latest + 5);
	});
});
