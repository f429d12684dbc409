import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '#lib/server/auth/guard.ts';
import { getDb, getRegion } from '#lib/server/context.ts';
import { writeFailure } from '#lib/admin/server/actions.ts';
import { listOrganizations } from '#lib/directory/server/queries.ts';
import { claimOrganization, claimsOf, CLAIM_NOTE_MAX } from '#lib/directory/server/representatives.ts';

/** A member's organizations: the claims they made, and a search to claim one. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = await getDb();
	const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const found = q ? await listOrganizations(db, { q }, event.locals.locale, { today: new Date(), months: getRegion().settings.directoryVerificationMonths }) : undefined;
	return {
		q,
		found: found?.organizations.slice(0, 20).map((o) => ({ id: o.id, name: o.name, isSample: o.isSample })),
		foundTotal: found?.total ?? 0,
		claims: await claimsOf(db, user.id),
		emailVerified: user.emailVerified,
		claimed: event.url.searchParams.get('claimed'),
		noteMax: CLAIM_NOTE_MAX
	};
};

export const actions: Actions = {
	claim: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const organizationId = String(form.get('organization') ?? '');
		const db = await getDb();
		let status = '';
		const failure = await writeFailure(async () => {
			status = await claimOrganization(db, user, organizationId, String(form.get('note') ?? ''));
		});
		if (failure) return fail(failure.status, { message: failure.message });
		redirect(303, `/account/organizations?claimed=${status}`);
	}
};
