// Used by the back office layout in the browser too, so it imports nothing from the server.

/** One step of the breadcrumb trail; the last one is the current page (no link). */
export interface Crumb {
	label: string;
	href?: string;
}

/** The trail from the back office home to the current page: every step but the last links. */
export function breadcrumbs(home: string, steps: ReadonlyArray<{ label: string; href: string }>): Crumb[] {
	const all = [{ label: home, href: '/admin' }, ...steps];
	return all.map((c, i) => (i === all.length - 1 ? { label: c.label } : c));
}
