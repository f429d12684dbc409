import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '#lib/server/db/connect.ts';
import { ROLES, type Role } from '#lib/server/auth/permissions.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';
import { csrfSession, signInByHand, type SignedIn } from '../support/sign-in.ts';

/**
 * The permission matrix of the back office: every role (and a signed-out visitor) against
 * every admin page (GET) and form action (POST with a valid CSRF token and origin). Each is
 * either allowed, or refused — 403 for signed-in people, a redirect to sign-in for everyone
 * else — and a refused POST changes nothing: not the data, not the data version, not the
 * audit log. Requests are made by hand, as a member crafting POSTs would.
 */

/** Everything the matrix needs to build a request body. */
interface MatrixContext {
	subjectUserId: string;
}

interface MatrixRow {
	path: string;
	method: 'GET' | 'POST';
	/** The form action's name (`?/name`); none for the page's default action. */
	action?: string;
	/** The fields of a valid form for POST rows (the CSRF token is added). */
	form?: (context: MatrixContext) => Record<string, string>;
	/** The roles that get through; everyone else is refused. */
	allowed: readonly Role[];
	/** Where an allowed POST redirects to (default: the page with `?saved`). */
	success?: RegExp;
}

const STAFF: readonly Role[] = ['editor', 'reviewer', 'moderator', 'admin'];
const STEWARDS: readonly Role[] = ['editor', 'admin'];
const ADMINS: readonly Role[] = ['admin'];

/**
 * Every back office route and action, in one table. Routes added later (data upload,
 * revisions: /admin/indicators/[id]/upload, /admin/indicators/[id]/revisions/...) are
 * appended here.
 */
