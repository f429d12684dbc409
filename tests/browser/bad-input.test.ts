/**
 * Bad input against real servers (`sac2050 serve`, the built app), on SQLite and on
 * PostgreSQL at once: every route of the route tree and every path of the OpenAPI document
 * gets malformed parameters, query strings, headers and bodies (tests/support/routes.ts), from
 * a visitor without cookies, one with only a CSRF cookie and token, and a signed-in admin. No
 * answer may be a 5xx, show a stack trace or echo a script probe unescaped into HTML; the
 * failures are listed as method, address, visitor and status, to reproduce by hand.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, PROJECT_DIR, type TestDatabase, type TestDialect } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { csrfSession, signInByHand } from '../support/sign-in.ts';
import {
	badRequests,
	fill,
	formFieldNames,
	queryFieldNames,
	mergeRoutes,
	routesFromOpenApi,
	routesFromTree,
	XSS_PROBES,
	type BadRequest,
	type OpenApiDocument,
	type Route,
	type RouteParam,
	type Visitor
} from '../support/routes.ts';

const PASSWORD = 'bad-input-test-password';
const ADMIN = 'admin@example.org';
/** Requests in flight per server. */
const IN_FLIGHT = 8;
const ANSWER_TIMEOUT_MS = 20_000;

interface Answer {
	status: number;
	type: string;
	body: string;
	error?: string;
}

interface Run {
	routes: Route[];
	requests: BadRequest[];
	failures: string[];
	statuses: Map<number, number>;
}

interface Site {
	database: TestDatabase;
	server: RunningServer;
	outbox: string;
}

const sites: Site[] = [];
const runs = new Map<TestDialect, Run>();

/** One request exactly as given (no URL normalising, any header), read to the end. */
function send(port: number, request: BadRequest): Promise<Answer> {
	return new Promise((resolve) => {
		const headers = { ...request.headers, ...(request.body ? { 'content-length': String(request.body.length) } : {}) };
		let req: http.ClientRequest;
		try {
			req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent: false, timeout: ANSWER_TIMEOUT_MS }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', (error) => resolve({ status: res.statusCode ?? 0, type: '', body: '', error: error.message }));
			});
		} catch (error) {
			// The request could not be written (Node refuses it): a fault of the generator.
			resolve({ status: 0, type: '', body: '', error: `not sent: ${(error as Error).message}` });
			return;
		}
		req.on('timeout', () => req.destroy(new Error(`no answer in ${ANSWER_TIMEOUT_MS / 1000} s`)));
		req.on('error', (error) => resolve({ status: 0, type: '', body: '', error: error.message }));
		req.end(request.body);
	});
}

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const SHOWS_MARKUP = /^(?:text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml)\b|^$/;

/** What is wrong with an answer, if anything. */
function problemsOf(answer: Answer): string[] {
	if (answer.error) return [`no answer (${answer.error})`];
	const problems: string[] = [];
	if (answer.status >= 500) problems.push(`status ${answer.status}`);
	if (STACK_FRAME.test(answer.body) || answer.body.includes('node:internal') || answer.body.includes(PROJECT_DIR)) problems.push('a stack trace or a server path in the body');
	if (SHOWS_MARKUP.test(answer.type)) {
		const probe = XSS_PROBES.find((p) => answer.body.includes(p));
		if (probe) problems.push(`${probe} unescaped in ${answer.type || 'an answer without a type'}`);
	}
	return problems;
}

function describeRequest(request: BadRequest): string {
	const shown = request.path.length > 160 ? `${request.path.slice(0, 120)}…(${request.path.length} characters)` : request.path;
	return `${request.method} ${shown} [${request.visitor}; ${request.label}]`;
}

