import { describe, expect, it } from 'vitest';
import { changedFields, emailMatchesWebsite, readDirectoryForm } from '#lib/directory/editing.ts';
import { can, type Actor } from '#lib/server/auth/permissions.ts';
import type { Organization } from '#lib/directory/model.ts';

const org: Organization = {
	id: 'river-city-reads',
	name: 'River City Reads',
	kind: 'nonprofit',
	mission: 'Reading',
	website: 'https://www.river-reads.example.org',
	email: '',
	phone: '',
	serviceArea: ['06067'],
	verifiedAt: null,
	isSample: true
};

describe('the directory edit form', () => {
	const form = { name: 'River City Reads', kind: 'nonprofit', mission: 'Reading, writing', website: 'https://river-reads.example.org', email: 'hi@river-reads.example.org', phone: '', service_area: '06067;06113', verified_at: '2026-12-01' };

	it('reads a valid form with the exchange format’s rules and keeps the id and the sample flag', () => {
		const read = readDirectoryForm('organizations', org, form);
		expect(read.ok && read.record).toEqual({ ...org, mission: 'Reading, writing', website: 'https://river-reads.example.org', email: 'hi@river-reads.example.org', serviceArea: ['06067', '06113'], verifiedAt: '2026-12-01' });
		if (!read.ok) return;
		expect(changedFields('organizations', org, read.record).map((c) => c.field)).toEqual(['mission', 'website', 'email', 'service_area', 'verified_at']);
	});

	it('names every field with a problem and what to do', () => {
		const read = readDirectoryForm('organizations', org, { ...form, name: '', kind: 'club', website: 'river-reads', email: 'nobody', verified_at: '2026-02-30' });
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(Object.keys(read.problems).sort()).toEqual(['email', 'kind', 'name', 'verified_at', 'website']);
		expect(read.problems.website).toMatch(/not a web address.*https:\/\//);
		expect(read.problems.verified_at).not.toMatch(/^Line/);
	});

	it('takes a quote, a comma and a new line in a text as they are', () => {
		const read = readDirectoryForm('organizations', org, { ...form, mission: 'We "read", a lot.\r\nEvery day.' });
		expect(read.ok && read.record.mission).toBe('We "read", a lot.\nEvery day.');
	});
});

describe('claims approved by e-mail domain', () => {
	it('matches the website’s domain, without www, and nothing else', () => {
		expect(emailMatchesWebsite('Ana@River-Reads.example.org', 'https://www.river-reads.example.org/about')).toBe(true);
		expect(emailMatchesWebsite('ana@mail.river-reads.example.org', 'https://river-reads.example.org')).toBe(false);
		expect(emailMatchesWebsite('ana@gmail.com', 'https://river-reads.example.org')).toBe(false);
		expect(emailMatchesWebsite('ana@river-reads.example.org', '')).toBe(false);
		expect(emailMatchesWebsite('', 'https://river-reads.example.org')).toBe(false);
	});
});

describe('the directory’s permissions', () => {
	const person = (role: Actor['role'], representativeOf: string[] = []): Actor => ({ id: role, role, emailVerified: true, representativeOf });
	const ours = { type: 'organization', id: 'river-city-reads' } as const;
	const theirs = { type: 'organization', id: 'other' } as const;
	const ourProgram = { type: 'program', id: 'tutors', organizationIds: ['other', 'river-city-reads'] } as const;
	const theirProgram = { type: 'program', id: 'jobs', organizationIds: ['other'] } as const;

	it('lets editors and admins edit every record and decide claims', () => {
		for (const role of ['editor', 'admin'] as const) {
			for (const subject of [ours, theirs, ourProgram, theirProgram]) expect(can(person(role), 'directory.edit', subject)).toBe(true);
			expect(can(person(role), 'directory.decideClaims')).toBe(true);
		}
	});

	it('lets a representative edit only their organization and the programs it runs', () => {
		const rep = person('member', ['river-city-reads']);
		expect(can(rep, 'admin.view')).toBe(true);
		expect(can(rep, 'directory.view')).toBe(true);
		expect(can(rep, 'directory.edit', ours)).toBe(true);
		expect(can(rep, 'directory.edit', ourProgram)).toBe(true);
		expect(can(rep, 'directory.edit', theirs)).toBe(false);
		expect(can(rep, 'directory.edit', theirProgram)).toBe(false);
		expect(can(rep, 'directory.edit', { type: 'indicator', id: 'unemployment' })).toBe(false);
		expect(can(rep, 'directory.decideClaims')).toBe(false);
		expect(can(rep, 'catalog.edit')).toBe(false);
		expect(can(rep, 'data.upload', { type: 'indicator', id: 'unemployment' })).toBe(false);
		// A moderator who represents an organization gets the same, and no more.
		expect(can(person('moderator', ['river-city-reads']), 'directory.edit', theirs)).toBe(false);
		expect(can(person('moderator', ['river-city-reads']), 'directory.edit', ours)).toBe(true);
	});

	it('gives members without a claim, reviewers and moderators nothing in the directory but claiming', () => {
		for (const role of ['member', 'reviewer', 'moderator'] as const) {
			expect(can(person(role), 'directory.view')).toBe(false);
			expect(can(person(role), 'directory.edit', ours)).toBe(false);
			expect(can(person(role), 'directory.claim', ours)).toBe(true);
		}
		expect(can(person('member'), 'admin.view')).toBe(false);
		expect(can({ ...person('member', ['river-city-reads']), emailVerified: false }, 'directory.edit', ours)).toBe(false);
		expect(can(null, 'directory.claim', ours)).toBe(false);
	});
});
