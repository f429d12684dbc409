import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { safeRedirectTarget } from '../http/redirect.ts';
import { can, type Action, type Subject } from './permissions.ts';
import type { SessionUser } from './users.ts';

/**
 * Where to go after signing in: `/account` when nothing was asked for, the asked-for path
 * when it is a safe one on this site, and home when it is not (see safeRedirectTarget).
 */
export function safeNext(value: string | null | undefined): string {
	if (value === null || value === undefined || value === '') return '/account';
	return safeRedirectTarget(value, '/');
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
