import type { Cookies } from '@sveltejs/kit';
import { isAPIError } from 'better-auth/api';
import { parseSetCookieHeader, toCookieOptions } from 'better-auth/cookies';
import type { Db } from '../db/connect.ts';
import { fromFlag } from '../db/values.ts';
import { UserFacingError } from '../errors.ts';
import { privilegedTransaction, recordSystemAction, type AuditActor } from '../audit/log.ts';
import { getAuth, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, SESSION_COOKIE } from './auth.ts';
import { isRole, ROLES, type Role } from './permissions.ts';
import { representedOrganizations } from '#lib/directory/server/representatives.ts';

/** The signed-in person as pages and permission checks see them. */
export interface SessionUser extends AuditActor {
	name: string;
}

export interface UserRow {
	id: string;
	name: string;
	email: string;
	role: Role;
	emailVerified: boolean;
	createdAt: string;
}

/** A timestamp for an auth_* column: a Date on PostgreSQL (timestamptz), ISO text on SQLite. */
function authTimestamp(db: Db): string | Date {
	return db.dialect === 'postgres' ? new Date() : new Date().toISOString();
}

function isoText(value: string | Date): string {
	return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** Copies the cookies better-auth asked to set (sign-in, refresh, sign-out) onto the response. */
export function applyAuthCookies(headers: Headers | null | undefined, cookies: Cookies): void {
	if (!headers) return;
	for (const line of headers.getSetCookie()) {
		for (const [name, attributes] of parseSetCookieHeader(line)) {
			const options = toCookieOptions(attributes);
			cookies.set(name, attributes.value, {
				path: options.path || '/',
				httpOnly: options.httpOnly ?? true,
				sameSite: options.sameSite ?? 'lax',
				secure: options.secure ?? false,
				...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
				...(options.expires !== undefined ? { expires: options.expires } : {})
			});
		}
	}
}

/** True when the request carries a session cookie at all (anonymous requests skip the database). */
export function hasSessionCookie(cookies: Cookies): boolean {
	return cookies.get(SESSION_COOKIE) !== undefined;
}

/**
 * Sessions this server verified in the last few seconds, by the session cookie's value. A
 * signed-in person's pages come quickly one after another (a page, then its next); checking
 * the signature and reading the session for each costs more than the page itself. Signing
 * out, a password reset, a role change and a decided claim to represent an organization
 * forget them all at once; another server
 * sharing the database sees those at most VERIFIED_SESSION_MS later.
 */
const verifiedSessions = new Map<string, { user: SessionUser; until: number }>();
const VERIFIED_SESSION_MS = 5_000;
const MAX_VERIFIED_SESSIONS = 10_000;

/** Makes the next request of every session be checked against the database again. */
export function forgetVerifiedSessions(): void {
	verifiedSessions.clear();
}

/** The person the request's session cookie belongs to, or null. Refreshes or clears the cookie as needed. */
export async function readSession(db: Db, request: Request, cookies: Cookies): Promise<SessionUser | null> {
	const cookie = cookies.get(SESSION_COOKIE);
	const now = Date.now();
	const verified = cookie === undefined ? undefined : verifiedSessions.get(cookie);
	if (verified && verified.until > now) return verified.user;

	const auth = await getAuth(db);
	const { headers, response } = await auth.api.getSession({ headers: request.headers, returnHeaders: true });
	applyAuthCookies(headers, cookies);
	if (!response) return null;
	const user = response.user as typeof response.user & { role?: string };
	const person: SessionUser = {
		id: user.id,
		name: user.name,
		email: user.email,
		role: isRole(user.role) ? user.role : 'member',
		emailVerified: fromFlag(user.emailVerified),
		representativeOf: await representedOrganizations(db.kysely, user.id)
	};
	// Kept only when the cookie stays as it is (not refreshed), and never past the session's end.
	if (cookie !== undefined && !headers?.getSetCookie().length) {
		if (verifiedSessions.size >= MAX_VERIFIED_SESSIONS) verifiedSessions.clear();
		verifiedSessions.set(cookie, { user: person, until: Math.min(now + VERIFIED_SESSION_MS, new Date(response.session.expiresAt).getTime()) });
	}
	return person;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
	const rows = await db.kysely.selectFrom('auth_user').select(['id', 'name', 'email', 'role', 'email_verified', 'created_at']).orderBy('email').execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		email: r.email,
		role: isRole(r.role) ? r.role : 'member',
		emailVerified: fromFlag(r.email_verified),
		createdAt: isoText(r.created_at)
	}));
}

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
	return (await listUsers(db)).find((u) => u.id === id);
}

