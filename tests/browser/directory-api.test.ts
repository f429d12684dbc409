/**
 * The directory's API under /api/v1 ("Who's involved"), against the built server: every
 * response is checked against the schema /api/v1/openapi.json gives for it (ajv, JSON Schema
 * 2020-12), the funding CSV against the JSON, bad filters and unknown ids against the error
 * shape. The database holds the region pack with its sample directory, a funder's 360Giving
 * file and a small directory whose ids hold `:` `/` `.`.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { directoryManifest } from '#lib/directory/manifest.ts';
import { createTestDatabase, PROJECT_DIR, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';

const API = '/api/v1';
const DOC_ID = 'https://sac2050.test/openapi.json';
const ODD_ORG = '360G-TEST:org/1.a';
const ODD_PROGRAM = '360G-TEST:prog/1';
const ODD_POLICY = '360G-TEST:policy/1';
const FIXTURES = ['directory-360giving', 'directory-odd-ids'].map((d) => path.join(PROJECT_DIR, 'tests/fixtures', d));

interface OpenApiDocument {
	paths: Record<string, { get?: { parameters?: Array<{ name: string }>; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> } }>;
	components: { schemas: Record<string, Record<string, unknown>> };
}

type ErrorBody = { error: { status: number; code: string; message: string; parameter?: string; allowed?: string[] } };
type Ref = { id: string; name: string; url: string; api_url: string };
type FundingRecord = { id: string; title: string; amount: number; currency: string; year: number | null; source_kind: string; is_sample: boolean; funder: Ref; recipient: Ref; program: Ref | null };
type FundingBody = { filters: Record<string, string | number>; includes_sample: boolean; summary: { by_year: Array<{ year: number; amount: number; currency: string }> }; funding: FundingRecord[]; links: { funding_json: string; funding_csv: string } };
type Record_ = { id: string; name: string; is_sample: boolean; notice?: string; url: string; api_url: string };

let database: TestDatabase;
let server: RunningServer;
let doc: OpenApiDocument;
let ajv: InstanceType<typeof Ajv2020>;

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	server = await startServer({ DATABASE_URL: database.url });
	expect(server.output()).toContain('First start');
	// Imported while the server runs: what it serves and searches follows.
	for (const dir of FIXTURES) {
		const imported = await runCli(['import', 'directory', dir], { DATABASE_URL: database.url });
		expect(imported.code, imported.stderr + imported.stdout).toBe(0);
	}
	doc = (await (await fetch(server.url + `${API}/openapi.json`)).json()) as OpenApiDocument;
	ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
	addFormats(ajv);
	ajv.addKeyword('components');
	ajv.addSchema({ $id: DOC_ID, components: doc.components });
});

afterAll(async () => {
	await server?.stop();
	await database?.drop();
});

const validators = new Map<string, ValidateFunction>();

function validatorFor(pathTemplate: string, status: number): ValidateFunction {
	const key = `${pathTemplate} ${status}`;
	let validate = validators.get(key);
	if (!validate) {
		const schema = doc.paths[pathTemplate]?.get?.responses[String(status)]?.content?.['application/json']?.schema;
		expect(schema, `the document gives a JSON schema for ${status} from GET ${pathTemplate}`).toBeDefined();
		const ref = schema?.$ref;
		validate = ajv.compile(typeof ref === 'string' ? { $ref: DOC_ID + ref } : (schema ?? {}));
		validators.set(key, validate);
	}
	return validate;
}

/** Fetches `url` and checks status, CORS and that the JSON body matches the document's schema for `pathTemplate`. */
async function getJson<T>(url: string, pathTemplate: string, status = 200): Promise<{ body: T; response: Response }> {
	const response = await fetch(server.url + url);
	const text = await response.text();
	expect(response.status, `${url}: ${text.slice(0, 500)}`).toBe(status);
	expect(response.headers.get('content-type'), url).toMatch(/^application\/json/);
	expect(response.headers.get('access-control-allow-origin'), url).toBe('*');
	const body = JSON.parse(text) as T;
	const validate = validatorFor(`${API}${pathTemplate}`, status);
	expect(validate(body), `${url} against the schema of ${status} from GET ${pathTemplate}: ${ajv.errorsText(validate.errors)}`).toBe(true);
	return { body, response };
}

