import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import { getAuth, MailScope, mailSettled } from '#lib/server/auth/auth.ts';
import { createUserWithPassword, forgetVerifiedSessions, listUsers, readSession, removeUnconfirmedSignUp, setUserRole, type SessionUser } from '#lib/server/auth/users.ts';
import type { Cookies } from '@sveltejs/kit';
import { privilegedTransaction, readAuditLog, ForbiddenError } from '#lib/server/audit/log.ts';
import { admitSignIn, clearRateLimit, hitRateLimit, RATE_LIMITS } from '#lib/server/auth/rate-limit.ts';
import { checkMailDelivery, mailDelivery, readOutbox, sendMail } from '#lib/server/mail/mailer.ts';
import { DIALECTS, openTestDatabase } from '../support/databases.ts';
import { startSmtpServer } from '../support/smtp.ts';

const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-outbox-'));
process.env.SAC2050_OUTBOX_DIR = outbox;
delete process.env.SMTP_URL;

/** An outbox no one can write, root included: its parent is a file. */
function unwritableOutbox(): { dir: string; remove(): void } {
	const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-blocked-'));
	fs.writeFileSync(path.join(parent, 'file'), '');
	return { dir: path.join(parent, 'file', 'outbox'), remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

/** Runs `fn` with the app's outbox at `dir`. */
async function withOutbox<T>(dir: string, fn: () => Promise<T>): Promise<T> {
	process.env.SAC2050_OUTBOX_DIR = dir;
	try {
		return await fn();
	} finally {
		process.env.SAC2050_OUTBOX_DIR = outbox;
	}
}

describe.each(DIALECTS)('accounts on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
	});
	afterAll(async () => close?.());

	it('creates a verified user from the command line path and signs in with better-auth', async () => {
		const admin = await createUserWithPassword(db, { email: 'Admin@Example.org', role: 'admin', password: 'correct horse battery' }, 'cli:test');
		expect(admin).toMatchObject({ email: 'admin@example.org', role: 'admin', emailVerified: true });
		const auth = await getAuth(db);
		const { headers, response } = await auth.api.signInEmail({ body: { email: 'admin@example.org', password: 'correct horse battery' }, returnHeaders: true });
		expect(response.user.email).toBe('admin@example.org');
		const cookie = headers.getSetCookie().find((c) => c.startsWith('sac2050.session_token='));
		expect(cookie).toBeDefined();
		const session = await auth.api.getSession({ headers: new Headers({ cookie: cookie!.split(';')[0]! }) });
		expect(session?.user.email).toBe('admin@example.org');
		expect((session?.user as { role?: string }).role).toBe('admin');
		await expect(auth.api.signInEmail({ body: { email: 'admin@example.org', password: 'wrong password!!' } })).rejects.toThrow(/Invalid email or password/);
		await expect(createUserWithPassword(db, { email: 'admin@example.org', role: 'admin', password: 'another password' }, 'cli:test')).rejects.toThrow(/already an account/);
	});

	it('signs up, sends the verification mail, verifies', async () => {
		const auth = await getAuth(db);
		await auth.api.signUpEmail({ body: { email: 'new@example.org', password: 'a good long password', name: 'New Person' } });
		await mailSettled();
		await expect(auth.api.signInEmail({ body: { email: 'new@example.org', password: 'a good long password' } })).rejects.toThrow(/verified/i);
		const users = await listUsers(db);
		expect(users.find((u) => u.email === 'new@example.org')).toMatchObject({ role: 'member', emailVerified: false });
		// Without SMTP_URL the message is a file in the outbox, readable with its link.
		const mail = readOutbox(outbox).find((m) => m.to === 'new@example.org');
		expect(mail?.subject).toBe('Confirm your e-mail address for Sac2050');
		const link = /http:\/\/localhost:3000\/verify-email\?token=\S+/.exec(mail!.text)?.[0];
		expect(link, mail!.text).toBeDefined();
		const token = new URL(link!).searchParams.get('token')!;
		await auth.api.verifyEmail({ query: { token } });
		expect((await listUsers(db)).find((u) => u.email === 'new@example.org')?.emailVerified).toBe(true);
	});

	it('tells a sign-up whose confirmation could not be written, and takes the new account back so the next try starts afresh', async () => {
		const auth = await getAuth(db);
		const blocked = unwritableOutbox();
		const body = { email: 'unsent@example.org', password: 'a good long password', name: 'Unsent Person' };
		try {
			const mail = new MailScope('es');
			await withOutbox(blocked.dir, () => mail.run(() => auth.api.signUpEmail({ body })));
			const failed = await mail.failures();
			expect(failed.map((f) => [f.kind, f.user.email])).toEqual([['verify', 'unsent@example.org']]);
			await removeUnconfirmedSignUp(db, failed[0]!.user.id);
			expect((await listUsers(db)).some((u) => u.email === 'unsent@example.org')).toBe(false);
		} finally {
			blocked.remove();
		}
		const retry = new MailScope('es');
		await retry.run(() => auth.api.signUpEmail({ body }));
		expect(await retry.failures()).toEqual([]);
		expect(retry.attempts.map((a) => a.kind)).toEqual(['verify']);
		const mail = readOutbox(outbox).find((m) => m.to === 'unsent@example.org');
		expect(mail?.subject.replace(/\s+/g, ' ')).toBe('Confirme su correo electrónico para Sac2050');
	});

	it('never takes back a confirmed account', async () => {
		const created = await createUserWithPassword(db, { email: 'kept@example.org', role: 'member', password: 'a good long password' }, 'cli:test');
		await removeUnconfirmedSignUp(db, created.id);
		expect((await listUsers(db)).some((u) => u.email === 'kept@example.org')).toBe(true);
	});

	it('keeps the audit log append-only and records role changes', async () => {
		const users = await listUsers(db);
		const admin = users.find((u) => u.role === 'admin')!;
		const member = users.find((u) => u.role === 'member')!;
		const actor: SessionUser = { id: admin.id, name: admin.name, email: admin.email, role: 'admin', emailVerified: true };
		await setUserRole(db, actor, member.id, 'editor');
		const memberActor: SessionUser = { ...actor, id: member.id, role: 'member' };
		await expect(setUserRole(db, memberActor, admin.id, 'member')).rejects.toBeInstanceOf(ForbiddenError);
		await expect(setUserRole(db, actor, admin.id, 'member')).rejects.toBeInstanceOf(ForbiddenError);
		const { entries } = await readAuditLog(db);
		expect(entries[0]).toMatchObject({ action: 'users.setRole', actorEmail: admin.email, before: { role: 'member' }, after: { role: 'editor' } });
		await expect(sql`update audit_log set summary = 'x'`.execute(db.kysely)).rejects.toThrow(/append-only/);
		await expect(sql`delete from audit_log`.execute(db.kysely)).rejects.toThrow(/append-only/);
		// A failed change leaves no entry.
		const before = (await readAuditLog(db)).total;
		await expect(
			privilegedTransaction(db, actor, 'region.edit', undefined, async () => {
				throw new Error('boom');
			})
		).rejects.toThrow('boom');
		expect((await readAuditLog(db)).total).toBe(before);
	});

	it('remembers a verified session for a few seconds, and forgets it on a role change and on sign-out', async () => {
		await createUserWithPassword(db, { email: 'reader@example.org', role: 'member', password: 'a long reader password' }, 'cli:test');
		const auth = await getAuth(db);
		const signedIn = await auth.api.signInEmail({ body: { email: 'reader@example.org', password: 'a long reader password' }, returnHeaders: true });
		const pair = signedIn.headers.getSetCookie().find((c) => c.startsWith('sac2050.session_token='))!.split(';')[0]!;
		const value = pair.slice(pair.indexOf('=') + 1);
		const request = new Request('http://localhost/', { headers: { cookie: pair } });
		const cookies = { get: (name: string) => (name === 'sac2050.session_token' ? value : undefined), set: () => {}, delete: () => {} } as unknown as Cookies;

		const first = await readSession(db, request, cookies);
		expect(first).toMatchObject({ email: 'reader@example.org', role: 'member' });
		// Changed behind this server's back (another server, or by hand): seen after the few seconds.
		await db.kysely.updateTable('auth_user').set({ role: 'reviewer' }).where('id', '=', first!.id).execute();
		expect((await readSession(db, request, cookies))?.role).toBe('member');
		forgetVerifiedSessions();
		expect((await readSession(db, request, cookies))?.role).toBe('reviewer');
		// Changed here: seen on the very next request.
		const admin = (await listUsers(db)).find((u) => u.role === 'admin')!;
		const actor: SessionUser = { id: admin.id, name: admin.name, email: admin.email, role: 'admin', emailVerified: true };
		await setUserRole(db, actor, first!.id, 'editor');
		expect((await readSession(db, request, cookies))?.role).toBe('editor');
		// Signed out: the session is gone at once.
		await auth.api.signOut({ headers: new Headers({ cookie: pair }) });
		forgetVerifiedSessions();
		expect(await readSession(db, request, cookies)).toBeNull();
	});

	it('counts rate-limited attempts per window', async () => {
		const rule = { limit: 2, windowSeconds: 60 };
		const t = 1_000_000;
		expect((await hitRateLimit(db, 'k', rule, t)).allowed).toBe(true);
		expect((await hitRateLimit(db, 'k', rule, t + 1)).allowed).toBe(true);
		const third = await hitRateLimit(db, 'k', rule, t + 2);
		expect(third).toEqual({ allowed: false, retryAfterMinutes: 1 });
		expect((await hitRateLimit(db, 'k', rule, t + 60_001)).allowed).toBe(true);
		expect((await hitRateLimit(db, 'k', rule, t + 60_002)).allowed).toBe(true);
		expect((await hitRateLimit(db, 'k', rule, t + 60_003)).allowed).toBe(false);
		await clearRateLimit(db, 'k');
		expect((await hitRateLimit(db, 'k', rule, t + 60_004)).allowed).toBe(true);
	});

	it('never locks the owner out of their own address, whatever others try', async () => {
		const owner = 'owner@example.org';
		const t = 2_000_000_000;
		// The owner signed in from home once.
		const first = await admitSignIn(db, owner, '198.51.100.7', t);
		expect(first.allowed).toBe(true);
		await first.succeeded();
		// A guesser with many addresses: more wrong passwords than the account-wide limit.
		for (let i = 0; i < RATE_LIMITS.signInPerAccount.limit + 5; i++) await admitSignIn(db, owner, `203.0.113.${i % 250}-${i}`, t + i);
		// A new address is now refused for this account…
		expect((await admitSignIn(db, owner, '192.0.2.200', t + 200)).allowed).toBe(false);
		// …but the owner at home is not.
		const home = await admitSignIn(db, owner, '198.51.100.7', t + 201);
		expect(home.allowed).toBe(true);
		await home.succeeded();
	});

	it('counts only wrong passwords: 25 sign-ins from one address are all admitted', async () => {
		const t = 2_100_000_000;
		for (let i = 0; i < 25; i++) {
			const attempt = await admitSignIn(db, `busy-${i % 3}@example.org`, '198.51.100.50', t + i);
			expect(attempt.allowed, `sign-in ${i + 1}`).toBe(true);
			await attempt.succeeded();
		}
	});

	it('limits wrong passwords per account and address, and per address', async () => {
		const t = 2_200_000_000;
		const target = 'typo@example.org';
		for (let i = 0; i < RATE_LIMITS.signInPerAccountAddress.limit; i++) expect((await admitSignIn(db, target, '198.51.100.60', t + i)).allowed).toBe(true);
		expect((await admitSignIn(db, target, '198.51.100.60', t + 10)).allowed).toBe(false);
		// Another address is not affected.
		expect((await admitSignIn(db, target, '198.51.100.61', t + 11)).allowed).toBe(true);
		// One address guessing across accounts.
		for (let i = 0; i < RATE_LIMITS.signInPerAddress.limit; i++) await admitSignIn(db, `spray-${i}@example.org`, '198.51.100.62', t + i);
		const refused = await admitSignIn(db, 'spray-new@example.org', '198.51.100.62', t + 30);
		expect(refused).toEqual(expect.objectContaining({ allowed: false, retryAfterMinutes: 15 }));
		// The window ends.
		expect((await admitSignIn(db, 'spray-new@example.org', '198.51.100.62', t + 15 * 60_000 + 1)).allowed).toBe(true);
	});
});

