import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { can, type Action, type Subject } from './permissions.ts';
import type { SessionUser } from './users.ts';

/** Only same-site paths are followed after sign-in (never `//host` or a full address). */
export function safeNext(value: string | null | undefined, fallback = '/account'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
	return value;
}

function signInAddress(event: Pick<RequestEvent, 'url'>): string {
	return `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`;
}

/** The signed-in person; anyone else is sent to the sign-in page and comes back here after. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	if (!event.locals.user) redirect(303, signInAddress(event));
	return event.locals.user;
}

/**
 * The signed-in person if they may do `action`: signed-out visitors go to sign-in, everyone
 * else gets 403. Every admin load and form action starts with this.
 */
export function requirePermission(event: Pick<RequestEvent, 'locals' | 'url'>, action: Action, subject?: Subject): SessionUser {
	const user = requireUser(event);
	if (!can(user, action, subject)) error(403, m.forbidden_text());
	return user;
}
