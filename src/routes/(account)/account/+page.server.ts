import type { PageServerLoad } from './$types';
import { can } from '#lib/server/auth/permissions.ts';
import { requireUser } from '#lib/server/auth/guard.ts';

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	return { account: { name: user.name, email: user.email, role: user.role }, canAdmin: can(user, 'admin.view') };
};
