/**
 * The contact form (/contact): what a visitor may send, and sending it to the region's
 * contact address (`contact_email` in region.yml) through the site's one mailer, with
 * Reply-To set to the visitor so an answer goes straight back to them.
 *
 * Checked in this order: the honeypot (a field people never see or fill), the fields, the
 * rate limit per address, then the mail itself. Every message sent is in the audit log (who
 * wrote, the topic and the length; not the text, which stays in the mailbox).
 */
import { z } from 'zod';
import type { Db } from '#lib/server/db/connect.ts';
import { recordSystemAction } from '#lib/server/audit/log.ts';
import { checkRateLimits, RATE_LIMITS, refundRateLimit, type RateLimitRule } from '#lib/server/auth/rate-limit.ts';
import { sendMail } from '#lib/server/mail/mailer.ts';

export const CONTACT_TOPICS = ['question', 'correction', 'data', 'partnership', 'other'] as const;
export type ContactTopic = (typeof CONTACT_TOPICS)[number];

export const CONTACT_LIMITS = { name: 100, email: 254, message: 5000, minMessage: 10 } as const;

/** The honeypot field's name: a plausible one, so form-filling robots fill it. */
export const HONEYPOT_FIELD = 'website';

export type ContactField = 'name' | 'email' | 'topic' | 'message';

export interface ContactInput {
	name: string;
	email: string;
	topic: ContactTopic;
	message: string;
}

/** What the visitor typed, trimmed, to put back in the form. */
export type ContactValues = Record<ContactField, string>;

export type ContactFieldError = 'name_missing' | 'name_long' | 'email_invalid' | 'topic_missing' | 'message_short' | 'message_long';

export type ContactParse =
	| { ok: true; input: ContactInput; values: ContactValues }
	| { ok: false; spam: true; values: ContactValues }
	| { ok: false; spam: false; values: ContactValues; errors: Partial<Record<ContactField, ContactFieldError>> };

const email = z.email();

function field(form: FormData | Record<string, unknown>, name: string): string {
	const value = form instanceof FormData ? form.get(name) : form[name];
	return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';
}

/** Reads and checks the form; every field's problem is named, not only the first. */
export function parseContactForm(form: FormData | Record<string, unknown>): ContactParse {
	const values: ContactValues = { name: field(form, 'name'), email: field(form, 'email'), topic: field(form, 'topic'), message: field(form, 'message') };
	if (field(form, HONEYPOT_FIELD)) return { ok: false, spam: true, values };
	const errors: Partial<Record<ContactField, ContactFieldError>> = {};
	// One line each: a name or address with a line break could add mail headers.
	const name = values.name.replace(/\s+/g, ' ');
	if (!name) errors.name = 'name_missing';
	else if (name.length > CONTACT_LIMITS.name) errors.name = 'name_long';
	if (values.email.length > CONTACT_LIMITS.email || /\s/.test(values.email) || !email.safeParse(values.email).success) errors.email = 'email_invalid';
	if (!(CONTACT_TOPICS as readonly string[]).includes(values.topic)) errors.topic = 'topic_missing';
	if (values.message.length < CONTACT_LIMITS.minMessage) errors.message = 'message_short';
	else if (values.message.length > CONTACT_LIMITS.message) errors.message = 'message_long';
	if (Object.keys(errors).length) return { ok: false, spam: false, values, errors };
	return { ok: true, values, input: { name, email: values.email, topic: values.topic as ContactTopic, message: values.message } };
}

export type ContactSend = { sent: true } | { sent: false; reason: 'rate_limited'; retryAfterMinutes: number } | { sent: false; reason: 'mail_failed' };

export interface ContactContext {
	/** The region's contact address (region.yml `contact_email`). */
	to: string;
	/** The rate-limit key of the visitor's address (see http/client-address.ts). */
	address: string;
	/** The region's short name, for the subject line. */
	regionName: string;
	/** The topic's name as the recipient reads it. */
	topicLabel: string;
	env?: NodeJS.ProcessEnv;
}

/**
 * Sends one checked message to the region's contact address, Reply-To the visitor. Counts it
 * against the visitor's address first; a message the mail server refused is not counted
 * and not claimed sent. Audited when sent.
 */
export async function sendContactMessage(db: Db, input: ContactInput, context: ContactContext): Promise<ContactSend> {
	const limits: Array<[string, RateLimitRule]> = [[`contact:address:${context.address}`, RATE_LIMITS.contactPerAddress]];
	const limit = await checkRateLimits(db, limits);
	if (!limit.allowed) return { sent: false, reason: 'rate_limited', retryAfterMinutes: limit.retryAfterMinutes };
	try {
		await sendMail(
			{
				to: context.to,
				replyTo: `"${input.name.replace(/["\\]/g, '')}" <${input.email}>`,
				subject: `[${context.regionName} contact] ${context.topicLabel}: ${input.name}`,
				text: `${input.message}\n\n— ${input.name} <${input.email}>, through the contact form (topic: ${context.topicLabel}). Reply to this message to answer them.`
			},
			context.env
		);
	} catch (error) {
		console.error('[contact]', (error as Error).message);
		for (const [key] of limits) await refundRateLimit(db, key);
		return { sent: false, reason: 'mail_failed' };
	}
	await recordSystemAction(db.kysely, 'contact form', 'contact.send', {
		subjectType: 'contact',
		subjectId: input.topic,
		summary: `Contact message from ${input.email} (${input.topic}, ${input.message.length} characters) sent to ${context.to}`,
		before: null,
		after: { name: input.name, email: input.email, topic: input.topic, characters: input.message.length, to: context.to }
	});
	return { sent: true };
}