describe('outgoing mail', () => {
	it('writes to the outbox folder when SMTP_URL is unset', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-outbox-'));
		try {
			const env = { SAC2050_OUTBOX_DIR: dir };
			expect(mailDelivery(env)).toEqual({ kind: 'outbox', dir });
			await sendMail({ to: 'someone@example.org', subject: 'Prueba: año €', text: 'Línea uno\nhttp://localhost:3000/x?token=abc' }, env);
			const [mail, ...rest] = readOutbox(dir);
			expect(rest).toHaveLength(0);
			expect(mail).toMatchObject({ to: 'someone@example.org', subject: 'Prueba: año €' });
			expect(mail!.text).toContain('Línea uno');
			expect(mail!.text).toContain('http://localhost:3000/x?token=abc');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('sends over a real SMTP connection when SMTP_URL is set, and names the server when it fails', async () => {
		const smtp = await startSmtpServer();
		try {
			await sendMail({ to: 'Someone@Example.org', subject: 'Hello', text: 'Open http://localhost:3000/verify-email?token=t1' }, { SMTP_URL: smtp.url, MAIL_FROM: 'Sac2050 <no-reply@example.org>' });
			const mail = await smtp.nextMessage('someone@example.org');
			expect(mail).toMatchObject({ from: 'no-reply@example.org', subject: 'Hello' });
			expect(mail.text).toContain('http://localhost:3000/verify-email?token=t1');
		} finally {
			await smtp.stop();
		}
		await expect(sendMail({ to: 'a@example.org', subject: 'x', text: 'y' }, { SMTP_URL: `smtp://user:secret@127.0.0.1:${smtp.port}` })).rejects.toThrow(
			new RegExp(`^Sending e-mail through 127.0.0.1:${smtp.port} failed`)
		);
		expect(() => mailDelivery({ SMTP_URL: 'http://mail.example.org' })).toThrow(/not an SMTP address/);
	});

	it('says whether mail can go out without sending any', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-outbox-'));
		const blocked = unwritableOutbox();
		const smtp = await startSmtpServer();
		try {
			await checkMailDelivery({ SAC2050_OUTBOX_DIR: dir });
			expect(fs.readdirSync(dir)).toEqual([]);
			await expect(checkMailDelivery({ SAC2050_OUTBOX_DIR: blocked.dir })).rejects.toThrow(/^Writing e-mail to the outbox .* failed/);
			await expect(sendMail({ to: 'a@example.org', subject: 'x', text: 'y' }, { SAC2050_OUTBOX_DIR: blocked.dir })).rejects.toThrow(/^Writing e-mail to the outbox .* failed/);

			await checkMailDelivery({ SMTP_URL: smtp.url });
			smtp.refuse('connection');
			await expect(checkMailDelivery({ SMTP_URL: smtp.url })).rejects.toThrow(new RegExp(`^Sending e-mail through 127.0.0.1:${smtp.port} failed`));
			smtp.refuse('recipient');
			await expect(sendMail({ to: 'a@example.org', subject: 'x', text: 'y' }, { SMTP_URL: smtp.url })).rejects.toThrow(/failed/);
			smtp.refuse(false);
			await checkMailDelivery({ SMTP_URL: smtp.url });
			expect(smtp.messages).toEqual([]);
		} finally {
			await smtp.stop();
			blocked.remove();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
