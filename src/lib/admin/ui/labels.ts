import { m } from '#lib/paraglide/messages.js';
import type { AdminGroup, AdminLink } from '../nav.ts';

export function adminLinkLabel(key: AdminLink['key']): string {
	switch (key) {
		case 'indicators':
			return m.admin_nav_indicators();
		case 'areas':
			return m.admin_nav_areas();
		case 'directory':
			return m.admin_nav_directory();
		case 'stories':
			return m.admin_nav_stories();
		case 'settings':
			return m.admin_nav_settings();
		case 'users':
			return m.admin_nav_users();
		case 'audit':
			return m.admin_nav_audit();
		case 'outbox':
			return m.admin_nav_outbox();
	}
}

export function adminGroupLabel(key: AdminGroup['key']): string {
	return key === 'data' ? m.admin_group_data() : m.admin_group_region();
}

export function adminLinkDescription(key: AdminLink['key']): string {
	switch (key) {
		case 'indicators':
			return m.admin_home_indicators();
		case 'areas':
			return m.admin_home_areas();
		case 'directory':
			return m.admin_home_directory();
		case 'stories':
			return m.admin_home_stories();
		case 'settings':
			return m.admin_home_settings();
		case 'users':
			return m.admin_home_users();
		case 'audit':
			return m.admin_home_audit();
		case 'outbox':
			return m.admin_home_outbox();
	}
}

/** Languages by code, in the language of the page. */
export function languageName(locale: string): string {
	return locale === 'es' ? m.admin_language_es() : m.admin_language_en();
}
