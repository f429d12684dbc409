import type { Handle } from '@sveltejs/kit/hooks';
import { requestTooLarge } from '../preview.ts';

const UPLOAD_PATH = /^\/admin\/indicators\/[^/]+\/upload\/?$/;

/**
 * Refuses an upload whose request announces more bytes than the file limit allows, before
 * anything reads its body (the CSRF check would otherwise read it whole): the browser is
 * sent back to the upload page, which names the limit. Runs before csrfProtection.
 */
export const uploadSizeLimit: Handle = ({ event, resolve }) => {
	const length = event.request.headers.get('content-length');
	if (event.request.method === 'POST' && UPLOAD_PATH.test(event.url.pathname) && requestTooLarge(length)) {
		const page = event.url.pathname.replace(/\/$/, '');
		return new Response(null, { status: 303, headers: { location: `${page}?too_large=${Number(length)}`, 'cache-control': 'no-store' } });
	}
	return resolve(event);
};
