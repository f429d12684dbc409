import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { getDb } from '#lib/server/context.ts';
import { listRevisions } from '#lib/indicators/server/store.ts';
import { findIndicator } from '#lib/admin/upload/server/drafts.ts';

export const load: PageServerLoad = async (event) => {
	const subject = { type: 'indicator', id: event.params.id } as const;
	const user = requirePermission(event, 'revisions.view', subject);
	const db = await getDb();
	const indicator = await findIndicator(db, event.params.id, event.locals.locale);
	if (!indicator) error(404, m.upload_no_indicator());
	const [revisions, current] = await Promise.all([
		listRevisions(db, indicator.id),
		db.kysely.selectFrom('indicator').select('current_revision_id').where('id', '=', indicator.id).executeTakeFirst()
	]);
	return {
		indicator,
		revisions,
		currentId: current?.current_revision_id ?? null,
		canUpload: can(user, 'data.upload', subject),
		crumbs: [
			{ label: m.admin_nav_indicators(), href: '/admin/indicators' },
			{ label: indicator.name, href: `/admin/indicators/${indicator.id}` },
			{ label: m.revisions_title({ indicator: indicator.name }), href: event.url.pathname }
		]
	};
};
