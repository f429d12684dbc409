import type { Handle } from '@sveltejs/kit/hooks';
import { m } from '#lib/paraglide/messages.js';
import type { Locale } from '#lib/paraglide/runtime.js';
import { requestLocale } from '#lib/i18n/server/request-locale.ts';
import { ApiError, errorResponse } from '#lib/api/http.ts';
import { isStateChanging } from '../auth/csrf.ts';
import { plainPage } from '../plain-page.ts';
import { nullByteInForm, nullByteInUrl, type NullByteAt } from './null-bytes.ts';

function where(at: NullByteAt, locale: Locale): string {
	if (at.in === 'path') return m.null_byte_path({}, { locale });
	if (at.in === 'query') return m.null_byte_query({ name: at.name }, { locale });
	return m.null_byte_form({ name: at.name }, { locale });
}

function refusal(event: { url: URL; request: Request }, at: NullByteAt, locale: Locale): Response {
	if (event.url.pathname.startsWith('/api/')) {
		const parameter = at.in === 'path' ? undefined : at.name;
		const message = `${at.in === 'path' ? 'The address' : `The parameter "${at.name}"`} holds a null character (%00), which is never part of a name or a value: remove it.`;
		return errorResponse(new ApiError(400, 'invalid_parameter', message, parameter === undefined ? {} : { parameter }));
	}
	return plainPage({
		status: 400,
		locale,
		title: m.null_byte_title({}, { locale }),
		text: `${where(at, locale)} ${m.null_byte_text({}, { locale })}`,
		link: { href: '/', label: m.null_byte_home({}, { locale }) }
	});
}

/**
 * Refuses an address with a null character (`%00`) before anything looks it up: first in
 * the chain, so the page cache and the database never see it.
 */
export const refuseNullBytesInUrl: Handle = ({ event, resolve }) => {
	const at = nullByteInUrl(event.url);
	return at ? refusal(event, at, requestLocale(event.url, event.request.headers).locale) : resolve(event);
};

/** Multipart forms are read here only when small: a large one is a file upload, which reads just its file. */
const MULTIPART_CHECK_LIMIT = 1024 * 1024;

function isSmallMultipart(type: string, request: Request): boolean {
	if (!type.startsWith('multipart/form-data')) return false;
	const length = Number(request.headers.get('content-length'));
	return Number.isFinite(length) && length > 0 && length <= MULTIPART_CHECK_LIMIT;
}

/**
 * Refuses a form whose text fields hold a null character, naming the field. Runs after the
 * CSRF check, so only forms that could be accepted are read here (files are not looked at:
 * an upload says itself what is wrong with its file).
 */
export const refuseNullBytesInForms: Handle = async ({ event, resolve }) => {
	const type = event.request.headers.get('content-type') ?? '';
	if (isStateChanging(event.request.method) && (type.startsWith('application/x-www-form-urlencoded') || isSmallMultipart(type, event.request))) {
		let form: FormData | undefined;
		try {
			form = await event.request.clone().formData();
		} catch {
			form = undefined; // Not a readable form: the action answers for it.
		}
		const at = form && nullByteInForm(form);
		if (at) return refusal(event, at, event.locals.locale);
	}
	return resolve(event);
};
