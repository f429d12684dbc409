import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { requirePermission } from '#lib/server/auth/guard.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { ForbiddenError } from '#lib/server/audit/log.ts';
import { getDb } from '#lib/server/context.ts';
import { assignedQuery, readAssigned, readAssignForm } from '#lib/admin/forms.ts';
import { AssignRefused, assignIndicatorsToArea, listAdminAreas, listAdminIndicators } from '#lib/admin/server/catalog.ts';

export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'catalog.view');
	const db = await getDb();
	const areas = await listAdminAreas(db);
	const requested = event.url.searchParams.get('area') ?? '';
	const area = areas.some((a) => a.id === requested) ? requested : '';
	const [indicators, unassigned] = await Promise.all([listAdminIndicators(db, area ? { area } : {}), listAdminIndicators(db, { unassigned: true })]);
	const assigned = readAssigned(
		event.url.searchParams,
		areas.map((a) => a.id)
	);
	return {
		areas: areas.map((a) => ({ id: a.id, name: a.name })),
		area,
		indicators,
		unassigned: unassigned.map((i) => ({ id: i.id, name: i.name })),
		canAssign: can(user, 'catalog.edit'),
		assigned: assigned && { moved: assigned.moved, area: { id: assigned.areaId, name: areas.find((a) => a.id === assigned.areaId)!.name } },
		crumbs: [{ label: m.admin_nav_indicators(), href: '/admin/indicators' }]
	};
};

export const actions: Actions = {
	/** Puts every checked indicator in the chosen area, at once. */
	assign: async (event) => {
		const user = requirePermission(event, 'catalog.edit');
		const db = await getDb();
		const areas = await listAdminAreas(db);
		const form = readAssignForm(
			await event.request.formData(),
			areas.map((a) => a.id)
		);
		if (!form.ok) return fail(400, { assign: { input: form.input, problems: form.problems, message: undefined as string | undefined } });
		let moved: string[];
		try {
			moved = await assignIndicatorsToArea(db, user, form.value.areaId, form.value.indicatorIds);
		} catch (caught) {
			if (caught instanceof ForbiddenError) error(403, m.forbidden_text());
			if (caught instanceof AssignRefused) {
				const message = caught.reason === 'area' ? m.admin_assign_area_gone({ area: form.value.areaId }) : m.admin_assign_indicators_gone({ ids: caught.ids.join(', ') });
				return fail(409, { assign: { input: form.input, problems: {}, message } });
			}
			throw caught;
		}
		redirect(303, `/admin/indicators${assignedQuery(moved.length, form.value.areaId, form.input.list === 'list' ? form.input.filter : '')}`);
	}
};
