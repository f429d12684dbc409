/**
 * The site's routes, read from the SvelteKit route tree (src/routes) and from the OpenAPI
 * document the server publishes, and malformed requests made from them: odd parameters in
 * every path segment, odd query strings and headers, and junk bodies for every form action
 * and endpoint. A new route, action or API path is covered without naming it here.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface RouteParam {
	name: string;
	/** The literal segment before it (`indicators` for `/indicators/[id]`), which says what it names. */
	after: string | undefined;
}

export interface Route {
	/** As in the route tree, groups left out: `/indicators/[id]/chart.svg`. */
	pattern: string;
	params: RouteParam[];
	/** A page (answers GET with HTML) rather than an endpoint only. */
	page: boolean;
	/** What the route answers: GET for pages, the exported handlers of an endpoint (`*` for `fallback`). */
	methods: string[];
	/** Form actions of the page: `default` and named ones (posted to `?/name`). */
	actions: string[];
	/** Query parameters the route's own files or its OpenAPI operation read. */
	queryNames: string[];
	/** Where it was found. */
	from: Array<'routes' | 'openapi'>;
}

/** `[id]`, `[[optional]]`, `[...rest]`, `[id=matcher]`. */
const PARAM = /\[\[?(\.\.\.)?(\w+)(?:=\w+)?\]\]?/g;

function parseSegments(pattern: string): RouteParam[] {
	const params: RouteParam[] = [];
	let after: string | undefined;
	for (const segment of pattern.split('/').filter(Boolean)) {
		const found = [...segment.matchAll(PARAM)];
		if (found.length === 0) after = segment;
		for (const match of found) params.push({ name: match[2]!, after });
	}
	return params;
}

const ENDPOINT_METHOD = /export\s+(?:const|let|async\s+function|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|fallback)\b/g;
const QUERY_NAME = /(?:searchParams|params)\.(?:get|getAll|has)\(\s*['"]([^'"]+)['"]/g;

/** Names of `export const actions = { … }` in a +page.server.ts (keys one level in). */
export function actionNames(source: string): string[] {
	const start = source.search(/export\s+const\s+actions\b/);
	if (start < 0) return [];
	const rest = source.slice(start);
	const end = rest.search(/^\}/m);
	const block = end < 0 ? rest : rest.slice(0, end);
	return [...block.matchAll(/^(?:\t| {2}| {4})(\w+)\s*(?::|\()/gm)].map((m) => m[1]!);
}

/** Every route under `routesDir` that has a page or an endpoint. */
export function routesFromTree(routesDir: string): Route[] {
	const routes: Route[] = [];
	const walk = (dir: string, segments: string[]) => {
		const entries = fs.readdirSync(dir, { withFileTypes: true });
		const files = new Map(entries.filter((e) => e.isFile()).map((e) => [e.name, fs.readFileSync(path.join(dir, e.name), 'utf8')]));
		const pageFiles = ['+page.svelte', '+page.server.ts', '+page.ts', '+page.server.js', '+page.js'].filter((f) => files.has(f));
		const endpoint = files.get('+server.ts') ?? files.get('+server.js');
		if (pageFiles.length > 0 || endpoint !== undefined) {
			const pattern = '/' + segments.filter((s) => !/^\(.*\)$/.test(s)).join('/');
			const methods = new Set<string>();
			if (pageFiles.length > 0) methods.add('GET');
			for (const m of endpoint?.matchAll(ENDPOINT_METHOD) ?? []) methods.add(m[1] === 'fallback' ? '*' : m[1]!);
			const server = files.get('+page.server.ts') ?? files.get('+page.server.js') ?? '';
			const queryNames = new Set<string>();
			for (const source of files.values()) for (const m of source.matchAll(QUERY_NAME)) queryNames.add(m[1]!);
			routes.push({
				pattern,
				params: parseSegments(pattern),
				page: pageFiles.length > 0,
				methods: [...methods],
				actions: actionNames(server),
				queryNames: [...queryNames],
				from: ['routes']
			});
		}
		for (const entry of entries) if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name]);
	};
	walk(routesDir, []);
	return routes;
}

