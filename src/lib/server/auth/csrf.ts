import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { readCapped } from '../http/body-limit.ts';

/**
 * CSRF protection for every form, on top of SvelteKit's Origin check: a double-submit token.
 * A random value lives in an httpOnly cookie and is repeated in a hidden `_csrf` field of
 * every form; a state-changing request whose field does not match its cookie is refused.
 * Another site can make a browser send the cookie, but cannot read it to fill the field.
 */
export const CSRF_COOKIE = 'sac2050.csrf';
export const CSRF_FIELD = '_csrf';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
	return UNSAFE_METHODS.has(method.toUpperCase());
}

/** The visitor's token, made (and its cookie set) on first use. */
export function csrfToken(cookies: Cookies, secure: boolean): string {
	const existing = cookies.get(CSRF_COOKIE);
	if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
	const token = randomBytes(32).toString('base64url');
	cookies.set(CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
	return token;
}

export function tokensMatch(cookie: string | undefined, submitted: unknown): boolean {
	if (!cookie || typeof submitted !== 'string') return false;
	const a = Buffer.from(cookie);
	const b = Buffer.from(submitted);
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Reads the submitted token without consuming the body the form action will read, and
 * reads at most `limit` bytes of it (BodyTooLargeError beyond): a body without a
 * Content-Length is never read whole to find out it is too large.
 */
export async function submittedToken(request: Request, limit: number): Promise<string | undefined> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return undefined;
	const bytes = await readCapped(request.clone().body, limit);
	try {
		const value = (await new Response(bytes, { headers: { 'content-type': type } }).formData()).get(CSRF_FIELD);
		return typeof value === 'string' ? value : undefined;
	} catch {
		return undefined;
	}
}
