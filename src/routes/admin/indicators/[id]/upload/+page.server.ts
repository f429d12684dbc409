import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { getDb } from '#lib/server/context.ts';
import { ForbiddenError } from '#lib/server/audit/log.ts';
import { MAX_CSV_BYTES } from '#lib/indicators/server/import-csv.ts';
import { nonTextFileIssue } from '#lib/indicators/server/file-kind.ts';
import { DRAFT_TTL_MS, duplicatesFromForm, formatBytes, requestTooLarge } from '#lib/admin/upload/preview.ts';
import { findIndicator, stageUpload } from '#lib/admin/upload/server/drafts.ts';

function tooLarge(size: number): string {
	return m.upload_too_large({ size: formatBytes(size), limit: formatBytes(MAX_CSV_BYTES) });
}

/** Refused from the request's announced size: the file itself was never seen. */
function requestTooLargeMessage(size: number): string {
	return m.upload_too_large_request({ size: formatBytes(size), limit: formatBytes(MAX_CSV_BYTES) });
}

export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'data.upload', { type: 'indicator', id: event.params.id });
	const indicator = await findIndicator(await getDb(), event.params.id, event.locals.locale);
	if (!indicator) error(404, m.upload_no_indicator());
	const refusedSize = Number(event.url.searchParams.get('too_large'));
	return {
		indicator,
		limit: formatBytes(MAX_CSV_BYTES),
		// Set by the size check that refuses a large request before it is read (server/handle.ts).
		refused: Number.isFinite(refusedSize) && refusedSize > 0 ? requestTooLargeMessage(refusedSize) : undefined,
		notice: event.url.searchParams.has('cancelled')
			? m.upload_cancelled()
			: event.url.searchParams.has('expired')
				? m.upload_expired({ hours: DRAFT_TTL_MS / 3_600_000 })
				: undefined,
		canViewRevisions: can(user, 'revisions.view', { type: 'indicator', id: indicator.id }),
		crumbs: [
			{ label: m.admin_nav_indicators(), href: '/admin/indicators' },
			{ label: indicator.name, href: `/admin/indicators/${indicator.id}` },
			{ label: m.upload_title({ indicator: indicator.name }), href: `/admin/indicators/${indicator.id}/upload` }
		]
	};
};

export const actions: Actions = {
	default: async (event) => {
		const subject = { type: 'indicator', id: event.params.id } as const;
		const user = requirePermission(event, 'data.upload', subject);
		const db = await getDb();
		if (!(await findIndicator(db, event.params.id, event.locals.locale))) error(404, m.upload_no_indicator());
		// Refused before the body is read when the request says it is too large.
		const length = event.request.headers.get('content-length');
		if (requestTooLarge(length)) return fail(413, { message: requestTooLargeMessage(Number(length)) });
		const form = await event.request.formData();
		const duplicates = duplicatesFromForm(form.get('duplicates'));
		if (!duplicates) return fail(400, { message: m.upload_duplicates_invalid() });
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0 || !file.name) return fail(400, { message: m.upload_no_file(), duplicates });
		// …and before it is parsed when the file itself is.
		if (file.size > MAX_CSV_BYTES) return fail(413, { message: tooLarge(file.size), duplicates });
		const content = Buffer.from(await file.arrayBuffer());
		// A file that is not CSV text is refused here, saying what it is in the page's language (nothing is staged).
		const notText = await nonTextFileIssue(content, file.name, event.locals.locale);
		if (notText) return fail(400, { message: `${notText.message} ${notText.fix}`, duplicates });
		let draftId: string;
		try {
			draftId = await stageUpload(db, user, event.params.id, { name: file.name, content }, { duplicates });
		} catch (caught) {
			if (caught instanceof ForbiddenError) error(403, m.forbidden_text());
			throw caught;
		}
		redirect(303, `/admin/indicators/${event.params.id}/upload/${draftId}`);
	}
};
