import type { RequestEvent } from '@sveltejs/kit';
import type { Handle } from '@sveltejs/kit/hooks';
import { m } from '#lib/paraglide/messages.js';
import { ApiError, errorResponse } from '#lib/api/http.ts';
import { getDb } from '../context.ts';
import { isStateChanging } from '../auth/csrf.ts';
import { refusalPage } from '../http/refusal.ts';
import type { FileChange } from './file-guard.ts';

/** The answer to a write once the database file is gone: 503, in the visitor's language, nothing of it read or kept. */
export function databaseGoneResponse(event: RequestEvent): Response {
	const locale = event.locals.locale;
	if (event.url.pathname.startsWith('/api/')) {
		return errorResponse(
			new ApiError(503, 'service_unavailable', "The site's database file has vanished, so nothing can be saved: the people who run the site must restore it. Try again later.")
		);
	}
	const response = refusalPage({
		status: 503,
		locale,
		title: m.database_gone_title({}, { locale }),
		text: m.database_gone_text({}, { locale }),
		back: { label: m.back_home({}, { locale }), href: '/' }
	});
	response.headers.set('retry-after', '300');
	return response;
}

export function logRefusedWrite(event: RequestEvent, change: FileChange): void {
	console.error(`[${event.request.method} ${event.url.pathname}] refused with 503: the database file was ${change === 'deleted' ? 'deleted' : 'replaced'} under the running server; see the DATABASE FILE GONE line above.`);
}

/**
 * Refuses every state-changing request with 503 once the SQLite file was deleted or replaced
 * (file-guard.ts), before its body is read. Reads go on: the server still has the file open, so
 * what it shows is the last data written, complete and unchanged, and reading it loses nothing;
 * only a write would be lost, and sign-in (a session is a write) is one. The database layer
 * refuses writes too (a page that writes while rendering gets the same 503 from handleError).
 */
export const refuseWritesWhenDatabaseGone: Handle = async ({ event, resolve }) => {
	if (isStateChanging(event.request.method)) {
		const change = (await getDb()).file?.check();
		if (change) {
			logRefusedWrite(event, change);
			return databaseGoneResponse(event);
		}
	}
	return resolve(event);
};
