import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { can } from '#lib/server/auth/permissions.ts';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb, getRegion } from '#lib/server/context.ts';
import { listOrganizations } from '#lib/directory/server/queries.ts';
import { claimsToDecide } from '#lib/directory/server/representatives.ts';

/**
 * The back office's directory: editors and admins find any organization; a representative
 * sees the organizations they represent and the programs those run.
 */
export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'directory.view');
	const db = await getDb();
	const steward = can(user, 'directory.decideClaims');
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 200);
	const freshness = { today: new Date(), months: getRegion().settings.directoryVerificationMonths };
	const page = Math.max(1, Number(event.url.searchParams.get('page')) || 1);
	const found = steward ? await listOrganizations(db, { q }, event.locals.locale, freshness, page) : undefined;
	const represented = user.representativeOf ?? [];
	const mine = represented.length
		? await db.kysely.selectFrom('organization').select(['id', 'name']).where('id', 'in', represented).orderBy('name').execute()
		: [];
	const programs = represented.length
		? await db.kysely
				.selectFrom('program')
				.innerJoin('program_organization', 'program_organization.program_id', 'program.id')
				.select(['program.id', 'program.name', 'program_organization.organization_id'])
				.where('program_organization.organization_id', 'in', represented)
				.orderBy('program.name')
				.execute()
		: [];
	return {
		steward,
		q,
		found: found && { organizations: found.organizations.map((o) => ({ id: o.id, name: o.name, stale: o.stale, isSample: o.isSample })), total: found.total, page: found.page, pages: found.pages },
		mine: mine.map((o) => ({ ...o, programs: programs.filter((p) => p.organization_id === o.id).map((p) => ({ id: p.id, name: p.name })) })),
		pendingClaims: steward ? (await claimsToDecide(db)).pending.length : 0,
		crumbs: [{ label: m.admin_nav_directory(), href: '/admin/directory' }]
	};
};
