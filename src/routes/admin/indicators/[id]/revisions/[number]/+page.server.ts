import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { getDb } from '#lib/server/context.ts';
import { ForbiddenError } from '#lib/server/audit/log.ts';
import { pageOf } from '#lib/admin/upload/preview.ts';
import { findIndicator } from '#lib/admin/upload/server/drafts.ts';
import { readRevisionDetail, restoreRevision, RevisionNotFound } from '#lib/admin/upload/server/revisions.ts';
import { indicatorPlacement } from '#lib/admin/server/catalog.ts';

/** Changed rows listed per page of the diff. */
const CHANGES_PER_PAGE = 100;

function revisionNumber(value: string): number {
	const n = Number(value);
	if (!/^\d{1,9}$/.test(value) || !Number.isSafeInteger(n)) error(404, m.revisions_not_found());
	return n;
}

export const load: PageServerLoad = async (event) => {
	const subject = { type: 'indicator', id: event.params.id } as const;
	const user = requirePermission(event, 'revisions.view', subject);
	const db = await getDb();
	const indicator = await findIndicator(db, event.params.id, event.locals.locale);
	if (!indicator) error(404, m.upload_no_indicator());
	const detail = await readRevisionDetail(db, indicator.id, revisionNumber(event.params.number));
	if (!detail) error(404, m.revisions_not_found());
	const page = pageOf(detail.diff.changes, Number(event.url.searchParams.get('page') ?? '1'), CHANGES_PER_PAGE);
	const canRestore = can(user, 'revisions.restore', subject);
	const { columns: _columns, ...revision } = detail.revision;
	return {
		indicator,
		revision,
		previous: detail.previous ? { number: detail.previous.number } : null,
		isCurrent: detail.isCurrent,
		diff: { added: detail.diff.added, removed: detail.diff.removed, changed: detail.diff.changed, changes: page.items, page: page.page, pages: page.pages },
		canRestore,
		confirmRestore: canRestore && event.url.searchParams.has('restore'),
		published: event.url.searchParams.has('published'),
		// After an upload: where the indicator shows on the home page, or that it is in no area yet.
		placement: event.url.searchParams.has('published') ? await indicatorPlacement(db, indicator.id) : undefined,
		canAssign: can(user, 'catalog.edit', subject),
		restored: event.url.searchParams.has('restored'),
		crumbs: [
			{ label: m.admin_nav_indicators(), href: '/admin/indicators' },
			{ label: indicator.name, href: `/admin/indicators/${indicator.id}` },
			{ label: m.revisions_title({ indicator: indicator.name }), href: `/admin/indicators/${indicator.id}/revisions` },
			{ label: m.revisions_open({ number: detail.revision.number }), href: event.url.pathname }
		]
	};
};

export const actions: Actions = {
	restore: async (event) => {
		const user = requirePermission(event, 'revisions.restore', { type: 'indicator', id: event.params.id });
		const number = revisionNumber(event.params.number);
		try {
			const revision = await restoreRevision(await getDb(), user, event.params.id, number);
			redirect(303, `/admin/indicators/${event.params.id}/revisions/${revision.number}?restored`);
		} catch (caught) {
			if (caught instanceof ForbiddenError) error(403, m.forbidden_text());
			if (caught instanceof RevisionNotFound) error(404, m.revisions_not_found());
			throw caught;
		}
	}
};