interface OpenApiOperation {
	parameters?: Array<{ name: string; in: string }>;
}
export interface OpenApiDocument {
	paths: Record<string, Record<string, OpenApiOperation>>;
}

/** The paths of an OpenAPI document (`{id}` written `[id]`), with their methods and query parameters. */
export function routesFromOpenApi(document: OpenApiDocument): Route[] {
	return Object.entries(document.paths).map(([apiPath, operations]) => {
		const pattern = apiPath.replace(/\{(\w+)\}/g, '[$1]');
		const methods = Object.keys(operations)
			.filter((k) => /^(get|head|post|put|patch|delete|options)$/.test(k))
			.map((k) => k.toUpperCase());
		const queryNames = Object.values(operations).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
		return { pattern, params: parseSegments(pattern), page: false, methods, actions: [], queryNames, from: ['openapi'] };
	});
}

/** One route per pattern: what the route tree and the OpenAPI document say of it, together. */
export function mergeRoutes(...lists: Route[][]): Route[] {
	const shape = (pattern: string) => pattern.replace(PARAM, '[]');
	const merged = new Map<string, Route>();
	for (const route of lists.flat()) {
		const known = merged.get(shape(route.pattern));
		if (!known) {
			merged.set(shape(route.pattern), { ...route, methods: [...route.methods], actions: [...route.actions], queryNames: [...route.queryNames], from: [...route.from] });
			continue;
		}
		for (const [into, from] of [
			[known.methods, route.methods],
			[known.actions, route.actions],
			[known.queryNames, route.queryNames],
			[known.from, route.from]
		] as Array<[string[], string[]]>) {
			for (const item of from) if (!into.includes(item)) into.push(item);
		}
		known.page ||= route.page;
	}
	return [...merged.values()].sort((a, b) => a.pattern.localeCompare(b.pattern));
}

const FIELD = /<(?:input|select|textarea|button)\b[^>]*?\sname="([^"]+)"/g;

/** Names of the fields of a page's forms (inputs, selects, text areas, buttons), as rendered. */
export function formFieldNames(html: string): string[] {
	return [...new Set([...html.matchAll(FIELD)].map((m) => m[1]!))];
}

