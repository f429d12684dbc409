import type { Handle } from '@sveltejs/kit/hooks';
import { m } from '#lib/paraglide/messages.js';
import { getDb } from '#lib/server/context.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { hasSessionCookie, readSession } from '#lib/server/auth/users.ts';
import { refusalPage } from '#lib/server/http/refusal.ts';
import { requestTooLarge, UPLOAD_BODY_LIMIT } from '../preview.ts';

const UPLOAD_PATH = /^\/admin\/indicators\/([^/]+)\/upload\/?$/;

/**
 * The one route that takes a large body: a data file, from someone allowed to upload it.
 * Before anything reads the body, an upload is refused when its request announces more bytes
 * than the file limit allows (the browser is sent back to the upload page, which names the
 * limit) or when it does not come from a signed-in person who may upload to this indicator
 * (403). Otherwise the request's body limit is raised to the upload's. Runs before
 * bodyLimit and csrfProtection.
 */
export const uploadGate: Handle = async ({ event, resolve }) => {
	const match = event.request.method === 'POST' ? UPLOAD_PATH.exec(event.url.pathname) : null;
	if (!match) return resolve(event);
	const length = event.request.headers.get('content-length');
	if (requestTooLarge(length)) {
		const page = event.url.pathname.replace(/\/$/, '');
		return new Response(null, { status: 303, headers: { location: `${page}?too_large=${Number(length)}`, 'cache-control': 'no-store' } });
	}
	event.locals.user ??= hasSessionCookie(event.cookies) ? await readSession(await getDb(), event.request, event.cookies) : null;
	let indicator: string;
	try {
		indicator = decodeURIComponent(match[1]!);
	} catch {
		indicator = match[1]!;
	}
	if (!event.locals.user || !can(event.locals.user, 'data.upload', { type: 'indicator', id: indicator })) {
		const locale = event.locals.locale;
		return refusalPage({
			status: 403,
			locale,
			title: m.forbidden_title({}, { locale }),
			text: event.locals.user ? m.forbidden_text({}, { locale }) : m.upload_sign_in_first({}, { locale }),
			back: event.locals.user ? undefined : { label: m.upload_sign_in_link({}, { locale }), href: `/sign-in?next=${encodeURIComponent(event.url.pathname)}` },
		});
	}
	event.locals.bodyLimit = UPLOAD_BODY_LIMIT;
	return resolve(event);
};
