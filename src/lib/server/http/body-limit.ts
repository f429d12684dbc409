import type { Handle } from '@sveltejs/kit/hooks';
import { m } from '#lib/paraglide/messages.js';
import { refusalPage } from './refusal.ts';

/**
 * Request bodies: every route takes a small form (FORM_BODY_LIMIT) unless a handle earlier
 * in the chain raised `locals.bodyLimit` for this request (the data upload does, for
 * signed-in editors only). A body is refused before any of it is read when its
 * Content-Length is over the limit, and read with the limit as a cap when it has none.
 */
export const FORM_BODY_LIMIT = 128 * 1024;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The body size a request announces: undefined without a (valid) Content-Length. */
export function announcedLength(request: Request): number | undefined {
	const header = request.headers.get('content-length');
	if (header === null || !/^\d+$/.test(header.trim())) return undefined;
	return Number(header);
}

export function tooLargeRefusal(locale: App.Locals['locale'], limit: number, back: string): Response {
	return refusalPage({
		status: 413,
		locale,
		title: m.request_too_large_title({}, { locale }),
		text: m.request_too_large_text({ limit: `${Math.ceil(limit / 1024)} KB` }, { locale }),
		back: { label: m.csrf_back({}, { locale }), href: back },
	});
}

export const bodyLimit: Handle = ({ event, resolve }) => {
	if (BODY_METHODS.has(event.request.method)) {
		const limit = (event.locals.bodyLimit ??= FORM_BODY_LIMIT);
		const length = announcedLength(event.request);
		if (length !== undefined && length > limit) return tooLargeRefusal(event.locals.locale, limit, event.url.pathname);
	}
	return resolve(event);
};

export class BodyTooLargeError extends Error {
	readonly limit: number;
	constructor(limit: number) {
		super(`The request body is larger than ${limit} bytes.`);
		this.limit = limit;
	}
}

/** Reads a request body, stopping (and cancelling it) as soon as it passes `limit` bytes. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer>> {
	if (!body) return new Uint8Array(0);
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			// Not awaited: a clone's cancel settles only once the original is cancelled too.
			reader.cancel().catch(() => {});
			throw new BodyTooLargeError(limit);
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}
