/**
 * The one rule for following an address the visitor handed us (`?to=` after choosing a
 * language, `?next=` after signing in): only a path on this site, written plainly.
 *
 * Refused, so the visitor goes to `fallback` instead:
 * - anything not starting with exactly one `/` (full addresses, `//host`, `/\host`);
 * - any control character, any kind of space (tab, newline, NBSP, U+3000 …), any invisible
 *   formatting character or a backslash anywhere: browsers drop or reinterpret them (`/\t/evil`
 *   is read as `//evil`), and Node refuses them in a Location header;
 * - anything that, read as a URL, would leave this site, and anything unreasonably long.
 *
 * What is allowed comes back as the URL parser writes it (non-ASCII percent-encoded), so it
 * is always a valid header value.
 */
const UNSAFE_CHARACTER = /[\p{Cc}\p{Cf}\p{Z}\p{Cs}\s\\]/u;
const MAX_LENGTH = 2048;
const BASE = 'http://same-site.invalid';

export function safeRedirectTarget(value: string | null | undefined, fallback = '/'): string {
	if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
	if (!value.startsWith('/') || value.startsWith('//')) return fallback;
	if (UNSAFE_CHARACTER.test(value)) return fallback;
	let url: URL;
	try {
		url = new URL(value, BASE);
	} catch {
		return fallback;
	}
	if (url.origin !== BASE) return fallback;
	return url.pathname + url.search + url.hash;
}

/**
 * The path of a `Referer` header when it names a page of this site (`origin`), else
 * `fallback`. Any header value is taken: relative (`/x`), malformed (`http://[::1`) or
 * foreign ones give the fallback, never an exception.
 */
export function sameSiteRefererPath(referer: string | null | undefined, origin: string, fallback: string): string {
	if (!referer) return fallback;
	let url: URL;
	try {
		url = new URL(referer);
	} catch {
		return fallback;
	}
	if (url.origin !== origin) return fallback;
	return safeRedirectTarget(url.pathname, fallback);
}
