/**
 * A shared page for a signed-in reader. Public pages are the same for everyone but for the
 * header's account links, so a signed-in reader of a page the cache holds gets the cached
 * page with those links swapped for their own (the back office, the account, "Sign out"
 * with their CSRF token), instead of a full render of their own: the anonymous links and
 * theirs are both rendered from the one AccountNav component the layout uses.
 *
 * A page may only be cached when its anonymous rendering is right for every reader apart
 * from those links: a page that shows a signed-in person anything else of their own must
 * not be cacheable (it hands out a CSRF token, sets a cookie, or says `private`).
 */
import { render } from 'svelte/server';
import AccountNav from '#lib/accounts/ui/AccountNav.svelte';
import type { AccountNavProps } from '#lib/accounts/account-nav.ts';

const ROOT_OPEN = '<!--[-->';
const ROOT_CLOSE = '<!--]-->';

/** The component's HTML as it appears inside a page: without the markers Svelte puts around a root render. */
export function accountNavHtml(props: AccountNavProps): string {
	const body = render(AccountNav, { props }).body;
	return body.startsWith(ROOT_OPEN) && body.endsWith(ROOT_CLOSE) ? body.slice(ROOT_OPEN.length, -ROOT_CLOSE.length) : body;
}

