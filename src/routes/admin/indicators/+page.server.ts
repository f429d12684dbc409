import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { listAdminAreas, listAdminIndicators } from '#lib/admin/server/catalog.ts';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'catalog.view');
	const db = await getDb();
	const areas = await listAdminAreas(db);
	const requested = event.url.searchParams.get('area') ?? '';
	const area = areas.some((a) => a.id === requested) ? requested : '';
	return {
		areas: areas.map((a) => ({ id: a.id, name: a.name })),
		area,
		indicators: await listAdminIndicators(db, area ? { area } : {}),
		crumbs: [{ label: m.admin_nav_indicators(), href: '/admin/indicators' }]
	};
};
