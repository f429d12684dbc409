import type { LayoutServerLoad } from './$types';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { adminGroupsFor } from '#lib/admin/nav.ts';
import { outboxEnabled } from '#lib/admin/server/outbox.ts';

// Plain HTML forms, no script: nothing to hydrate, and nothing typed before a script loads is lost.
export const csr = false;

/**
 * Every back office page: only people whose role may view it (signed-out visitors go to
 * sign-in, others get 403). The pages are personal: never kept by the page cache or a CDN.
 */
export const load: LayoutServerLoad = (event) => {
	const user = requirePermission(event, 'admin.view');
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return {
		csrf: event.locals.csrf(),
		groups: adminGroupsFor(user, { outbox: outboxEnabled() }),
		adminUser: { id: user.id, role: user.role }
	};
};
