import { can, type Action, type Actor } from '#lib/server/auth/permissions.ts';

/** One link of the back office home and side navigation. */
export interface AdminLink {
	href: string;
	/** Key of the link's label (see adminLinkLabel in ui/labels.ts). */
	key: 'indicators' | 'areas' | 'directory' | 'stories' | 'settings' | 'users' | 'audit' | 'outbox';
	action: Action;
}

export interface AdminGroup {
	/** The role group: data stewards' work, and the region's administration. */
	key: 'data' | 'region';
	links: AdminLink[];
}

const GROUPS: AdminGroup[] = [
	{
		key: 'data',
		links: [
			{ href: '/admin/indicators', key: 'indicators', action: 'catalog.view' },
			{ href: '/admin/areas', key: 'areas', action: 'catalog.view' },
			{ href: '/admin/directory', key: 'directory', action: 'directory.view' },
			{ href: '/admin/stories', key: 'stories', action: 'stories.write' }
		]
	},
	{
		key: 'region',
		links: [
			{ href: '/admin/settings', key: 'settings', action: 'region.view' },
			{ href: '/admin/users', key: 'users', action: 'users.view' },
			{ href: '/admin/audit', key: 'audit', action: 'audit.view' },
			{ href: '/admin/outbox', key: 'outbox', action: 'outbox.view' }
		]
	}
];

/**
 * The back office sections, grouped by role, holding only the links `actor` may use. The
 * outbox exists only while mail is written to files (no SMTP server: development and tests).
 */
export function adminGroupsFor(actor: Actor | null | undefined, options: { outbox?: boolean } = {}): AdminGroup[] {
	return GROUPS.map((g) => ({ ...g, links: g.links.filter((l) => can(actor, l.action) && (l.key !== 'outbox' || options.outbox === true)) })).filter(
		(g) => g.links.length > 0
	);
}

/** Page numbers for a list of `total` items, `perPage` at a time (page 1 first). */
export function pageCount(total: number, perPage: number): number {
	return Math.max(1, Math.ceil(total / perPage));
}

/** A `?page=` value as a page number in 1..pages; anything else is page 1. */
export function pageNumber(value: string | null, pages: number): number {
	const n = Number(value);
	return Number.isInteger(n) && n >= 1 ? Math.min(n, pages) : 1;
}

/** A query string for a list page: the filters that are set, and the page when not the first. */
export function listQuery(filters: Record<string, string | undefined>, page: number): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
	if (page > 1) params.set('page', String(page));
	const text = params.toString();
	return text ? `?${text}` : '';
}
