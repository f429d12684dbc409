import { sequence, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '#lib/paraglide/server.js';
import { databaseUnavailableLogLine, diskFullLogLine, isDatabaseUnavailable, isDiskFull } from '#lib/server/db/storage-errors.ts';
import { databaseFileGone } from '#lib/server/db/file-guard.ts';
import { logRefusedWrite, refuseWritesWhenDatabaseGone } from '#lib/server/db/handle.ts';
import { m } from '#lib/paraglide/messages.js';
import { inLocale } from '#lib/i18n/in-locale.ts';
import { setOfferedLocales } from '#lib/i18n/offered.ts';
import { languageInfo } from '#lib/i18n/languages.ts';
import { localizeLinks, localizePath } from '#lib/i18n/paths.ts';
import { enabledLocales, requestLocale } from '#lib/i18n/server/request-locale.ts';
import { getDb, getRegion } from '#lib/server/context.ts';
import { pageCacheHandle } from '#lib/server/page-cache/handle.ts';
import { authentication, csrfProtection } from '#lib/server/auth/handle.ts';
import { refuseNullBytesInForms, refuseNullBytesInUrl } from '#lib/server/input/handle.ts';
import { uploadGate } from '#lib/admin/upload/server/handle.ts';
import { coverUploadGate } from '#lib/stories/server/cover-gate.ts';
import { startStoryScheduler } from '#lib/stories/server/scheduler.ts';
import { bodyLimit } from '#lib/server/http/body-limit.ts';
import { isSvgContentType, SVG_SECURITY_HEADERS } from '#lib/server/http/svg-policy.ts';

export const init: ServerInit = async () => {
	getRegion();
	// The reroute hook turns `/es/...` into the route only for the languages the region offers.
	setOfferedLocales(enabledLocales());
	// Scheduled stories: when one's time comes, every server's cached pages are renewed.
	startStoryScheduler(await getDb());
};

const i18n: Handle = ({ event, resolve }) =>
	// Paraglide keeps the language for the messages; which language it is, is Sac2050's rule
	// (the address's prefix, the remembered choice, Accept-Language, the region's default).
	paraglideMiddleware(event.request, async () => {
		const { locale, pathLocale } = requestLocale(event.url, event.request.headers);
		event.locals.locale = locale;
		event.locals.pathLocale = pathLocale;
		const enabled = enabledLocales();
		const tag = languageInfo(locale)?.tag ?? locale;
		const response = await inLocale(locale, () =>
			resolve(event, {
				transformPageChunk: ({ html }) => {
					const page = html.replace('%paraglide.lang%', tag);
					return pathLocale ? localizeLinks(page, pathLocale, enabled) : page;
				}
			})
		);
		// A form sent from a language's address comes back to that language's page.
		const location = response.headers.get('location');
		if (pathLocale && location?.startsWith('/') && response.status >= 300 && response.status < 400) {
			const localized = localizePath(location, pathLocale, enabled);
			if (localized !== location) {
				const headers = new Headers(response.headers);
				headers.set('location', localized);
				return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
			}
		}
		return response;
	});

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	if (event.url.pathname.startsWith('/embed/')) {
		// Embeds exist to be framed by other sites: any ancestor may show them.
		const csp = headers.get('Content-Security-Policy');
		if (csp) headers.set('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
	} else {
		headers.set('X-Frame-Options', 'DENY');
	}
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
	if (event.url.protocol === 'https:') headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	// Kit gives pages their policy; an SVG file (a chart download) gets one that allows nothing.
	if (isSvgContentType(headers.get('content-type'))) for (const [name, value] of Object.entries(SVG_SECURITY_HEADERS)) headers.set(name, value);
	return response;
};

// An address with a null character is refused before anything looks it up. The page cache
// goes next: a hit needs none of the others (the kept page already carries the headers they
// gave it); it works out the language with Paraglide's own rule. No body is read before
// uploadGate and bodyLimit have allowed it.
export const handle = sequence(
	refuseNullBytesInUrl,
	pageCacheHandle,
	i18n,
	securityHeaders,
	refuseWritesWhenDatabaseGone,
	uploadGate,
	coverUploadGate,
	bodyLimit,
	csrfProtection,
	refuseNullBytesInForms,
	authentication
);

/** Unexpected errors are logged on the server; the visitor gets Kit's plain message, never a stack. */
export const handleError: HandleServerError = async ({ kind, error, event }) => {
	if (kind !== 'unknown') return;
	const locale = event.locals.locale ?? 'en';
	const gone = databaseFileGone(error);
	if (gone) {
		// A write while a page was being made (a session, a cache entry): said as the refused form is.
		logRefusedWrite(event, gone.change);
		return { status: 503, message: m.database_gone_text({}, { locale }) };
	}
	if (isDatabaseUnavailable(error)) {
		console.error(`[${event.request.method} ${event.url.pathname}] ${databaseUnavailableLogLine('The request', (await getDb()).location, error)}`);
		return { status: 503, message: m.database_unavailable_text({}, { locale }) };
	}
	if (isDiskFull(error)) {
		// Said in words: the cause is the disk, not a fault of the site's code.
		console.error(`[${event.request.method} ${event.url.pathname}] ${diskFullLogLine('The request', (await getDb()).location, error)}`);
	} else {
		console.error(`[${event.request.method} ${event.url.pathname}]`, error);
	}
	// Shown by src/error.html when even the layout could not be made.
	return { message: m.error_text({}, { locale }) };
};
