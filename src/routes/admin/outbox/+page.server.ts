import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { readOutbox } from '#lib/server/mail/mailer.ts';
import { outboxEnabled } from '#lib/admin/server/outbox.ts';

/** The mail written to files while no SMTP server is set (development, demos, tests): admins only. */
export const load: PageServerLoad = (event) => {
	requirePermission(event, 'outbox.view');
	if (!outboxEnabled()) error(404, m.admin_outbox_off());
	return { messages: readOutbox(), crumbs: [{ label: m.admin_nav_outbox(), href: '/admin/outbox' }] };
};
