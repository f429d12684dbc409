import type { Locale } from '#lib/paraglide/runtime.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { betterAuth } from 'better-auth';
import type { Db } from '../db/connect.ts';
import { now } from '../db/values.ts';
import { UserFacingError } from '../errors.ts';
import { sendMail, type OutgoingMail } from '../mail/mailer.ts';
import { m } from '#lib/paraglide/messages.js';

/**
 * Accounts through better-auth on Sac2050's own database (tables auth_*, migration
 * 003-accounts). Sac2050 does not expose better-auth's JSON endpoints: its pages call
 * `auth.api` from form actions, which add CSRF tokens and rate limits (see csrf.ts and
 * rate-limit.ts), so everything works without JavaScript.
 */

/** Session cookies are named `sac2050.*`; the rendered-page cache treats such a request as signed in. */
export const COOKIE_PREFIX = 'sac2050';
export const SESSION_COOKIE = `${COOKIE_PREFIX}.session_token`;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** How long a password-reset link works. */
export const RESET_LINK_SECONDS = 60 * 60;
/** How long an e-mail verification link works. */
export const VERIFY_LINK_SECONDS = 24 * 60 * 60;

/**
 * The public address used in e-mailed links: ORIGIN, never the request's Host header (which
 * a visitor controls), or http://localhost:<PORT> when ORIGIN is not set.
 */
export function publicOrigin(env: NodeJS.ProcessEnv = process.env): string {
	const origin = env.ORIGIN?.trim();
	if (origin) return new URL(origin).origin;
	return `http://localhost:${env.PORT?.trim() || '3000'}`;
}

const SECRET_SETTING = 'auth.secret';

/**
 * The key that signs e-mail verification links and session cookies: AUTH_SECRET when set,
 * otherwise one made on first use and kept in the database, so every server shares it.
 */
async function authSecret(db: Db): Promise<string> {
	const fromEnv = process.env.AUTH_SECRET?.trim();
	if (fromEnv) {
		if (fromEnv.length < 32) throw new UserFacingError('AUTH_SECRET is too short: use at least 32 random characters, e.g. the output of "openssl rand -hex 32".');
		return fromEnv;
	}
	const stored = await db.kysely.selectFrom('setting').select('value').where('key', '=', SECRET_SETTING).executeTakeFirst();
	if (stored) return JSON.parse(stored.value) as string;
	const secret = randomBytes(32).toString('hex');
	await db.kysely
		.insertInto('setting')
		.values({ key: SECRET_SETTING, value: JSON.stringify(secret), updated_at: now() })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	const row = await db.kysely.selectFrom('setting').select('value').where('key', '=', SECRET_SETTING).executeTakeFirstOrThrow();
	return JSON.parse(row.value) as string;
}

/** What better-auth's e-mail is for: confirming a new account or one not yet confirmed, a password reset, or telling an account's owner someone signed up with its address. */
export type MailKind = 'verify' | 'reset' | 'exists';

/** One message a request started: whom it is for and whether it went out. */
export interface MailDeliveryAttempt {
	kind: MailKind;
	user: { id: string; email: string; emailVerified: boolean };
	/** True once sent; false when it could not be written or sent (the error is logged). */
	sent: Promise<boolean>;
}

/**
 * The e-mail one request causes: the language it is written in, and each message started,
 * so that the form can tell the visitor when one could not be sent.
 */
export class MailScope {
	readonly locale: Locale;
	readonly attempts: MailDeliveryAttempt[] = [];

	constructor(locale: Locale) {
		this.locale = locale;
	}

	/** Runs `fn` so that e-mail it causes is written in this scope's language and counted here. */
	run<T>(fn: () => Promise<T>): Promise<T> {
		return mailScope.run(this, fn);
	}

	/** Waits for the messages started so far; those that could not be written or sent. */
	async failures(): Promise<MailDeliveryAttempt[]> {
		const sent = await Promise.all(this.attempts.map((attempt) => attempt.sent));
		return this.attempts.filter((_, i) => !sent[i]);
	}
}

const mailScope = new AsyncLocalStorage<MailScope>();

/** Runs `fn` so that e-mail it causes is written in `locale`. */
export function withMailLocale<T>(locale: Locale, fn: () => Promise<T>): Promise<T> {
	return new MailScope(locale).run(fn);
}

/** Sends a message better-auth asked for, noting it in the request's scope; failures are thrown on (better-auth logs them). */
function deliver(kind: MailKind, user: MailDeliveryAttempt['user'], mail: OutgoingMail): Promise<void> {
	const sending = sendMail(mail);
	mailScope.getStore()?.attempts.push({ kind, user, sent: sending.then(() => true, () => false) });
	return sending;
}

/** E-mail being sent in the background, so tests and shutdown can wait for it. */
const sending = new Set<Promise<unknown>>();

/** Resolves once every e-mail started so far has been sent (or has failed and been logged). */
export async function mailSettled(): Promise<void> {
	while (sending.size) await Promise.allSettled([...sending]);
}