async function expectBadParameter(url: string, pathTemplate: string, parameter: string, status = 400): Promise<ErrorBody['error']> {
	const { body } = await getJson<ErrorBody>(url, pathTemplate, status);
	expect(body.error.parameter, url).toBe(parameter);
	expect(body.error.message, url).toContain(parameter === 'id' ? 'indicator' : parameter);
	return body.error;
}

const seg = encodeURIComponent;

describe('the OpenAPI document', () => {
	it('describes every path of the directory manifest, with schemas, and its query parameters', () => {
		for (const p of directoryManifest.apiPaths) expect(Object.keys(doc.paths), p).toContain(API + p);
		const names = (p: string) => doc.paths[API + p]?.get?.parameters?.map((x) => x.name);
		expect(names('/organizations')).toEqual(['kind', 'area', 'indicator', 'service_area', 'q', 'page']);
		expect(names('/funding.json')).toEqual(['indicator', 'organization', 'fiscal_year', 'source_kind']);
		expect(names('/funding.csv')).toEqual(names('/funding.json'));
		for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.compile({ $ref: `${DOC_ID}#/components/schemas/${name}` }), name).not.toThrow();
	});
});

describe('organizations', () => {
	it('lists them by name, one page, sample records flagged and noticed', async () => {
		const { body } = await getJson<{ organizations: Array<Record_ & { program_count: number }>; total: number; page: number; pages: number; next: string | null }>(`${API}/organizations`, '/organizations');
		expect(body.total).toBe(13);
		expect(body).toMatchObject({ page: 1, pages: 1, next: null });
		for (const o of body.organizations) {
			expect(o.url).toBe(`${server.url}/organizations/${seg(o.id)}`);
			expect(o.api_url).toBe(`${server.url}${API}/organizations/${seg(o.id)}`);
			expect(o.notice !== undefined, o.id).toBe(o.is_sample);
		}
		expect(body.organizations.filter((o) => o.is_sample).map((o) => o.id)).toContain('river-city-reads');
		const filtered = await getJson<{ organizations: Record_[] }>(`${API}/organizations?kind=nonprofit&area=education&q=reads`, '/organizations');
		expect(filtered.body.organizations.map((o) => o.id)).toEqual(['river-city-reads']);
		const byIndicator = await getJson<{ organizations: Record_[] }>(`${API}/organizations?indicator=unemployment&service_area=06067`, '/organizations');
		expect(byIndicator.body.organizations.map((o) => o.id)).toContain(ODD_ORG);
	});

	it('reads one by its id, a / in it encoded, : and . as they are or encoded', async () => {
		for (const url of [`${API}/organizations/${seg(ODD_ORG)}`, `${API}/organizations/360G-TEST:org%2F1.a`, `${API}/organizations/360G-TEST%3Aorg%2f1.a`]) {
			const { body } = await getJson<Record_ & { programs: Record_[]; funding_given: { latest: FundingRecord[] }; links: { funding_csv: string } }>(url, '/organizations/{id}');
			expect(body).toMatchObject({ id: ODD_ORG, name: 'Slash and Colon Trust', is_sample: false });
			expect(body.programs.map((p) => p.id)).toEqual([ODD_PROGRAM]);
			expect(body.funding_given.latest.map((f) => f.id)).toEqual(['360G-TEST:grant/1']);
		}
		const sample = await getJson<Record_ & { funding_received: { summary: { records: number } } }>(`${API}/organizations/river-city-reads`, '/organizations/{id}');
		expect(sample.body.is_sample).toBe(true);
		expect(sample.body.notice).toMatch(/sample data/i);
		expect(sample.body.funding_received.summary.records).toBe(7);
		const grantee = await getJson<Record_>(`${API}/organizations/US-EIN-68-0100001`, '/organizations/{id}');
		expect(grantee.body.name).toBe('South Valley Youth Jobs');
	});

	it('refuses bad filters with a 400 naming the parameter, and unknown ids with a JSON 404', async () => {
		const kind = await expectBadParameter(`${API}/organizations?kind=charity`, '/organizations', 'kind');
		expect(kind.message).toContain('nonprofit');
		await expectBadParameter(`${API}/organizations?area=nowhere`, '/organizations', 'area');
		await expectBadParameter(`${API}/organizations?indicator=nothing`, '/organizations', 'indicator');
		const place = await expectBadParameter(`${API}/organizations?service_area=99999`, '/organizations', 'service_area');
		expect(place.allowed).toContain('06067');
		await expectBadParameter(`${API}/organizations?q=${'a'.repeat(201)}`, '/organizations', 'q');
		for (const page of ['0', 'abc', '1.5', '2']) await expectBadParameter(`${API}/organizations?page=${page}`, '/organizations', 'page');
		await expectBadParameter(`${API}/organizations?kind=funder&kind=school`, '/organizations', 'kind');
		const missing = await getJson<ErrorBody>(`${API}/organizations/${seg('GB-CHC-0000/none')}`, '/organizations/{id}', 404);
		expect(missing.body.error.message).toContain('GB-CHC-0000/none');
		// A / left unencoded splits the path: the 404 says how to write it.
		const split = await fetch(server.url + `${API}/organizations/360G-TEST:org/1.a`);
		expect(split.status).toBe(404);
		expect(((await split.json()) as ErrorBody).error.message).toContain('%2F');
	});
});

