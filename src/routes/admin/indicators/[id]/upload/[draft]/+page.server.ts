import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { getDb } from '#lib/server/context.ts';
import { ForbiddenError } from '#lib/server/audit/log.ts';
import { duplicatesFromForm, formatBytes, previewOf } from '#lib/admin/upload/preview.ts';
import { diskFullLogLine, isDiskFull } from '#lib/server/db/storage-errors.ts';
import { cancelDraft, DraftRefused, findIndicator, publishDraft, readDraft, setDraftDuplicates } from '#lib/admin/upload/server/drafts.ts';

export const load: PageServerLoad = async (event) => {
	const subject = { type: 'indicator', id: event.params.id } as const;
	const user = requirePermission(event, 'data.upload', subject);
	const db = await getDb();
	const indicator = await findIndicator(db, event.params.id, event.locals.locale);
	if (!indicator) error(404, m.upload_no_indicator());
	const draft = await readDraft(db, user.id, indicator.id, event.params.draft);
	if (!draft) redirect(303, `/admin/indicators/${indicator.id}/upload?expired`);
	const preview = previewOf(draft.validation);
	return {
		indicator,
		draft: { id: draft.id, fileName: draft.fileName, size: formatBytes(draft.bytes), checksum: draft.checksum, createdAt: draft.createdAt, duplicates: draft.duplicates },
		preview,
		canPublish: can(user, 'data.publish', subject),
		crumbs: [
			{ label: m.admin_nav_indicators(), href: '/admin/indicators' },
			{ label: indicator.name, href: `/admin/indicators/${indicator.id}` },
			{ label: m.upload_title({ indicator: indicator.name }), href: `/admin/indicators/${indicator.id}/upload` },
			{ label: m.upload_preview_title({ file: draft.fileName }), href: event.url.pathname }
		]
	};
};

export const actions: Actions = {
	publish: async (event) => {
		const user = requirePermission(event, 'data.publish', { type: 'indicator', id: event.params.id });
		const db = await getDb();
		try {
			const revision = await publishDraft(db, user, event.params.id, event.params.draft);
			redirect(303, `/admin/indicators/${event.params.id}/revisions/${revision.number}?published`);
		} catch (caught) {
			if (caught instanceof ForbiddenError) error(403, m.forbidden_text());
			if (caught instanceof DraftRefused) {
				if (caught.reason === 'missing') redirect(303, `/admin/indicators/${event.params.id}/upload?expired`);
				return fail(409, { message: m.upload_refused_errors() });
			}
			if (isDiskFull(caught)) {
				console.error(diskFullLogLine(`Publishing the upload for ${event.params.id}`, db.location, caught));
				return fail(507, { message: m.upload_disk_full() });
			}
			throw caught;
		}
	},
	duplicates: async (event) => {
		const user = requirePermission(event, 'data.upload', { type: 'indicator', id: event.params.id });
		const duplicates = duplicatesFromForm((await event.request.formData()).get('duplicates'));
		if (!duplicates) return fail(400, { message: m.upload_duplicates_invalid() });
		let found: boolean;
		try {
			found = await setDraftDuplicates(await getDb(), user, event.params.id, event.params.draft, duplicates);
		} catch (caught) {
			if (caught instanceof ForbiddenError) error(403, m.forbidden_text());
			throw caught;
		}
		if (!found) redirect(303, `/admin/indicators/${event.params.id}/upload?expired`);
		redirect(303, `/admin/indicators/${event.params.id}/upload/${event.params.draft}`);
	},
	cancel: async (event) => {
		const user = requirePermission(event, 'data.upload', { type: 'indicator', id: event.params.id });
		try {
			await cancelDraft(await getDb(), user, event.params.id, event.params.draft);
		} catch (caught) {
			if (caught instanceof ForbiddenError) error(403, m.forbidden_text());
			throw caught;
		}
		redirect(303, `/admin/indicators/${event.params.id}/upload?cancelled`);
	}
};
