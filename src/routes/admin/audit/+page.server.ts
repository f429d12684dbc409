import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { readAuditLog } from '#lib/server/audit/log.ts';
import { auditChanges, prettyJson } from '#lib/admin/diff.ts';
import { listQuery, pageCount, pageNumber } from '#lib/admin/nav.ts';
import { auditFilterChoices } from '#lib/admin/server/audit.ts';

const PER_PAGE = 25;

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'audit.view');
	const db = await getDb();
	const params = event.url.searchParams;
	const choices = await auditFilterChoices(db);
	const filters = {
		action: choices.actions.includes(params.get('action') ?? '') ? params.get('action')! : '',
		subjectType: choices.subjectTypes.includes(params.get('subjectType') ?? '') ? params.get('subjectType')! : '',
		subjectId: (params.get('subjectId') ?? '').trim().slice(0, 200)
	};
	const query = { action: filters.action || undefined, subjectType: filters.subjectType || undefined, subjectId: filters.subjectId || undefined };
	const { total } = await readAuditLog(db, { ...query, limit: 0 });
	const pages = pageCount(total, PER_PAGE);
	const page = pageNumber(params.get('page'), pages);
	const { entries } = await readAuditLog(db, { ...query, limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
	return {
		choices,
		filters,
		total,
		page,
		pages,
		previous: page > 1 ? listQuery(filters, page - 1) || '?' : null,
		next: page < pages ? listQuery(filters, page + 1) : null,
		entries: entries.map((e) => ({
			id: e.id,
			at: e.at,
			actorEmail: e.actorEmail,
			actorRole: e.actorRole,
			action: e.action,
			subjectType: e.subjectType,
			subjectId: e.subjectId,
			summary: e.summary,
			changes: auditChanges(e.before, e.after),
			before: prettyJson(e.before),
			after: prettyJson(e.after)
		})),
		crumbs: [{ label: m.admin_nav_audit(), href: '/admin/audit' }]
	};
};
