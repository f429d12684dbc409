/**
 * Who may do what: the one permission check every admin page, form action and command uses.
 * Pure (no I/O), so the whole matrix is unit-tested.
 */

export const ROLES = ['member', 'editor', 'reviewer', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Every action the back office knows. `*.view` actions read private pages; the others write,
 * and every write goes through the audited path (src/lib/server/audit/).
 */
export const ACTIONS = [
	'admin.view',
	'catalog.view',
	'catalog.edit',
	'targets.edit',
	'data.upload',
	'data.publish',
	'revisions.view',
	'revisions.restore',
	'stories.write',
	'stories.publish',
	'region.view',
	'region.edit',
	'users.view',
	'users.setRole',
	'audit.view',
	'outbox.view',
	'directory.claim',
	'directory.view',
	'directory.edit',
	'directory.decideClaims'
] as const;
export type Action = (typeof ACTIONS)[number];

const STEWARD: readonly Role[] = ['editor', 'admin'];

/** The roles allowed each action. Admins may do everything. */
const ALLOWED: Record<Action, readonly Role[]> = {
	'admin.view': ['editor', 'reviewer', 'moderator', 'admin'],
	'catalog.view': STEWARD,
	'catalog.edit': STEWARD,
	'targets.edit': STEWARD,
	'data.upload': STEWARD,
	'data.publish': STEWARD,
	'revisions.view': STEWARD,
	'revisions.restore': STEWARD,
	// Stories (src/lib/stories): writing a draft and publishing it (or taking it down).
	'stories.write': STEWARD,
	'stories.publish': STEWARD,
	'region.view': ['admin'],
	'region.edit': ['admin'],
	'users.view': ['admin'],
	'users.setRole': ['admin'],
	'audit.view': ['admin'],
	'outbox.view': ['admin'],
	'directory.claim': ROLES,
	// Representatives (of any role) too: see `can`.
	'directory.view': STEWARD,
	'directory.edit': STEWARD,
	'directory.decideClaims': STEWARD
};

/** Actions a representative of an organization may take whatever their role (for that organization only, where a subject is given). */
const REPRESENTATIVE_ACTIONS: ReadonlySet<Action> = new Set(['admin.view', 'directory.view', 'directory.edit']);

/** The part of a signed-in user the check looks at. */
export interface Actor {
	id: string;
	role: Role;
	emailVerified: boolean;
	/** The organizations whose approved representative this person is. */
	representativeOf?: readonly string[];
}

/** What an action is applied to, where the answer depends on it. */
export type Subject =
	| { type: 'user'; id: string }
	| { type: 'indicator'; id: string }
	| { type: 'area'; id: string }
	| { type: 'region'; id: string }
	| { type: 'organization'; id: string }
	/** A program, with the organizations that run it. */
	| { type: 'program'; id: string; organizationIds: readonly string[] }
	/** A funding record, with its funder and recipient. */
	| { type: 'funding'; id: string; organizationIds: readonly string[] }
	| { type: 'story'; id: string };

/**
 * May `actor` do `action` (to `subject`)? Signed-out visitors and unverified accounts may do
 * nothing here; nobody changes their own role (so an admin cannot lock the region out by
 * accident — another admin has to do it).
 */
export function can(actor: Actor | null | undefined, action: Action, subject?: Subject): boolean {
	if (!actor || !actor.emailVerified || !isRole(actor.role)) return false;
	if (!ALLOWED[action].includes(actor.role)) return representativeMay(actor, action, subject);
	if (action === 'users.setRole' && subject?.type === 'user' && subject.id === actor.id) return false;
	return true;
}

/**
 * A representative edits only what belongs to the organizations they represent: an
 * organization's own profile, a program one of them runs, a funding record one of them gave
 * or received. Without a subject, the question
 * is whether they may use the back office's directory at all.
 */
function representativeMay(actor: Actor, action: Action, subject: Subject | undefined): boolean {
	const represented = actor.representativeOf ?? [];
	if (represented.length === 0 || !REPRESENTATIVE_ACTIONS.has(action)) return false;
	if (!subject) return true;
	if (subject.type === 'organization') return represented.includes(subject.id);
	if (subject.type === 'program' || subject.type === 'funding') return subject.organizationIds.some((id) => represented.includes(id));
	return false;
}

/** The roles that may do `action`: for pages that explain who can do what. */
export function rolesAllowed(action: Action): readonly Role[] {
	return ALLOWED[action];
}
