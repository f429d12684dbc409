/**
 * Who keeps the directory, on both databases: claims (approved at once by e-mail domain, or
 * by an editor), a representative's edits of their own organization and its programs only,
 * preview then publish with a change history and audit entries, restore, and nothing
 * half-saved when a form is wrong.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { createUserWithPassword, type SessionUser } from '#lib/server/auth/users.ts';
import { ForbiddenError, readAuditLog } from '#lib/server/audit/log.ts';
import { claimOrganization, claimsToDecide, decideClaim, representedOrganizations } from '#lib/directory/server/representatives.ts';
import { editRecord, readOrganization, readProgram, recordHistory, restoreChange } from '#lib/directory/server/editing.ts';
import { fieldTexts, newFunding } from '#lib/directory/editing.ts';
import { searchCatalog } from '#lib/search/server/index.ts';
import { readFunding } from '#lib/directory/server/editing.ts';
import { DIALECTS, PROJECT_DIR, openTestDatabase } from '../support/databases.ts';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));

describe.each(DIALECTS)('representatives on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	const people: Record<string, SessionUser> = {};

	async function person(email: string, role: SessionUser['role'] = 'member'): Promise<SessionUser> {
		const row = await createUserWithPassword(db, { email, role, password: 'correct horse battery staple' }, 'test');
		return { id: row.id, name: row.name, email: row.email, role: row.role, emailVerified: true, representativeOf: [] };
	}
	const withClaims = async (p: SessionUser): Promise<SessionUser> => ({ ...p, representativeOf: await representedOrganizations(db.kysely, p.id) });

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
		people.domain = await person('ana@river-city-reads.example.org');
		people.other = await person('bo@example.net');
		people.editor = await person('ed@example.org', 'editor');
	});
	afterAll(async () => close());

	it('approves a claim at once when the e-mail is at the organization’s web domain, and waits for an editor otherwise', async () => {
		expect(await claimOrganization(db, people.domain!, 'river-city-reads', '')).toBe('approved');
		expect(await representedOrganizations(db.kysely, people.domain!.id)).toEqual(['river-city-reads']);
		expect(await claimOrganization(db, people.other!, 'delta-health-access', 'I run the navigators.')).toBe('pending');
		await expect(claimOrganization(db, people.other!, 'delta-health-access', '')).rejects.toThrow(/waiting for an editor/);
		await expect(claimOrganization(db, people.other!, 'nobody', '')).rejects.toThrow(/no such organization/);
		expect(await representedOrganizations(db.kysely, people.other!.id)).toEqual([]);

		const { pending } = await claimsToDecide(db);
		expect(pending.map((c) => [c.email, c.organizationId, c.note])).toEqual([['bo@example.net', 'delta-health-access', 'I run the navigators.']]);
		// A member cannot decide claims, not even their own.
		await expect(decideClaim(db, people.other!, 'delta-health-access', people.other!.id, 'approved', '')).rejects.toBeInstanceOf(ForbiddenError);
		await decideClaim(db, people.editor!, 'delta-health-access', people.other!.id, 'approved', 'Checked by phone');
		expect(await representedOrganizations(db.kysely, people.other!.id)).toEqual(['delta-health-access']);
		await expect(decideClaim(db, people.editor!, 'delta-health-access', people.other!.id, 'approved', '')).rejects.toThrow(/approved already/);
		const actions = (await readAuditLog(db)).entries.map((e) => e.action);
		expect(actions.filter((a) => a === 'directory.claim')).toHaveLength(2);
		expect(actions).toContain('directory.decideClaims');
	});

	it('lets a representative preview and publish edits of their own organization only, with history and restore', async () => {
		const rep = await withClaims(people.domain!);
		const before = (await readOrganization(db.kysely, 'river-city-reads'))!;
		const form = { ...fieldTexts('organizations', before), mission: 'Tutors and reading nights for every child.', phone: '(916) 555-0199' };

		const preview = await editRecord(db, rep, 'organizations', 'river-city-reads', form, { preview: true });
		expect(preview).toEqual({ ok: true, changes: [
			{ field: 'mission', before: before.mission, after: 'Tutors and reading nights for every child.' },
			{ field: 'phone', before: before.phone, after: '(916) 555-0199' }
		] });
		expect((await readOrganization(db.kysely, 'river-city-reads'))!.mission).toBe(before.mission);

		await editRecord(db, rep, 'organizations', 'river-city-reads', form, { preview: false });
		expect((await readOrganization(db.kysely, 'river-city-reads'))!.mission).toBe('Tutors and reading nights for every child.');
		// The site search finds the organization by its new words, and its programs still by its name.
		const found = await searchCatalog(db, 'tutors reading nights', 'en');
		expect(found.map((r) => `${r.kind}:${r.id}`)).toContain('organization:river-city-reads');
		expect((await searchCatalog(db, 'River City Reads', 'en')).map((r) => `${r.kind}:${r.id}`)).toEqual(expect.arrayContaining(['organization:river-city-reads', 'program:after-school-tutoring']));
		const history = await recordHistory(db, 'organizations', 'river-city-reads');
		expect(history.slice(0, 2).map((h) => [h.field, h.author])).toEqual([
			['phone', 'ana@river-city-reads.example.org'],
			['mission', 'ana@river-city-reads.example.org']
		]);

		// Another organization, and a program it does not run, are refused and stay as they were.
		const theirs = (await readOrganization(db.kysely, 'delta-health-access'))!;
		await expect(editRecord(db, rep, 'organizations', 'delta-health-access', { ...fieldTexts('organizations', theirs), name: 'Taken' }, { preview: true })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(editRecord(db, rep, 'organizations', 'delta-health-access', { ...fieldTexts('organizations', theirs), name: 'Taken' }, { preview: false })).rejects.toBeInstanceOf(ForbiddenError);
		const jobs = (await readProgram(db.kysely, 'jobs-pathways'))!;
		await expect(editRecord(db, rep, 'programs', 'jobs-pathways', { ...fieldTexts('programs', jobs), name: 'Taken' }, { preview: false })).rejects.toBeInstanceOf(ForbiddenError);
		expect((await readOrganization(db.kysely, 'delta-health-access'))!.name).toBe(theirs.name);
		// Their own program (one River City Reads runs with a funder) is theirs to edit.
		const bridge = (await readProgram(db.kysely, 'summer-reading-bridge'))!;
		expect(await editRecord(db, rep, 'programs', 'summer-reading-bridge', { ...fieldTexts('programs', bridge), status: 'paused' }, { preview: false })).toMatchObject({ ok: true });
		expect((await readProgram(db.kysely, 'summer-reading-bridge'))!.status).toBe('paused');

		// A wrong form names its fields and changes nothing.
		const wrong = await editRecord(db, rep, 'organizations', 'river-city-reads', { ...form, website: 'not a site', verified_at: '31/02/2026' }, { preview: false });
		expect(wrong.ok).toBe(false);
		if (!wrong.ok) expect(Object.keys(wrong.problems).sort()).toEqual(['verified_at', 'website']);
		expect((await readOrganization(db.kysely, 'river-city-reads'))!.website).toBe(before.website);

		// Restore the mission as it was before the edit.
		const missionChange = (await recordHistory(db, 'organizations', 'river-city-reads')).find((h) => h.field === 'mission')!;
		await restoreChange(db, rep, 'organizations', 'river-city-reads', missionChange.id);
		expect((await readOrganization(db.kysely, 'river-city-reads'))!.mission).toBe(before.mission);
		expect((await recordHistory(db, 'organizations', 'river-city-reads'))[0]).toMatchObject({ field: 'mission', newValue: before.mission, source: `restore of change ${missionChange.id}` });

		// Funding their organization received: added, edited; never handed to others.
		const grant = { ...newFunding('river-city-reads', new Date('2026-12-08T00:00:00Z')), id: 'grant-test' };
		const grantForm = { ...fieldTexts('funding', grant), funder_id: 'capital-region-community-fund', title: 'Reading nights', amount: '$12,500.00', fiscal_year: '2026', source_kind: 'philanthropy' };
		expect(await editRecord(db, rep, 'funding', grant.id, grantForm, { preview: false, creating: grant })).toMatchObject({ ok: true });
		expect(await readFunding(db.kysely, 'grant-test')).toMatchObject({ amount: 12500, funderId: 'capital-region-community-fund', recipientId: 'river-city-reads', fiscalYear: 2026 });
		const unknown = await editRecord(db, rep, 'funding', 'grant-test', { ...grantForm, funder_id: 'nobody' }, { preview: true });
		expect(unknown.ok === false && Object.keys(unknown.problems)).toEqual(['funder_id']);
		await expect(editRecord(db, rep, 'funding', 'grant-test', { ...grantForm, recipient_id: 'delta-health-access' }, { preview: false })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(editRecord(db, rep, 'funding', 'grant-2022-navigators', { ...fieldTexts('funding', (await readFunding(db.kysely, 'grant-2022-navigators'))!), amount: '1' }, { preview: false })).rejects.toBeInstanceOf(ForbiddenError);
		expect((await readFunding(db.kysely, 'grant-test'))!.recipientId).toBe('river-city-reads');
		const negative = await editRecord(db, rep, 'funding', 'grant-test', { ...grantForm, amount: '-5', currency: 'XYZ' }, { preview: false });
		expect(negative.ok === false && Object.keys(negative.problems).sort()).toEqual(['amount', 'currency']);

		// Editors edit any record; after a revoked claim the representative edits nothing.
		expect(await editRecord(db, people.editor!, 'organizations', 'delta-health-access', { ...fieldTexts('organizations', theirs), phone: '(916) 555-0142' }, { preview: false })).toMatchObject({ ok: true });
		await decideClaim(db, people.editor!, 'river-city-reads', people.domain!.id, 'revoked', 'Left the organization');
		const former = await withClaims(people.domain!);
		await expect(editRecord(db, former, 'organizations', 'river-city-reads', form, { preview: true })).rejects.toBeInstanceOf(ForbiddenError);
		const edits = (await readAuditLog(db)).entries.filter((e) => e.action === 'directory.edit');
		expect(edits.map((e) => e.summary)).toContain('Edited River City Reads: mission, phone');
	});
});