/**
 * Gives a person another role (admins only, never their own), recorded in the audit log. The
 * last admin cannot be demoted, so the region always has someone who can manage roles.
 */
export async function setUserRole(db: Db, actor: AuditActor | null, userId: string, role: Role): Promise<UserRow> {
	const changed = await privilegedTransaction(db, actor, 'users.setRole', { type: 'user', id: userId }, async (trx) => {
		const target = await trx.selectFrom('auth_user').select(['id', 'email', 'role']).where('id', '=', userId).executeTakeFirst();
		if (!target) throw new UserFacingError('That account no longer exists: reload the list of users.');
		if (target.role === 'admin' && role !== 'admin') {
			const admins = await trx.selectFrom('auth_user').select('id').where('role', '=', 'admin').execute();
			if (admins.length <= 1) throw new UserFacingError(`${target.email} is the only admin: make someone else an admin first.`);
		}
		await trx.updateTable('auth_user').set({ role, updated_at: authTimestamp(db) }).where('id', '=', userId).execute();
		return {
			result: (await findUserIn(trx, userId))!,
			audit: {
				subjectType: 'user',
				subjectId: userId,
				summary: `Role of ${target.email}: ${target.role} → ${role}`,
				before: { role: target.role },
				after: { role }
			}
		};
	});
	// Once committed: the person's next request is checked with the new role.
	forgetVerifiedSessions();
	return changed;
}

async function findUserIn(trx: Parameters<Parameters<typeof privilegedTransaction>[4]>[0], id: string): Promise<UserRow | undefined> {
	const r = await trx.selectFrom('auth_user').select(['id', 'name', 'email', 'role', 'email_verified', 'created_at']).where('id', '=', id).executeTakeFirst();
	return r && { id: r.id, name: r.name, email: r.email, role: isRole(r.role) ? r.role : 'member', emailVerified: fromFlag(r.email_verified), createdAt: isoText(r.created_at) };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkPassword(password: string): string | undefined {
	if (password.length < MIN_PASSWORD_LENGTH) return `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`;
	if (password.length > MAX_PASSWORD_LENGTH) return `The password is too long: use at most ${MAX_PASSWORD_LENGTH} characters.`;
	return undefined;
}

/**
 * Creates a verified account with a role, for the command line (`sac2050 user create`): the
 * way the first admin comes to exist. Recorded in the audit log as a system action.
 */
export async function createUserWithPassword(
	db: Db,
	input: { email: string; name?: string; role: string; password: string },
	who: string
): Promise<UserRow> {
	const email = input.email.trim().toLowerCase();
	if (!EMAIL_PATTERN.test(email)) throw new UserFacingError(`"${input.email}" is not an e-mail address: write it as name@example.org.`);
	if (!isRole(input.role)) throw new UserFacingError(`"${input.role}" is not a role: use one of ${ROLES.join(', ')}.`);
	const problem = checkPassword(input.password);
	if (problem) throw new UserFacingError(problem);
	const auth = await getAuth(db);
	const context = await auth.$context;
	if (await context.internalAdapter.findUserByEmail(email)) {
		throw new UserFacingError(`There is already an account for ${email}: an admin can change its role at /admin/users.`);
	}
	const hash = await context.password.hash(input.password);
	const name = input.name?.trim() || email.split('@')[0]!;
	const role = input.role;
	const user = await context.internalAdapter.createUser({ email, name, emailVerified: true, role }, { method: 'email-password' });
	await context.internalAdapter.linkAccount({ userId: user.id, providerId: 'credential', accountId: user.id, password: hash });
	await recordSystemAction(db.kysely, who, 'users.create', {
		subjectType: 'user',
		subjectId: user.id,
		summary: `Created ${email} as ${role}`,
		before: null,
		after: { email, role }
	});
	return (await findUser(db, user.id))!;
}

/** better-auth's error code (INVALID_EMAIL_OR_PASSWORD, EMAIL_NOT_VERIFIED, …), or undefined for other errors. */
export function authErrorCode(error: unknown): string | undefined {
	return isAPIError(error) ? (error.body as { code?: string } | undefined)?.code : undefined;
}

/**
 * Takes back an account made by a sign-up whose confirmation message could not be sent, so
 * that signing up again starts afresh. Only an account nobody has confirmed is removed.
 */
export async function removeUnconfirmedSignUp(db: Db, userId: string): Promise<void> {
	const row = await db.kysely.selectFrom('auth_user').select('email_verified').where('id', '=', userId).executeTakeFirst();
	if (!row || fromFlag(row.email_verified)) return;
	const context = await (await getAuth(db)).$context;
	await context.internalAdapter.deleteUser(userId);
}
