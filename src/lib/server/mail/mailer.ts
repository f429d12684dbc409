import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { UserFacingError } from '../errors.ts';

/**
 * Outgoing e-mail. With SMTP_URL set (smtp://user:password@host:587, or smtps:// for
 * TLS from the start) messages go to that server; without it they are written as .eml files
 * to the outbox folder (SAC2050_OUTBOX_DIR, default data/outbox), where an admin can read
 * them at /admin/outbox — for development, demos and tests.
 */
export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
	/** Where answers go, when not to the sender (a contact form's visitor). */
	replyTo?: string;
}

export const DEFAULT_OUTBOX_DIR = 'data/outbox';
const DEFAULT_FROM = 'Sac2050 <no-reply@localhost>';

export type MailDelivery = { kind: 'smtp'; url: string } | { kind: 'outbox'; dir: string };

export function mailDelivery(env: NodeJS.ProcessEnv = process.env): MailDelivery {
	const url = env.SMTP_URL?.trim();
	if (url) {
		if (!/^smtps?:\/\//.test(url)) {
			throw new UserFacingError(`SMTP_URL "${url.split(':')[0]}:…" is not an SMTP address: write it as smtp://user:password@host:587 or smtps://user:password@host:465.`);
		}
		return { kind: 'smtp', url };
	}
	return { kind: 'outbox', dir: path.resolve(env.SAC2050_OUTBOX_DIR?.trim() || DEFAULT_OUTBOX_DIR) };
}

let smtp: { url: string; transport: ReturnType<typeof createTransport> } | undefined;

/** How long a mail server may take to answer before the message counts as not sent (nodemailer waits minutes). */
const SMTP_TIMEOUT_MS = 20_000;

function smtpTransport(url: string) {
	if (smtp?.url !== url) smtp = { url, transport: createTransport({ url, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS }) };
	return smtp.transport;
}

function smtpFailure(url: string, error: unknown): Error {
	return new Error(`Sending e-mail through ${new URL(url).host} failed: ${(error as Error).message}`);
}

function writeToOutbox(dir: string, name: string, content: Buffer | string): void {
	try {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, name), content);
	} catch (error) {
		throw new Error(`Writing e-mail to the outbox ${dir} failed: ${(error as Error).message}`, { cause: error });
	}
}

/**
 * Whether mail can go out now, without sending any: the mail server answers and accepts the
 * login, or the outbox folder can be written. Throws the same errors sendMail would. For
 * forms whose answer must not depend on whether an account exists (a reset request sends
 * mail only for an existing account), so they can say "not sent" to everyone alike.
 */
export async function checkMailDelivery(env: NodeJS.ProcessEnv = process.env): Promise<void> {
	const delivery = mailDelivery(env);
	if (delivery.kind === 'smtp') {
		try {
			await smtpTransport(delivery.url).verify();
		} catch (error) {
			throw smtpFailure(delivery.url, error);
		}
		return;
	}
	const probe = `.probe-${randomBytes(4).toString('hex')}`;
	writeToOutbox(delivery.dir, probe, '');
	fs.rmSync(path.join(delivery.dir, probe), { force: true });
}

/** Sends one message; failures are thrown as errors that name the mail server, never the password. */
export async function sendMail(mail: OutgoingMail, env: NodeJS.ProcessEnv = process.env): Promise<void> {
	const from = env.MAIL_FROM?.trim() || DEFAULT_FROM;
	const delivery = mailDelivery(env);
	const message = { from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) };
	if (delivery.kind === 'smtp') {
		try {
			await smtpTransport(delivery.url).sendMail(message);
		} catch (error) {
			throw smtpFailure(delivery.url, error);
		}
		return;
	}
	const rendered = await createTransport({ streamTransport: true, buffer: true }).sendMail(message);
	const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
	writeToOutbox(delivery.dir, name, rendered.message as Buffer);
}

export interface OutboxMessage {
	file: string;
	at: string;
	to: string;
	/** The Reply-To header ('' when there is none). */
	replyTo: string;
	subject: string;
	text: string;
}

/** Decodes the quoted-printable or base64 body nodemailer writes for a plain-text message. */
function decodeBody(headers: string, body: string): string {
	const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') {
		const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		return Buffer.from(bytes, 'latin1').toString('utf8');
	}
	return body;
}

function decodeHeader(value: string): string {
	// Space between two encoded words is folding, not text (RFC 2047, section 6.2).
	return value.replace(/(=\?utf-8\?[BQ]\?[^?]*\?=)\s+(?==\?utf-8\?[BQ]\?)/gi, '$1').replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
		kind.toUpperCase() === 'B'
			? Buffer.from(text, 'base64').toString('utf8')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
	);
}

/** A plain-text message as written by nodemailer: its recipient, subject and decoded text. */
export function parsePlainMessage(raw: string): Omit<OutboxMessage, 'file' | 'at'> {
	const split = raw.search(/\r?\n\r?\n/);
	const headers = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
	const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
	const header = (name: string) => decodeHeader(new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? '');
	return { to: header('to'), replyTo: header('reply-to'), subject: header('subject'), text: decodeBody(headers, body) };
}

/** The newest messages in the outbox, newest first. */
export function readOutbox(dir = (mailDelivery() as { dir?: string }).dir ?? path.resolve(DEFAULT_OUTBOX_DIR), limit = 50): OutboxMessage[] {
	if (!fs.existsSync(dir)) return [];
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.eml'))
		.sort()
		.reverse()
		.slice(0, limit);
	return files.map((file) => {
		const full = path.join(dir, file);
		return { file, at: fs.statSync(full).mtime.toISOString(), ...parsePlainMessage(fs.readFileSync(full, 'utf8')) };
	});
}