describe('programs and policies', () => {
	it('lists and reads programs, filters checked', async () => {
		const { body } = await getJson<{ programs: Array<Record_ & { organizations: Ref[] }>; total: number }>(`${API}/programs`, '/programs');
		expect(body.total).toBe(6);
		expect(body.programs.every((p) => p.organizations.length > 0 && p.api_url === `${server.url}${API}/programs/${seg(p.id)}`)).toBe(true);
		const run = await getJson<{ programs: Record_[] }>(`${API}/programs?organization=river-city-reads&status=active`, '/programs');
		expect(run.body.programs.map((p) => p.id).sort()).toEqual(['after-school-tutoring', 'summer-reading-bridge']);
		const one = await getJson<Record_ & { indicators: Ref[]; funding: { summary: { by_year: unknown[] } } }>(`${API}/programs/${seg(ODD_PROGRAM)}`, '/programs/{id}');
		expect(one.body).toMatchObject({ id: ODD_PROGRAM, is_sample: false });
		expect(one.body.indicators.map((i) => i.id)).toEqual(['unemployment']);
		expect(one.body.funding.summary.by_year).toEqual([{ year: 2024, amount: 1234.5, currency: 'USD' }]);
		await expectBadParameter(`${API}/programs?organization=nobody`, '/programs', 'organization');
		await expectBadParameter(`${API}/programs?status=finished`, '/programs', 'status');
		await getJson(`${API}/programs/nothing-here`, '/programs/{id}', 404);
	});

	it('lists and reads policies', async () => {
		const { body } = await getJson<{ policies: Array<Record_ & { document_url: string }> }>(`${API}/policies`, '/policies');
		expect(body.policies.map((p) => [p.id, p.is_sample])).toEqual([
			[ODD_POLICY, false],
			['regional-clean-air-plan', true]
		]);
		const one = await getJson<Record_ & { indicators: Ref[]; document_url: string }>(`${API}/policies/regional-clean-air-plan`, '/policies/{id}');
		expect(one.body.document_url).toBe('https://clean-commute.example.org/plan');
		expect(one.body.indicators.map((i) => i.id)).toEqual(['air-quality-pm25']);
		await getJson(`${API}/policies/${seg(ODD_POLICY)}`, '/policies/{id}');
		await expectBadParameter(`${API}/policies?indicator=nothing`, '/policies', 'indicator');
		await getJson(`${API}/policies/nothing-here`, '/policies/{id}', 404);
	});
});

