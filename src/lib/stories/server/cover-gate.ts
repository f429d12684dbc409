import type { Handle } from '@sveltejs/kit/hooks';
import { getDb } from '#lib/server/context.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { hasSessionCookie, readSession } from '#lib/server/auth/users.ts';
import { COVER_FORM_OVERHEAD, COVER_MAX_BYTES } from '../form.ts';

const STORY_PAGE = /^\/admin\/stories\/([^/]+)\/?$/;

/** The largest cover form body taken: the image limit plus the rest of the form. */
export const COVER_BODY_LIMIT = COVER_MAX_BYTES + COVER_FORM_OVERHEAD;

/**
 * The cover upload (`POST /admin/stories/{id}?/cover`) is the stories' one form with a large
 * body. Before anything reads it: a body announced over the limit sends the browser back to
 * the story's page, which names the field and the limit; otherwise, for a signed-in person who
 * may write stories, the request's body limit is raised to the cover form's. Everyone else
 * keeps the small form limit (and is refused by the page itself). Runs before bodyLimit.
 */
export const coverUploadGate: Handle = async ({ event, resolve }) => {
	const match = event.request.method === 'POST' && event.url.search.startsWith('?/cover') ? STORY_PAGE.exec(event.url.pathname) : null;
	if (!match) return resolve(event);
	const length = Number(event.request.headers.get('content-length'));
	event.locals.user ??= hasSessionCookie(event.cookies) ? await readSession(await getDb(), event.request, event.cookies) : null;
	if (!event.locals.user || !can(event.locals.user, 'stories.write', { type: 'story', id: match[1]! })) return resolve(event);
	if (Number.isFinite(length) && length > COVER_BODY_LIMIT) {
		const page = event.url.pathname.replace(/\/$/, '');
		return new Response(null, { status: 303, headers: { location: `${page}?cover_too_large=${length}#cover`, 'cache-control': 'no-store' } });
	}
	event.locals.bodyLimit = COVER_BODY_LIMIT;
	return resolve(event);
};