/** Runs `task` for every item, at most `limit` at once. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: limit }, async () => {
			while (next < items.length) await task(items[next++]!);
		})
	);
}

async function json<T>(url: string): Promise<T> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url} answered ${response.status}`);
	return (await response.json()) as T;
}

/** A server on a fresh database of `dialect`, with an admin and a draft upload, then every bad request. */
async function bombard(dialect: TestDialect): Promise<Run> {
	const database = await createTestDatabase(dialect);
	const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-bad-input-outbox-'));
	const server = await startServer({ DATABASE_URL: database.url, SMTP_URL: undefined, SAC2050_OUTBOX_DIR: outbox });
	sites.push({ database, server, outbox });
	const created = await runCli(['user', 'create', '--email', ADMIN, '--role', 'admin'], { DATABASE_URL: database.url, SAC2050_PASSWORD: PASSWORD });
	if (created.code !== 0) throw new Error(created.stderr);
	const base = server.url;

	// Values the site has, so that the code behind a good prefix is reached too.
	const admin = await signInByHand(base, ADMIN, PASSWORD);
	const anonymous = await csrfSession(base);
	const { areas } = await json<{ areas: Array<{ id: string }> }>(`${base}/api/v1/areas`);
	const { indicators } = await json<{ indicators: Array<{ id: string; is_sample: boolean }> }>(`${base}/api/v1/indicators`);
	// The indicator with the most dimensions, so that its pages' filters are reached too.
	const details = await Promise.all(indicators.map((i) => json<{ id: string; dimensions: Array<{ name: string; values: string[] }> }>(`${base}/api/v1/indicators/${i.id}`)));
	const detail = details.reduce((best, d) => (d.dimensions.length > best.dimensions.length ? d : best));
	const indicator = detail.id;
	const place = detail.dimensions.find((d) => d.name === 'GeoCode')?.values[0] ?? '06067';
	const upload = new FormData();
	upload.set('_csrf', admin.token);
	upload.set('file', new File(['Year,Value\n2021,3.1\n2022,3.4\n'], `${indicator}.csv`, { type: 'text/csv' }));
	const uploaded = await fetch(`${base}/admin/indicators/${indicator}/upload`, { method: 'POST', redirect: 'manual', headers: { accept: 'text/html', origin: base, cookie: admin.cookie }, body: upload });
	const draft = /\/upload\/([\w-]+)$/.exec(uploaded.headers.get('location') ?? '')?.[1];
	if (!draft) throw new Error(`The upload gave no draft: ${uploaded.status}`);
	const known: Record<string, string> = { areas: areas[0]!.id, indicators: indicator, places: place, language: 'es', revisions: '1', upload: draft };
	const goodValue = (param: RouteParam) => known[param.after ?? ''] ?? 'x';

	const openapi = await json<OpenApiDocument>(`${base}/api/v1/openapi.json`);
	const routes = mergeRoutes(routesFromTree(path.join(PROJECT_DIR, 'src/routes')), routesFromOpenApi(openapi));

	// An indicator's public views (page, embed, charts, data) filter by its dimensions, named in the query.
	for (const route of routes) {
		if (route.pattern.startsWith('/admin') || !route.params.some((p) => p.after === 'indicators')) continue;
		for (const { name } of detail.dimensions) if (!route.queryNames.includes(name)) route.queryNames.push(name);
	}
	// The fields of each page's forms, as the admin sees them; those of its GET forms are query parameters it reads.
	const fields = new Map<string, string[]>();
	for (const route of routes.filter((r) => r.page)) {
		const address = fill(route, route.params.map(goodValue));
		const html = await (await fetch(base + address, { headers: { cookie: admin.cookie }, redirect: 'manual' })).text();
		fields.set(route.pattern, formFieldNames(html));
		for (const name of queryFieldNames(html, address)) if (!route.queryNames.includes(name)) route.queryNames.push(name);
	}

	// Each visitor gets every case where the route does something for them, a share elsewhere
	// (without a session, an admin page only sends the visitor to the sign-in page).
	const signedInOnly = (route: Route) => /^\/(admin|account)\b/.test(route.pattern);
	const visitors: Visitor[] = [
		{ name: 'anonymous', reads: (route) => (signedInOnly(route) ? 6 : 1), writes: () => 9 },
		{ name: 'anonymous with a CSRF token', cookie: anonymous.cookie, token: anonymous.token, reads: () => 0, writes: (route) => (signedInOnly(route) ? 4 : 1) },
		{ name: 'admin', cookie: admin.cookie, token: admin.token, reads: (route) => (signedInOnly(route) ? 1 : 6), writes: (route) => (signedInOnly(route) ? 1 : 2) }
	];
	const requests = badRequests(routes, {
		goodValue,
		fields: (route) => fields.get(route.pattern) ?? [],
		visitors,
		origin: base,
		// Signing out with the right token would end the admin's session for the rest of the run.
		endsSession: (route, _action, visitor) => route.pattern === '/sign-out' && visitor.name === 'admin'
	});

	const failures: string[] = [];
	const statuses = new Map<number, number>();
	const logBefore = server.output().length;
	await pool(requests, IN_FLIGHT, async (request) => {
		const answer = await send(server.port, request);
		statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
		for (const problem of problemsOf(answer)) failures.push(`${describeRequest(request)} → ${answer.status}: ${problem}`);
	});
	// Still signed in at the end: the run did not lose the admin half way.
	const account = await fetch(`${base}/account`, { headers: { cookie: admin.cookie }, redirect: 'manual' });
	if (account.status !== 200) failures.push(`the admin was signed out during the run (GET /account → ${account.status})`);
	const log = server.output().slice(logBefore);
	const frame = STACK_FRAME.exec(log);
	if (frame) failures.push(`the server logged a stack trace:\n${log.slice(Math.max(0, frame.index - 600), frame.index + 200)}`);
	return { routes, requests, failures, statuses };
}

beforeAll(async () => {
	// The two databases at once, each with its own server.
	const done = await Promise.all(DIALECTS.map(async (dialect) => [dialect, await bombard(dialect)] as const));
	for (const [dialect, run] of done) runs.set(dialect, run);
}, 240_000);

afterAll(async () => {
	for (const site of sites) {
		await site.server.stop();
		await site.database.drop();
		fs.rmSync(site.outbox, { recursive: true, force: true });
	}
});

describe.each(DIALECTS)('bad input on %s', (dialect) => {
	it('reads the routes from the route tree and the OpenAPI document, and sends every one of them hundreds of bad requests', () => {
		const run = runs.get(dialect)!;
		const patterns = run.routes.map((r) => r.pattern);
		expect(patterns).toEqual(expect.arrayContaining(['/', '/indicators/[id]', '/admin/indicators/[id]/upload/[draft]', '/api/v1/indicators/[id]/data.json', '/api/v1/openapi.json']));
		expect(run.routes.filter((r) => r.from.includes('openapi')).length).toBeGreaterThan(5);
		expect(run.routes.find((r) => r.pattern === '/admin/indicators/[id]/upload/[draft]')?.actions).toEqual(expect.arrayContaining(['publish', 'cancel']));
		expect(run.requests.length).toBeGreaterThanOrEqual(500);
		for (const pattern of patterns) expect(run.requests.filter((r) => r.route === pattern).length, pattern).toBeGreaterThan(10);
		const statuses = [...run.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
		console.info(`bad input on ${dialect}: ${run.requests.length} requests to ${run.routes.length} routes: ${statuses.join(' ')}`);
	});

	it('answers none of them with a 5xx, a stack trace or an unescaped script probe', () => {
		const { failures } = runs.get(dialect)!;
		expect(failures.length, `${failures.length} bad answers:\n${failures.slice(0, 60).join('\n')}${failures.length > 60 ? `\n… and ${failures.length - 60} more` : ''}`).toBe(0);
	});
});