/** Names of the fields of the GET forms that lead back to the page at `pagePath`: query parameters it reads. */
export function queryFieldNames(html: string, pagePath: string): string[] {
	const names = new Set<string>();
	for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
		const attributes = form[1]!;
		if (/\smethod="?post/i.test(attributes)) continue;
		const action = /\saction="([^"]*)"/.exec(attributes)?.[1];
		if (action && action.replace(/[?#].*$/, '') !== pagePath) continue;
		for (const m of form[2]!.matchAll(FIELD)) names.add(m[1]!);
	}
	return [...names];
}

// ---------------------------------------------------------------------------------------------
// The malformed values

/** Values for a path segment or a query value, as they go on the wire (already percent-encoded where they must be). */
export const BAD_VALUES: ReadonlyArray<readonly [label: string, wire: string]> = [
	['null byte', '%00'],
	['null byte inside', 'a%00b'],
	['very long', 'a'.repeat(4000)],
	['__proto__', '__proto__'],
	['constructor', 'constructor'],
	['toString', 'toString'],
	['wide space', '%E3%80%80'],
	['line feed', 'a%0Ab'],
	['CRLF and a header', '%0D%0ASet-Cookie:%20x=1'],
	['tab', '%09x'],
	['invalid percent-encoding', '%E0%A4%A'],
	['lone percent', '%'],
	['overlong UTF-8', '%C0%AE%C0%AE'],
	['lone surrogate', '%ED%A0%80'],
	['encoded dot segments', '..%2F..%2Fetc%2Fpasswd'],
	['dot segments', '../../../etc/passwd'],
	['SQL', "'%20OR%201=1--"],
	['script probe', '<script>alert(1)</script>'],
	['encoded script probe', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
	['svg probe', '%22%3E%3Csvg%20onload=alert(1)%3E'],
	['negative number', '-1'],
	['huge number', '99999999999999999999999999'],
	['exponent', '1e999'],
	['right-to-left override and an emoji', '%E2%80%AEx%F0%9F%92%A9']
];

/** Field values for form bodies, as text (encoded by the body). */
export const BAD_FIELD_VALUES: ReadonlyArray<readonly [label: string, text: string]> = [
	['null byte', 'a\u0000b'],
	['control characters', '\u0001\u0002\u001b\u007f\u0085'],
	['line breaks and tabs', '\r\n\t\r\n'],
	['wide space', '\u3000'],
	['very long', 'x'.repeat(3000)],
	['__proto__', '__proto__'],
	['script probe', '<script>alert(1)</script>'],
	['svg probe', '"><svg onload=alert(1)>'],
	['SQL', "' OR 1=1--"],
	['lone surrogate', '\ud800'],
	['redirect', '//evil.example/%0A']
];

/** The XSS probes: a page that shows one of these unescaped runs it. */
export const XSS_PROBES = ['<script>alert(1)</script>', '<svg onload=alert(1)>', '<svg onload='];

// ---------------------------------------------------------------------------------------------
// The requests

export interface Visitor {
	name: string;
	/** Cookie header: a CSRF cookie, a session. */
	cookie?: string;
	/** The CSRF token that goes with the cookie. */
	token?: string;
	/**
	 * Which of a route's read cases (odd parameters, queries and headers) this visitor sends:
	 * every one (1), every n-th (n), or none (0).
	 */
	reads(route: Route): number;
	/** The same for the junk bodies sent to a route's form actions. */
	writes(route: Route): number;
}

export interface BadRequest {
	/** The route it was made for. */
	route: string;
	visitor: string;
	method: string;
	/** Path and query as sent, byte for byte. */
	path: string;
	headers: Record<string, string>;
	body?: Buffer;
	/** What is odd about it, for the report. */
	label: string;
}

export interface BadRequestOptions {
	/** A value of this parameter the site has (an indicator id, an area's slug…), so that deeper code is reached. */
	goodValue(param: RouteParam, route: Route): string;
	/** Field names of the route's forms (from its rendered page). */
	fields(route: Route): string[];
	visitors: Visitor[];
	/** The site's origin, for the Origin header of form posts. */
	origin: string;
	/** Leaves out the right CSRF token where it would end this visitor's session (signing out). */
	endsSession?(route: Route, action: string, visitor: Visitor): boolean;
}

/** The route's address with `values` for its parameters, in order. */
export function fill(route: Route, values: string[]): string {
	let i = 0;
	return route.pattern.replace(PARAM, () => values[i++]!);
}

const ODD_HEADERS: ReadonlyArray<readonly [label: string, headers: Record<string, string>]> = [
	['Referer: /x', { referer: '/x' }],
	['Referer: http://[::1', { referer: 'http://[::1' }],
	['Referer with a null byte', { referer: 'http://127.0.0.1/%00' }],
	['Accept-Language garbage', { 'accept-language': 'zz-ZZZZZZZZ;q=abc, *;q=-1, es;q=1e999, \u00ff\u00fe' }],
	['Accept-Language __proto__', { 'accept-language': '__proto__, constructor;q=0.9' }],
	['Cookie garbage', { cookie: 'sac2050.session_token=%00; sac2050.csrf=<script>; PARAGLIDE_LOCALE=__proto__; =; ;;' }],
	['Cookie with a forged session', { cookie: 'sac2050.session_token=' + 'a'.repeat(4000) }],
	['If-None-Match garbage', { 'if-none-match': 'W/"\u00ff", *, "' }],
	['Accept garbage', { accept: 'text/html;q=x, */*;q=-1, application/json;;;' }],
	['X-Forwarded-For garbage', { 'x-forwarded-for': '999.1.1.1, <script>, ::ffff:zz', forwarded: 'for="[::1' }],
	['Content-Type on a GET', { 'content-type': 'multipart/form-data; boundary=' }],
	['Host: [::1', { host: '[::1' }],
	['X-Forwarded-Host and -Proto garbage', { 'x-forwarded-host': '[::1', 'x-forwarded-proto': 'gopher' }]
];

/** Query strings that are odd whatever the route. */
const ODD_QUERIES: ReadonlyArray<readonly [label: string, query: string]> = [
	['built-in names', 'toString=x&__proto__=y&constructor=z&hasOwnProperty=w&valueOf=v'],
	['bracketed built-ins', '__proto__[x]=1&constructor[prototype][x]=1'],
	['empty names and values', '&&=&==&a'],
	['null byte in a name', 'a%00=1'],
	['invalid percent-encoding', '%E0%A4%A=%E0%A4%A&%=%'],
	['a very long query', 'q=' + 'x'.repeat(6000)],
	['a repeated name', Array.from({ length: 200 }, (_, i) => `x=${i}`).join('&')]
];

/** Names every route is asked about, besides its own. */
const COMMON_QUERY_NAMES = ['next', 'to', 'q', 'page'];

function formBody(fields: Array<[string, string]>): Buffer {
	return Buffer.from(new URLSearchParams(fields).toString());
}

function multipart(boundary: string, parts: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>): Buffer {
	const chunks: Buffer[] = [];
	for (const part of parts) {
		const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
		chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`));
		chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value));
		chunks.push(Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return Buffer.concat(chunks);
}

interface Body {
	label: string;
	type?: string;
	body: Buffer;
	/** Carries the CSRF token when the visitor has one. */
	tokened: boolean;
}

/** Junk bodies for a form whose fields are `fields`, the token put in as `_csrf` when given. */
function junkBodies(fields: string[], token: string | undefined): Body[] {
	const names = fields.filter((f) => f !== '_csrf');
	if (names.length === 0) names.push('x');
	const csrf: Array<[string, string]> = token ? [['_csrf', token]] : [];
	const bodies: Body[] = BAD_FIELD_VALUES.map(([label, value]) => ({
		label: `form, every field ${label}`,
		type: 'application/x-www-form-urlencoded',
		body: formBody([...csrf, ...names.map((n): [string, string] => [n, value])]),
		tokened: true
	}));
	const boundary = 'sac2050-bad-input';
	const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Year,Value\n2021,1\n', 'utf16le')]);
	bodies.push(
		{ label: 'form, built-in field names', type: 'application/x-www-form-urlencoded', body: Buffer.from(`${token ? `_csrf=${token}&` : ''}__proto__=x&constructor=y&toString=z&${names.map((n) => `${n}[__proto__]=1`).join('&')}`), tokened: true },
		{ label: 'form, every field twice', type: 'application/x-www-form-urlencoded', body: formBody([...csrf, ...names.flatMap((n): Array<[string, string]> => [[n, 'a'], [n, 'b']])]), tokened: true },
		{ label: 'form, invalid percent-encoding', type: 'application/x-www-form-urlencoded', body: Buffer.from(`${token ? `_csrf=${token}&` : ''}${names.map((n) => `${n}=%E0%A4%A%`).join('&')}`), tokened: true },
		{ label: 'form, charset UTF-16', type: 'application/x-www-form-urlencoded; charset=utf-16', body: formBody([...csrf, ...names.map((n): [string, string] => [n, 'x'])]), tokened: true },
		{ label: 'form, empty', type: 'application/x-www-form-urlencoded', body: formBody(csrf), tokened: true },
		{
			label: 'multipart, null bytes and a binary file',
			type: `multipart/form-data; boundary=${boundary}`,
			body: multipart(boundary, [
				...csrf.map(([name, value]) => ({ name, value })),
				...names.map((name) => ({ name, value: 'a\u0000b' })),
				{ name: 'file', value: Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x80]), filename: 'x%00.csv', type: 'text/csv' }
			]),
			tokened: true
		},
		{
			label: 'multipart, a UTF-16 file and XSS in the file name',
			type: `multipart/form-data; boundary=${boundary}`,
			body: multipart(boundary, [...csrf.map(([name, value]) => ({ name, value })), { name: 'file', value: utf16, filename: '"><svg onload=alert(1)>.csv', type: 'text/csv' }]),
			tokened: true
		},
		{ label: 'multipart without a boundary', type: 'multipart/form-data', body: Buffer.from(`_csrf=${token ?? ''}`), tokened: false },
		{ label: 'multipart, truncated', type: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token ?? ''}`), tokened: false },
		{ label: 'JSON, truncated', type: 'application/json', body: Buffer.from('{"email": "a@'), tokened: false },
		{ label: 'JSON, __proto__', type: 'application/json', body: Buffer.from(`{"__proto__": {"admin": true}, "_csrf": "${token ?? ''}", "constructor": {"prototype": {"x": 1}}}`), tokened: false },
		{ label: 'JSON, null', type: 'application/json', body: Buffer.from('null'), tokened: false },
		{ label: 'text/plain', type: 'text/plain', body: Buffer.from(`_csrf=${token ?? ''}&${names[0]}=<script>alert(1)</script>`), tokened: false },
		{ label: 'XML', type: 'application/xml', body: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'), tokened: false },
		{ label: 'no Content-Type', body: Buffer.from(`_csrf=${token ?? ''}`), tokened: false },
		{ label: 'bad Content-Type', type: 'application/x-www-form-urlencoded;;; charset="', body: formBody([...csrf, ['x', '1']]), tokened: true }
	);
	return bodies;
}

function withCookie(headers: Record<string, string>, visitor: Visitor): Record<string, string> {
	if (!visitor.cookie) return headers;
	return { ...headers, cookie: headers.cookie ? `${visitor.cookie}; ${headers.cookie}` : visitor.cookie };
}

interface ReadCase {
	path: string;
	headers: Record<string, string>;
	label: string;
	/** GET (or what the endpoint answers) unless given. */
	method?: string;
}

/** The items whose place, counted from `offset`, is a multiple of `every`: spreads cases over routes. */
function share<T>(items: readonly T[], every: number, offset = 0): T[] {
	return every <= 0 ? [] : items.filter((_, i) => (i + offset) % every === 0);
}

/**
 * Every malformed request for `routes`, for each visitor. Each parameter of each route gets
 * every bad value; the cases that do not depend on the route as much (odd headers, methods,
 * query strings) are spread over the routes, each route getting a share of them in turn.
 */
export function badRequests(routes: Route[], options: BadRequestOptions): BadRequest[] {
	const requests: BadRequest[] = [];
	routes.forEach((route, r) => {
		const good = route.params.map((p) => options.goodValue(p, route));
		const goodPath = fill(route, good);
		const reads = route.methods.includes('GET') || route.methods.includes('*') ? 'GET' : route.methods[0]!;
		const gets: ReadCase[] = [];

		// Each parameter in turn given each bad value, the others good.
		route.params.forEach((param, i) => {
			for (const [label, wire] of BAD_VALUES) {
				const values = [...good];
				values[i] = wire;
				gets.push({ path: fill(route, values), headers: {}, label: `${param.name}: ${label}` });
			}
		});
		// A route without parameters: a bad segment after it.
		if (route.params.length === 0) {
			for (const [label, wire] of share(BAD_VALUES, 5, r)) gets.push({ path: `${goodPath === '/' ? '' : goodPath}/${wire}`, headers: {}, label: `extra segment: ${label}` });
		}
		gets.push(...share([{ path: `${goodPath}/`, headers: {}, label: 'trailing slash' }, { path: `/${goodPath}`, headers: {}, label: 'leading double slash' }], 2, r));

		// Query strings: built-in names everywhere, the other odd ones in turn.
		const [builtIns, ...otherQueries] = ODD_QUERIES;
		for (const [label, query] of [builtIns!, ...share(otherQueries, 3, r)]) gets.push({ path: `${goodPath}?${query}`, headers: {}, label: `query: ${label}` });
		// Every query parameter the route reads gets the script probes and two other bad values
		// in turn; two of the common ones a probe and one other.
		const probes = BAD_VALUES.filter(([label]) => /probe/.test(label));
		const others = BAD_VALUES.filter(([label]) => !/probe/.test(label));
		let v = r;
		const nextOther = () => others[v++ % others.length]!;
		const query = (name: string, [label, wire]: readonly [string, string]) => gets.push({ path: `${goodPath}?${encodeURIComponent(name)}=${wire}`, headers: {}, label: `${name}=: ${label}` });
		for (const name of route.queryNames) for (const value of [...probes, nextOther(), nextOther()]) query(name, value);
		share(COMMON_QUERY_NAMES.filter((n) => !route.queryNames.includes(n)), 2, r).forEach((name, i) => {
			query(name, probes[(r + i) % probes.length]!);
			query(name, nextOther());
		});

		// Headers and methods, in turn.
		for (const [label, headers] of share(ODD_HEADERS, 4, r)) gets.push({ path: goodPath, headers, label });
		const methods: ReadCase[] = [
			{ path: goodPath, headers: {}, method: 'HEAD', label: 'HEAD' },
			{ path: goodPath, headers: { origin: 'http://evil.example', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'x-<script>' }, method: 'OPTIONS', label: 'preflight' },
			{ path: goodPath, headers: {}, method: 'TRACE', label: 'TRACE' },
			{ path: goodPath, headers: { 'content-type': 'application/json', origin: options.origin }, method: 'DELETE', label: 'DELETE' }
		];
		gets.push(...share(methods, 3, r));

		for (const visitor of options.visitors) {
			for (const get of share(gets, visitor.reads(route))) requests.push({ route: route.pattern, visitor: visitor.name, method: get.method ?? reads, path: get.path, headers: withCookie(get.headers, visitor), label: get.label });
		}

		// Bodies: every action of a page gets the junk bodies; anything else one of them in turn.
		const targets = route.actions.length > 0 ? route.actions : ['(none)'];
		for (const action of targets) {
			const actionPath = action === 'default' || action === '(none)' ? goodPath : `${goodPath}?/${action}`;
			for (const visitor of options.visitors) {
				const every = visitor.writes(route);
				if (every <= 0) continue;
				const tokened = visitor.token !== undefined && options.endsSession?.(route, action, visitor) !== true;
				const all = junkBodies(options.fields(route), tokened ? visitor.token : undefined);
				// Bodies the CSRF check cannot read a token from are refused alike everywhere: a share of them in turn.
				const bodies =
					route.actions.length > 0
						? [...share(all.filter((b) => b.tokened), every), ...share(all.filter((b) => !b.tokened), 3 * every, r)]
						: share(all, all.length, r);
				for (const body of bodies) {
					const headers: Record<string, string> = { origin: options.origin, accept: 'text/html' };
					if (body.type) headers['content-type'] = body.type;
					requests.push({ route: route.pattern, visitor: visitor.name, method: 'POST', path: actionPath, headers: withCookie(headers, visitor), body: body.body, label: `${body.label}${tokened && body.tokened ? ', with the CSRF token' : ''}` });
				}
				if (route.actions.length === 0) continue;
				// A form the way enhanced forms send it, and one from another site.
				const form = formBody([...(tokened ? [['_csrf', visitor.token!] as [string, string]] : []), ['x', '<script>alert(1)</script>']]);
				requests.push({ route: route.pattern, visitor: visitor.name, method: 'POST', path: actionPath, headers: withCookie({ origin: options.origin, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' }, visitor), body: form, label: 'enhanced form' });
				requests.push({ route: route.pattern, visitor: visitor.name, method: 'POST', path: actionPath, headers: withCookie({ origin: 'null', referer: 'http://[::1', 'content-type': 'application/x-www-form-urlencoded' }, visitor), body: form, label: 'Origin: null, Referer: http://[::1' });
			}
		}
		// Action names that do not exist, two in turn per route.
		if (route.actions.length > 0) {
			for (const name of share(['__proto__', 'constructor', '%00', '<script>alert(1)</script>', ''], 3, r)) {
				for (const visitor of options.visitors.filter((v) => v.token)) {
					if (route.actions.some((a) => options.endsSession?.(route, a, visitor))) continue;
					const form = formBody([['_csrf', visitor.token!]]);
					requests.push({ route: route.pattern, visitor: visitor.name, method: 'POST', path: `${goodPath}?/${name}`, headers: withCookie({ origin: options.origin, 'content-type': 'application/x-www-form-urlencoded' }, visitor), body: form, label: `unknown action "${name}", with the CSRF token` });
				}
			}
		}
	});
	return requests;
}
