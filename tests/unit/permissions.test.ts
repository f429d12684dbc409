import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLES, can, rolesAllowed, type Action, type Role } from '#lib/server/auth/permissions.ts';

/** The whole matrix, written out: which roles may do each action. */
const EXPECTED: Record<Action, readonly Role[]> = {
	'admin.view': ['editor', 'reviewer', 'moderator', 'admin'],
	'catalog.view': ['editor', 'admin'],
	'catalog.edit': ['editor', 'admin'],
	'targets.edit': ['editor', 'admin'],
	'data.upload': ['editor', 'admin'],
	'data.publish': ['editor', 'admin'],
	'revisions.view': ['editor', 'admin'],
	'revisions.restore': ['editor', 'admin'],
	'stories.write': ['editor', 'admin'],
	'stories.publish': ['editor', 'admin'],
	'region.view': ['admin'],
	'region.edit': ['admin'],
	'users.view': ['admin'],
	'users.setRole': ['admin'],
	'audit.view': ['admin'],
	'outbox.view': ['admin'],
	// Representatives of an organization (any role) also view and edit their own: tests/unit/directory-editing.test.ts.
	'directory.claim': ['member', 'editor', 'reviewer', 'moderator', 'admin'],
	'directory.view': ['editor', 'admin'],
	'directory.edit': ['editor', 'admin'],
	'directory.decideClaims': ['editor', 'admin']
};

describe('the permission matrix', () => {
	it('names every action once', () => {
		expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	describe.each(ACTIONS)('%s', (action) => {
		it.each(ROLES)('for a verified %s', (role) => {
			const allowed = EXPECTED[action].includes(role);
			expect(can({ id: 'u1', role, emailVerified: true }, action, { type: 'story', id: 'a-story' })).toBe(allowed);
			expect(rolesAllowed(action).includes(role)).toBe(allowed);
		});
		it('for nobody signed in or unverified', () => {
			expect(can(null, action)).toBe(false);
			expect(can(undefined, action)).toBe(false);
			expect(can({ id: 'u1', role: 'admin', emailVerified: false }, action)).toBe(false);
		});
	});

	it('lets nobody change their own role', () => {
		const admin = { id: 'u1', role: 'admin' as const, emailVerified: true };
		expect(can(admin, 'users.setRole', { type: 'user', id: 'u1' })).toBe(false);
		expect(can(admin, 'users.setRole', { type: 'user', id: 'u2' })).toBe(true);
	});
});