describe('funding', () => {
	it('serves the records as JSON and as a spreadsheet-safe CSV with the same rows', async () => {
		for (const query of ['', '?indicator=unemployment', '?organization=river-city-reads&fiscal_year=2022', '?fiscal_year=2024&source_kind=philanthropy']) {
			const { body } = await getJson<FundingBody>(`${API}/funding.json${query}`, '/funding.json');
			expect(body.funding.length, query).toBeGreaterThan(0);
			expect(body.links.funding_csv).toBe(`${server.url}${API}/funding.csv${query}`);
			const response = await fetch(server.url + `${API}/funding.csv${query}`);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			expect(response.headers.get('access-control-allow-origin')).toBe('*');
			expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${body.includes_sample ? 'funding-with-sample-data.csv' : 'funding.csv'}"`);
			const rows: Array<Record<string, string>> = parse(await response.text(), { columns: true });
			expect(rows.map((r) => [r.id, Number(r.amount), r.currency, r.year === '' ? null : Number(r.year), r.is_sample === 'true', r.funder_name, r.program_id || null])).toEqual(
				body.funding.map((f) => [f.id, f.amount, f.currency, f.year, f.is_sample, f.funder.name, f.program?.id ?? null])
			);
		}
		const odd = await fetch(server.url + `${API}/funding.csv?organization=${seg(ODD_ORG)}`);
		const [row] = parse(await odd.text(), { columns: true }) as Array<Record<string, string>>;
		expect(row!.title).toBe(`'=HYPERLINK("https://example.org","x")`);
		const eur = await getJson<FundingBody>(`${API}/funding.json?fiscal_year=2022&indicator=unemployment`, '/funding.json');
		expect(eur.body.filters).toEqual({ indicator: 'unemployment', fiscal_year: 2022 });
		expect(eur.body.summary.by_year).toContainEqual({ year: 2022, amount: 4500, currency: 'EUR' });
	});

	it('refuses bad filters with a 400 naming the parameter, in JSON for the CSV too', async () => {
		for (const format of ['json', 'csv']) {
			const template = `/funding.${format}`;
			const year = await fetch(server.url + `${API}/funding.${format}?fiscal_year=abc`);
			expect(year.status).toBe(400);
			expect(year.headers.get('content-type')).toMatch(/^application\/json/);
			expect(((await year.json()) as ErrorBody).error.parameter).toBe('fiscal_year');
			if (format === 'json') {
				await expectBadParameter(`${API}${template}?fiscal_year=abc`, template, 'fiscal_year');
				await expectBadParameter(`${API}${template}?source_kind=lottery`, template, 'source_kind');
				await expectBadParameter(`${API}${template}?indicator=nothing`, template, 'indicator');
				await expectBadParameter(`${API}${template}?organization=nobody`, template, 'organization');
			}
		}
		const kind = await fetch(server.url + `${API}/funding.csv?source_kind=lottery`);
		expect(((await kind.json()) as ErrorBody).error.parameter).toBe('source_kind');
	});
});