const ADMIN_ROUTES: MatrixRow[] = [
	{ path: '/admin', method: 'GET', allowed: STAFF },
	{ path: '/admin/indicators', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/indicators?area=economy', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/indicators/unemployment', method: 'GET', allowed: STEWARDS },
	// Assigning indicators to an area in bulk (the indicator form below puts unemployment back).
	{
		path: '/admin/indicators',
		method: 'POST',
		action: 'assign',
		allowed: STEWARDS,
		form: () => ({ list: 'list', indicator: 'unemployment', area: 'health-families' }),
		success: /^\/admin\/indicators\?moved=[01]&to=health-families$/
	},
	{
		path: '/admin/indicators/unemployment',
		method: 'POST',
		allowed: STEWARDS,
		form: () => ({
			name: 'Unemployment',
			area: 'economy',
			unit: 'percent of labor force',
			direction: 'negative',
			progress: 'auto',
			targetValue: '3',
			targetYear: '2050',
			targetOrigin: 'adopted_plan',
			targetSource: 'Regional plan (2025)'
		})
	},
	{ path: '/admin/areas', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/areas/economy', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/areas/economy', method: 'POST', allowed: STEWARDS, form: () => ({ name: 'The Economy', question: 'Is the economy working?' }) },
	{ path: '/admin/settings', method: 'GET', allowed: ADMINS },
	{ path: '/admin/settings', method: 'POST', allowed: ADMINS, form: () => ({ tagline: 'Changed by the permission matrix' }) },
	{ path: '/admin/users', method: 'GET', allowed: ADMINS },
	{ path: '/admin/users', method: 'POST', action: 'setRole', allowed: ADMINS, form: (c) => ({ userId: c.subjectUserId, role: 'editor' }) },
	{ path: '/admin/audit', method: 'GET', allowed: ADMINS },
	{ path: '/admin/audit?action=users.setRole&page=2', method: 'GET', allowed: ADMINS },
	{ path: '/admin/outbox', method: 'GET', allowed: ADMINS },
	// Data upload and revisions (tests/browser/admin-upload.test.ts has the whole flow).
	{ path: '/admin/indicators/energy/upload', method: 'GET', allowed: STEWARDS },
	// A draft id nobody holds: stewards are sent back to the upload page, everyone else refused first.
	{ path: `/admin/indicators/energy/upload/${'a'.repeat(43)}`, method: 'POST', action: 'publish', allowed: STEWARDS, form: () => ({}), success: /\/upload\?expired$/ },
	{ path: `/admin/indicators/energy/upload/${'a'.repeat(43)}`, method: 'POST', action: 'cancel', allowed: STEWARDS, form: () => ({}), success: /\/upload\?cancelled$/ },
	{ path: '/admin/indicators/energy/revisions', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/indicators/energy/revisions/1', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/indicators/energy/revisions/1?restore', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/indicators/energy/revisions/1', method: 'POST', action: 'restore', allowed: STEWARDS, form: () => ({}), success: /\/revisions\/\d+\?restored$/ },
	// The directory (representatives, who may edit their own organization only, are in tests/browser/directory-representatives.test.ts).
	{ path: '/admin/directory', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/directory?q=river', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/directory/claims', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/directory/organizations/river-city-reads', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/directory/programs/jobs-pathways', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/directory/funding/grant-2021-tutors', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/directory/funding/new?recipient=river-city-reads', method: 'GET', allowed: STEWARDS },
	{
		path: '/admin/directory/organizations/river-city-reads',
		method: 'POST',
		action: 'publish',
		allowed: STEWARDS,
		form: () => ({ name: 'River City Reads', kind: 'nonprofit', mission: 'Changed by the permission matrix', website: 'https://river-city-reads.example.org', service_area: '06067' })
	},
	// Stories (tests/browser/stories.test.ts has the whole flow, cover upload included).
	{ path: '/admin/stories', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/stories/new', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/stories/clearing-the-air', method: 'GET', allowed: STEWARDS },
	{ path: '/admin/stories/clearing-the-air/preview', method: 'GET', allowed: STEWARDS },
	{
		path: '/admin/stories/clearing-the-air',
		method: 'POST',
		action: 'save',
		allowed: STEWARDS,
		form: () => ({ title: 'Clearing the air after the smoke years', body: 'Edited by the permission matrix.', authors: 'person: Maria Lopez', indicator: 'air-quality-pm25' })
	},
	{ path: '/admin/stories/clearing-the-air', method: 'POST', action: 'unpublish', allowed: STEWARDS, form: () => ({}), success: /\?unpublished$/ },
	{ path: '/admin/stories/clearing-the-air', method: 'POST', action: 'submit', allowed: STEWARDS, form: () => ({}), success: /\?submitted$/ },
	{ path: '/admin/stories/clearing-the-air', method: 'POST', action: 'publish', allowed: STEWARDS, form: () => ({}), success: /\?published$/ }
];

const PASSWORD = 'correct horse battery staple';
type Visitor = Role | 'signed out';
const VISITORS: readonly Visitor[] = ['signed out', ...ROLES];

let database: TestDatabase;
let db: Db;
let server: RunningServer;
let outbox: string;
const sessions = new Map<Visitor, SignedIn>();
const context: MatrixContext = { subjectUserId: '' };

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'sac2050-matrix-outbox-'));
	server = await startServer({ DATABASE_URL: database.url, SMTP_URL: undefined, SAC2050_OUTBOX_DIR: outbox });
	for (const role of [...ROLES, 'subject'] as const) {
		const created = await runCli(['user', 'create', '--email', `${role}@example.org`, '--role', role === 'subject' ? 'member' : role], {
			DATABASE_URL: database.url,
			SAC2050_PASSWORD: PASSWORD
		});
		expect(created.code, created.stderr).toBe(0);
	}
	db = await openDatabase(database.url);
	context.subjectUserId = (await db.kysely.selectFrom('auth_user').select('id').where('email', '=', 'subject@example.org').executeTakeFirstOrThrow()).id;
	sessions.set('signed out', await csrfSession(server.url));
	for (const role of ROLES) sessions.set(role, await signInByHand(server.url, `${role}@example.org`, PASSWORD));
}, 180_000);

afterAll(async () => {
	await db?.close();
	await server?.stop();
	await database?.drop();
	if (outbox) fs.rmSync(outbox, { recursive: true, force: true });
});

