import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { getDb } from '#lib/server/context.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';
import { claimsToDecide, decideClaim } from '#lib/directory/server/representatives.ts';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'directory.decideClaims');
	return {
		...(await claimsToDecide(await getDb())),
		saved: event.url.searchParams.has('saved'),
		crumbs: [
			{ label: m.admin_nav_directory(), href: '/admin/directory' },
			{ label: m.dir_admin_claims_heading(), href: '/admin/directory/claims' }
		]
	};
};

const DECISIONS = new Set(['approved', 'rejected', 'revoked']);

export const actions: Actions = {
	decide: async (event) => {
		const user = requirePermission(event, 'directory.decideClaims');
		const form = await event.request.formData();
		const organizationId = String(form.get('organization') ?? '');
		const userId = String(form.get('user') ?? '');
		const decision = String(form.get('decision') ?? '');
		if (!organizationId || !userId || !DECISIONS.has(decision)) return fail(400, { message: m.dir_admin_claim_invalid() });
		const db = await getDb();
		const failure = await writeFailure(() => decideClaim(db, user, organizationId, userId, decision as 'approved' | 'rejected' | 'revoked', String(form.get('note') ?? '')));
		if (failure) return fail(failure.status, { message: failure.message });
		redirect(303, '/admin/directory/claims?saved');
	}
};