describe('an indicator’s involvement', () => {
	it('lists who is involved, and funding per year equal to its funding records’ sums', async () => {
		for (const id of ['unemployment', '3rd-grade-reading', 'air-quality-pm25', 'health-insurance', 'obesity']) {
			const { body } = await getJson<{
				indicator: Ref;
				programs: Record_[];
				policies: Record_[];
				organizations: Array<Record_ & { direct: boolean }>;
				funding_by_year: Array<{ year: number; amount: number; currency: string }>;
				links: { funding_json: string };
			}>(`${API}/indicators/${id}/involved`, '/indicators/{id}/involved');
			expect(body.indicator.api_url).toBe(`${server.url}${API}/indicators/${id}`);
			const funding = (await getJson<FundingBody>(body.links.funding_json.slice(server.url.length), '/funding.json')).body;
			const sums = new Map<string, number>();
			for (const f of funding.funding) if (f.year !== null) sums.set(`${f.year}|${f.currency}`, Math.round(((sums.get(`${f.year}|${f.currency}`) ?? 0) + f.amount) * 100) / 100);
			expect(Object.fromEntries(body.funding_by_year.map((t) => [`${t.year}|${t.currency}`, t.amount])), id).toEqual(Object.fromEntries(sums));
			if (id === 'unemployment') {
				expect(body.programs.map((p) => p.id)).toEqual(['jobs-pathways', ODD_PROGRAM]);
				expect(body.policies.map((p) => p.id)).toEqual([ODD_POLICY]);
				expect(body.organizations.find((o) => o.id === 'US-EIN-68-0100001')?.direct).toBe(true);
			}
			if (id === 'obesity') expect([body.programs, body.policies, body.organizations, body.funding_by_year]).toEqual([[], [], [], []]);
		}
	});

	it('answers an unknown indicator with a JSON 404 naming the id', async () => {
		const error = await expectBadParameter(`${API}/indicators/no-such-indicator/involved`, '/indicators/{id}/involved', 'id', 404);
		expect(error.code).toBe('not_found');
	});
});

describe('search and HTTP', () => {
	it('finds an organization by name, in the API and on /search', async () => {
		const { body } = await getJson<{ results: Array<{ kind: string; id: string; url: string; api_url: string }> }>(`${API}/search?q=${seg('River City Reads')}`, '/search');
		expect(body.results[0]).toMatchObject({ kind: 'organization', id: 'river-city-reads', url: `${server.url}/organizations/river-city-reads`, api_url: `${server.url}${API}/organizations/river-city-reads` });
		const imported = await getJson<{ results: Array<{ kind: string; id: string; api_url: string }> }>(`${API}/search?q=${seg('Slash and Colon Trust')}`, '/search');
		expect(imported.body.results[0]).toMatchObject({ kind: 'organization', id: ODD_ORG, api_url: `${server.url}${API}/organizations/${seg(ODD_ORG)}` });
		const policy = await getJson<{ results: Array<{ kind: string; id: string }> }>(`${API}/search?q=${seg('clean air plan')}`, '/search');
		expect(policy.body.results.map((r) => [r.kind, r.id])).toContainEqual(['policy', 'regional-clean-air-plan']);

		const page = await fetch(server.url + '/search?q=' + seg('River City Reads'));
		const html = await page.text();
		expect(html).toContain('Organizations (1)');
		expect(html).toContain('href="/organizations/river-city-reads"');
	});

	it('sends ETags, answers If-None-Match with 304, and the CORS preflight', async () => {
		for (const url of [`${API}/organizations`, `${API}/funding.csv?indicator=unemployment`, `${API}/indicators/unemployment/involved`]) {
			const first = await fetch(server.url + url);
			const etag = first.headers.get('etag');
			expect(etag, url).toMatch(/^"[^"]+"$/);
			expect(first.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
			const cached = await fetch(server.url + url, { headers: { 'If-None-Match': etag! } });
			expect(cached.status, url).toBe(304);
		}
		const preflight = await fetch(server.url + `${API}/funding.json`, { method: 'OPTIONS', headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' } });
		expect(preflight.status).toBe(204);
		const post = await fetch(server.url + `${API}/organizations`, { method: 'POST', headers: { Origin: server.url } });
		expect(post.status).toBe(405);
	});
});