/** Everything the back office can change, to compare before and after a refused request. */
async function snapshot(): Promise<unknown> {
	const k = db.kysely;
	return {
		audit: (await k.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
		version: (await k.selectFrom('data_version').select('version').executeTakeFirstOrThrow()).version,
		indicator: await k.selectFrom('indicator').selectAll().where('id', '=', 'unemployment').executeTakeFirst(),
		targets: await k.selectFrom('target').selectAll().where('indicator_id', '=', 'unemployment').orderBy('id').execute(),
		progress: await k.selectFrom('progress').selectAll().where('indicator_id', '=', 'unemployment').executeTakeFirst(),
		area: await k.selectFrom('area').selectAll().where('id', '=', 'economy').executeTakeFirst(),
		settings: await k.selectFrom('setting').selectAll().orderBy('key').execute(),
		roles: await k.selectFrom('auth_user').select(['email', 'role']).orderBy('email').execute(),
		organization: await k.selectFrom('organization').selectAll().where('id', '=', 'river-city-reads').executeTakeFirst(),
		history: (await k.selectFrom('directory_change').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
		stories: await k.selectFrom('story').selectAll().orderBy('id').execute()
	};
}

function request(row: MatrixRow, visitor: Visitor): Promise<Response> {
	const session = sessions.get(visitor)!;
	const headers: Record<string, string> = { cookie: session.cookie, accept: 'text/html' };
	if (row.method === 'GET') return fetch(server.url + row.path, { headers, redirect: 'manual' });
	const address = server.url + row.path + (row.action ? `?/${row.action}` : '');
	return fetch(address, {
		method: 'POST',
		redirect: 'manual',
		headers: { ...headers, accept: 'text/html', origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ _csrf: session.token, ...row.form!(context) })
	});
}

describe.each(ADMIN_ROUTES.map((row) => ({ ...row, label: `${row.method} ${row.path}${row.action ? ` ?/${row.action}` : ''}` })))('$label', (row) => {
	it.each(VISITORS)('%s', async (visitor) => {
		const allowed = visitor !== 'signed out' && row.allowed.includes(visitor);
		const before = row.method === 'POST' && !allowed ? await snapshot() : undefined;
		const response = await request(row, visitor);
		const location = response.headers.get('location') ?? '';
		if (allowed) {
			if (row.method === 'GET') {
				expect(response.status).toBe(200);
				expect(response.headers.get('cache-control')).toContain('no-store');
			} else {
				// POST, redirect, GET: the success page, not sign-in.
				expect(response.status, await response.text()).toBe(303);
				expect(location).toMatch(row.success ?? /[?&]saved/);
			}
			return;
		}
		if (visitor === 'signed out') {
			expect(response.status).toBe(303);
			expect(location).toMatch(/^\/sign-in\?next=%2Fadmin/);
		} else {
			expect(response.status).toBe(403);
			expect(await response.text()).toMatch(/Your account(&#39;|'|&#x27;)s role does not allow this page or action/);
		}
		if (before) expect(await snapshot()).toEqual(before);
	});
});

describe('refused writes', () => {
	it('a member who crafts a POST to every admin action gets nothing done, even with a valid token', async () => {
		const before = await snapshot();
		for (const row of ADMIN_ROUTES.filter((r) => r.method === 'POST')) {
			expect((await request(row, 'member')).status).toBe(403);
		}
		expect(await snapshot()).toEqual(before);
	});

	it('an admin cannot change their own role', async () => {
		const me = (await db.kysely.selectFrom('auth_user').select('id').where('email', '=', 'admin@example.org').executeTakeFirstOrThrow()).id;
		const before = await snapshot();
		const response = await request({ path: '/admin/users', method: 'POST', action: 'setRole', allowed: ADMINS, form: () => ({ userId: me, role: 'member' }) }, 'admin');
		expect(response.status).toBe(403);
		expect(await snapshot()).toEqual(before);
	});
});