// `sac2050 serve` loads the built app, which has its own copy of this module: it finds this
// one through a global name to wait for mail still being sent before it exits.
(globalThis as Record<symbol, unknown>)[Symbol.for('sac2050.mail-settled')] = mailSettled;

function buildAuth(db: Db, secret: string, origin: string) {
	const locale = () => ({ locale: mailScope.getStore()?.locale ?? 'en' });
	const secure = origin.startsWith('https://');
	return betterAuth({
		appName: 'Sac2050',
		baseURL: origin,
		basePath: '/auth/api',
		secret,
		database: { db: db.kysely, type: db.dialect },
		telemetry: { enabled: false },
		logger: { level: 'error' },
		user: {
			modelName: 'auth_user',
			fields: { emailVerified: 'email_verified', createdAt: 'created_at', updatedAt: 'updated_at' },
			additionalFields: {
				role: { type: 'string', required: false, defaultValue: 'member', input: false }
			}
		},
		session: {
			modelName: 'auth_session',
			fields: {
				expiresAt: 'expires_at',
				createdAt: 'created_at',
				updatedAt: 'updated_at',
				ipAddress: 'ip_address',
				userAgent: 'user_agent',
				userId: 'user_id'
			},
			expiresIn: 7 * 24 * 60 * 60,
			updateAge: 24 * 60 * 60
		},
		account: {
			modelName: 'auth_account',
			fields: {
				accountId: 'account_id',
				providerId: 'provider_id',
				userId: 'user_id',
				accessToken: 'access_token',
				refreshToken: 'refresh_token',
				idToken: 'id_token',
				accessTokenExpiresAt: 'access_token_expires_at',
				refreshTokenExpiresAt: 'refresh_token_expires_at',
				createdAt: 'created_at',
				updatedAt: 'updated_at'
			}
		},
		verification: {
			modelName: 'auth_verification',
			fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
			// Reset tokens are stored hashed; expired ones are kept a while so their links can say "expired".
			storeIdentifier: 'hashed',
			disableCleanup: true
		},
		emailAndPassword: {
			enabled: true,
			requireEmailVerification: true,
			minPasswordLength: MIN_PASSWORD_LENGTH,
			maxPasswordLength: MAX_PASSWORD_LENGTH,
			resetPasswordTokenExpiresIn: RESET_LINK_SECONDS,
			revokeSessionsOnPasswordReset: true,
			sendResetPassword: async ({ user, token }) => {
				const link = `${origin}/reset-password?token=${encodeURIComponent(token)}`;
				await deliver('reset', user, {
					to: user.email,
					subject: m.mail_reset_subject({}, locale()),
					text: m.mail_reset_text({ name: user.name, link, minutes: RESET_LINK_SECONDS / 60 }, locale())
				});
			},
			onExistingUserSignUp: async ({ user }) => {
				await deliver('exists', user, {
					to: user.email,
					subject: m.mail_exists_subject({}, locale()),
					text: m.mail_exists_text({ name: user.name, link: `${origin}/forgot-password` }, locale())
				});
			}
		},
		emailVerification: {
			sendOnSignUp: true,
			sendOnSignIn: true,
			autoSignInAfterVerification: true,
			expiresIn: VERIFY_LINK_SECONDS,
			sendVerificationEmail: async ({ user, token }) => {
				const link = `${origin}/verify-email?token=${encodeURIComponent(token)}`;
				await deliver('verify', user, {
					to: user.email,
					subject: m.mail_verify_subject({}, locale()),
					text: m.mail_verify_text({ name: user.name, link, hours: VERIFY_LINK_SECONDS / 3600 }, locale())
				});
			}
		},
		// The form actions apply their own limits (rate-limit.ts); this covers the unused HTTP router.
		rateLimit: { enabled: true, storage: 'memory' },
		advanced: {
			// Mail goes out after the answer: a reset request for an address with an account then
			// takes as long as one without, so response times do not reveal who has an account.
			// Sign-up and sign-in wait for theirs through MailScope, where every answer sends one.
			backgroundTasks: {
				handler: (task) => {
					sending.add(task);
					void task.finally(() => sending.delete(task));
				}
			},
			cookiePrefix: COOKIE_PREFIX,
			// No `__Secure-` name prefix, so the cookie is `sac2050.session_token` on http and https;
			// the Secure attribute is still set whenever the public address is https.
			useSecureCookies: false,
			defaultCookieAttributes: { secure, httpOnly: true, sameSite: 'lax' }
		}
	});
}

export type Auth = ReturnType<typeof buildAuth>;

const instances = new WeakMap<Db, Promise<Auth>>();

/** The better-auth instance for a database (one per process and database). */
export function getAuth(db: Db): Promise<Auth> {
	let auth = instances.get(db);
	if (!auth) {
		auth = authSecret(db).then((secret) => buildAuth(db, secret, publicOrigin()));
		instances.set(db, auth);
	}
	return auth;
}
