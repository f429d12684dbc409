import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#lib/server/db/connect.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { readOutbox } from '#lib/server/mail/mailer.ts';
import { RATE_LIMITS } from '#lib/server/auth/rate-limit.ts';
import { parseContactForm, sendContactMessage, type ContactInput } from '#lib/contact/server/contact.ts';
import { DIALECTS, PROJECT_DIR, openTestDatabase } from '../support/databases.ts';
import { startSmtpServer } from '../support/smtp.ts';

const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-contact-outbox-'));
const env = { SAC2050_OUTBOX_DIR: outbox };

const good = { name: 'Ana Pérez', email: 'ana@example.org', topic: 'correction', message: 'The 2019 value for Yolo County looks wrong.' };

describe('contact form checks (pure)', () => {
	it('accepts a complete message, trimmed', () => {
		const parsed = parseContactForm({ ...good, name: '  Ana   Pérez ', message: ' Hello there, a question. ' });
		expect(parsed).toMatchObject({ ok: true, input: { name: 'Ana Pérez', email: 'ana@example.org', topic: 'correction', message: 'Hello there, a question.' } });
	});

	it('names every field with a problem', () => {
		const parsed = parseContactForm({ name: ' ', email: 'not an address', topic: 'gossip', message: 'short' });
		expect(parsed).toMatchObject({ ok: false, spam: false, errors: { name: 'name_missing', email: 'email_invalid', topic: 'topic_missing', message: 'message_short' } });
		expect(parseContactForm({ ...good, message: 'x'.repeat(5001) })).toMatchObject({ ok: false, errors: { message: 'message_long' } });
		expect(parseContactForm({ ...good, name: 'n'.repeat(101) })).toMatchObject({ ok: false, errors: { name: 'name_long' } });
		// An address with a line break could add mail headers.
		expect(parseContactForm({ ...good, email: 'ana@example.org\nBcc: all@example.org' })).toMatchObject({ ok: false, errors: { email: 'email_invalid' } });
		// What was typed comes back for the form.
		expect(parsed.values.email).toBe('not an address');
	});

	it('treats a filled honeypot as spam', () => {
		expect(parseContactForm({ ...good, website: 'http://spam.example' })).toMatchObject({ ok: false, spam: true });
		expect(parseContactForm({ ...good, website: '' })).toMatchObject({ ok: true });
	});

	it('takes the contact address and repository from the region pack', () => {
		expect(pack.settings.contactEmail).toMatch(/^[^@\s]+@[^@\s]+$/);
		expect(pack.settings.repositoryUrl).toMatch(/^https:\/\//);
	});
});

describe.each(DIALECTS)('contact form on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	const input = parseContactForm(good);
	if (!input.ok) throw new Error('test setup: the good message is refused');
	const message: ContactInput = input.input;
	const context = (address: string, extra: { env?: NodeJS.ProcessEnv } = {}) => ({
		to: pack.settings.contactEmail,
		address,
		regionName: 'Sacramento',
		topicLabel: 'A correction to the data',
		env: extra.env ?? env
	});

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
	});
	afterAll(async () => close?.());

	it('sends to the region contact address with Reply-To the sender, and audits it', async () => {
		const before = readOutbox(outbox).length;
		expect(await sendContactMessage(db, message, context(`${dialect}-a`))).toEqual({ sent: true });
		const mails = readOutbox(outbox);
		expect(mails).toHaveLength(before + 1);
		const mail = mails[0]!;
		expect(mail.to).toBe(pack.settings.contactEmail);
		expect(mail.replyTo).toContain('ana@example.org');
		expect(mail.replyTo).toContain('Ana Pérez');
		expect(mail.subject).toBe('[Sacramento contact] A correction to the data: Ana Pérez');
		expect(mail.text).toContain('The 2019 value for Yolo County looks wrong.');
		const audit = await db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'contact.send').execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_email: 'contact form', actor_role: 'system', subject_type: 'contact', subject_id: 'correction' });
		expect(audit[0]!.summary).toContain('ana@example.org');
	});

	it('limits how many messages one address sends', async () => {
		const address = `${dialect}-busy`;
		for (let i = 0; i < RATE_LIMITS.contactPerAddress.limit; i++) expect(await sendContactMessage(db, message, context(address))).toEqual({ sent: true });
		const refused = await sendContactMessage(db, message, context(address));
		expect(refused).toMatchObject({ sent: false, reason: 'rate_limited' });
		expect(refused.sent === false && refused.reason === 'rate_limited' && refused.retryAfterMinutes).toBeGreaterThan(0);
		// Another address is not held up.
		expect(await sendContactMessage(db, message, context(`${dialect}-other`))).toEqual({ sent: true });
	});

	it('says not sent when the mail server refuses, audits nothing and does not count it', async () => {
		const smtp = await startSmtpServer();
		try {
			smtp.refuse('recipient');
			const audited = async () => (await db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'contact.send').execute()).length;
			const before = await audited();
			const address = `${dialect}-refused`;
			for (let i = 0; i <= RATE_LIMITS.contactPerAddress.limit; i++) {
				expect(await sendContactMessage(db, message, context(address, { env: { SMTP_URL: smtp.url } }))).toEqual({ sent: false, reason: 'mail_failed' });
			}
			expect(await audited()).toBe(before);
			expect(smtp.messages).toHaveLength(0);
			// Once the server takes mail again, the visitor is not rate-limited for the refused tries.
			smtp.refuse(false);
			expect(await sendContactMessage(db, message, context(address, { env: { SMTP_URL: smtp.url } }))).toEqual({ sent: true });
			const mail = await smtp.nextMessage(pack.settings.contactEmail);
			expect(mail.raw).toMatch(/^Reply-To: .*ana@example\.org/im);
		} finally {
			await smtp.stop();
		}
	});
});
