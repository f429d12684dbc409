import { m } from '#lib/paraglide/messages.js';

/** A role's name in the visitor's language. */
export function roleLabel(role: string): string {
	switch (role) {
		case 'editor':
			return m.role_editor();
		case 'reviewer':
			return m.role_reviewer();
		case 'moderator':
			return m.role_moderator();
		case 'admin':
			return m.role_admin();
		default:
			return m.role_member();
	}
}
