import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export type SmtpRefusal = false | 'connection' | 'recipient';

/** One message as it arrived over SMTP: the envelope recipients and the parsed content. */
export interface ReceivedMail {
	/** SMTP envelope recipients (RCPT TO), lower-case. */
	to: string[];
	from: string;
	subject: string;
	text: string;
	raw: string;
}

export interface TestSmtpServer {
	port: number;
	/** What the app's SMTP_URL should be to send here. */
	url: string;
	messages: ReceivedMail[];
	/**
	 * The next message to `address` not yet taken by an earlier call (messages that arrived
	 * before the call count too), waiting up to `timeoutMs` for it.
	 */
	nextMessage(address: string, timeoutMs?: number): Promise<ReceivedMail>;
	/** How many messages to `address` arrived and were not yet taken. */
	pending(address: string): number;
	/**
	 * Makes the server refuse mail until called with `false`: `connection` answers every new
	 * connection with 421 (as a server that is down for maintenance), `recipient` takes the
	 * connection but refuses every recipient with 550.
	 */
	refuse(mode: SmtpRefusal): void;
	stop(): Promise<void>;
}

/** The first link in a message's text starting with `prefix` (an origin, or origin + path). */
export function linkIn(mail: ReceivedMail, prefix: string): string {
	const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const match = new RegExp(`${escaped}\\S*`).exec(mail.text);
	if (!match) throw new Error(`No link starting with ${prefix} in "${mail.subject}":\n${mail.text}`);
	return match[0];
}

/**
 * A real SMTP server on a free local port for tests: plain SMTP (no STARTTLS, no AUTH, as a
 * local relay would be), every message parsed with mailparser and kept in arrival order.
 * `answerAfterMs` makes it a slow relay: it accepts each message only that long after the
 * message's data arrived (and keeps it only if the sender is still connected then).
 */
export async function startSmtpServer(options: { answerAfterMs?: number } = {}): Promise<TestSmtpServer> {
	const messages: ReceivedMail[] = [];
	const taken = new Set<ReceivedMail>();
	const waiters: Array<() => void> = [];

	const gone = new Set<string>();
	let refusal: SmtpRefusal = false;
	const refused = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

	const server = new SMTPServer({
		onConnect(_session, callback) {
			callback(refusal === 'connection' ? refused(421, 'Service not available, closing transmission channel') : undefined);
		},
		onRcptTo(_address, _session, callback) {
			callback(refusal === 'recipient' ? refused(550, 'Mailbox unavailable') : undefined);
		},
		onClose(session) {
			gone.add(session.id);
		},
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('error', callback);
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				new Promise((resolve) => setTimeout(resolve, options.answerAfterMs ?? 0))
					.then(() => {
						if (gone.has(session.id)) throw new Error('the sender hung up before the message was accepted');
						return simpleParser(raw);
					})
					.then((parsed) => {
						messages.push({
							to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
							from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
							subject: parsed.subject ?? '',
							text: parsed.text ?? '',
							raw
						});
						for (const wake of waiters.splice(0)) wake();
						callback();
					})
					.catch(callback);
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.server.address() as AddressInfo).port;

	const untaken = (address: string) => messages.filter((m) => !taken.has(m) && m.to.includes(address.toLowerCase()));

	return {
		port,
		url: `smtp://127.0.0.1:${port}`,
		messages,
		pending: (address) => untaken(address).length,
		refuse: (mode) => {
			refusal = mode;
		},
		async nextMessage(address, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const found = untaken(address)[0];
				if (found) {
					taken.add(found);
					return found;
				}
				const left = deadline - Date.now();
				if (left <= 0) {
					const seen = messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
					throw new Error(`No message to ${address} arrived within ${timeoutMs} ms. Messages so far:\n  ${seen || '(none)'}`);
				}
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, left);
					waiters.push(() => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
		},
		stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
