import { describe, expect, it } from 'vitest';
import { safeRedirectTarget, sameSiteRefererPath } from '#lib/server/http/redirect.ts';

/** [what the visitor sent (already decoded from the query string), where they are sent]. */
const CASES: Array<[input: string | null | undefined, expected: string]> = [
	// Plain paths on the site are followed as they are.
	['/', '/'],
	['/indicators/unemployment', '/indicators/unemployment'],
	['/indicators/unemployment?GeoCode=06067&Sex=Female', '/indicators/unemployment?GeoCode=06067&Sex=Female'],
	['/areas/jobs#list', '/areas/jobs#list'],
	['/es/indicators/unemployment', '/es/indicators/unemployment'],
	// Non-ASCII is kept, percent-encoded, so it is always a valid Location header.
	['/search?q=vivienda asequible'.replace(' ', '+'), '/search?q=vivienda+asequible'],
	['/search?q=año', '/search?q=a%C3%B1o'],
	['/áreas', '/%C3%A1reas'],
	// Nothing asked for, or not a path.
	[null, '/'],
	[undefined, '/'],
	['', '/'],
	['indicators', '/'],
	['https://evil.example/', '/'],
	['javascript:alert(1)', '/'],
	['data:text/html,x', '/'],
	// Other hosts written as paths.
	['//evil.example', '/'],
	['///evil.example', '/'],
	['/\\evil.example', '/'],
	['/\\/evil.example', '/'],
	['/path\\with\\backslash', '/'],
	// Control characters: browsers drop tab and newlines (`/\t/evil` is `//evil`), Node refuses them in headers.
	['/\t/evil.example', '/'],
	['/\n/evil.example', '/'],
	['/\r/evil.example', '/'],
	['/\r\nSet-Cookie: x=1', '/'],
	['/\u0000', '/'],
	['/a\u0000b', '/'],
	['/\u007f', '/'],
	['/\u0085', '/'],
	['/\u001b[31m', '/'],
	// Every kind of space, visible or not, and invisible formatting characters.
	['/ /evil.example', '/'],
	['/indicators/unemployment ', '/'],
	['/\u3000/evil.example', '/'],
	['/\u00a0', '/'],
	['/\u2028', '/'],
	['/\u2029', '/'],
	['/\u200b', '/'],
	['/\u202e', '/'],
	['/\ufeff', '/'],
	// A lone surrogate is not text.
	['/\ud800', '/'],
	// Very long: not a real page address.
	['/' + 'a'.repeat(3000), '/']
];

describe('safe redirect targets', () => {
	it.each(CASES)('%j goes to %j', (input, expected) => {
		expect(safeRedirectTarget(input)).toBe(expected);
	});

	it('uses the given fallback for what it refuses, and only then', () => {
		expect(safeRedirectTarget('//evil.example', '/account')).toBe('/account');
		expect(safeRedirectTarget('/admin', '/account')).toBe('/admin');
	});

	it('always gives a value Node accepts in a header', () => {
		for (const [input] of CASES) expect(safeRedirectTarget(input)).toMatch(/^\/[\x21-\x7e]*$/);
	});
});

describe('the Referer of a refused form', () => {
	const origin = 'http://localhost:3000';
	it.each([
		['http://localhost:3000/admin/users?x=1', '/admin/users'],
		['http://localhost:3000/', '/'],
		[null, '/here'],
		['', '/here'],
		['/x', '/here'],
		['x', '/here'],
		['http://[::1', '/here'],
		['http://[::1]:3000/admin', '/here'],
		['https://localhost:3000/admin', '/here'],
		['http://evil.example/admin', '/here'],
		['http://localhost:3000/%E3%80%80', '/%E3%80%80'],
		['not a url at all \u0000', '/here']
	])('%j gives %j', (referer, expected) => {
		expect(sameSiteRefererPath(referer, origin, '/here')).toBe(expected);
	});
});
