import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { listAdminAreas } from '#lib/admin/server/catalog.ts';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'catalog.view');
	return { areas: await listAdminAreas(await getDb()), crumbs: [{ label: m.admin_nav_areas(), href: '/admin/areas' }] };
};
