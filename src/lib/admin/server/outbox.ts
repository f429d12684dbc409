import { mailDelivery } from '#lib/server/mail/mailer.ts';

/** The outbox page exists only while mail goes to files (no SMTP_URL: development, demos, tests). */
export function outboxEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
	try {
		return mailDelivery(env).kind === 'outbox';
	} catch {
		return false;
	}
}
