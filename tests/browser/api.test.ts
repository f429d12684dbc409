/**
 * The open data API under /api/v1, against the built server: every real response is
 * checked against the schema /api/v1/openapi.json gives for it (ajv, JSON Schema 2020-12).
 * The database holds the region pack with its sample data and the LA Open SDG sample.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseIndicatorCsv } from '#lib/indicators/opensdg/data-csv.ts';
import { directoryManifest } from '#lib/directory/manifest.ts';
import { createTestDatabase, SHARED_DIR, type TestDatabase } from '../support/databases.ts';
import { runCli, startServer, type RunningServer } from '../support/server.ts';

const API = '/api/v1';
const DOC_ID = 'https://sac2050.test/openapi.json';

/** The parts of the OpenAPI document the tests read. */
interface OpenApiDocument {
	openapi: string;
	paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> } }>;
	components: { schemas: Record<string, Record<string, unknown>> };
}

interface Dimension {
	name: string;
	values: string[];
	has_blank: boolean;
	default_value: string;
}

interface Observation {
	period: string;
	year: number;
	value: number | null;
	dims: Record<string, string>;
	attributes: Record<string, string>;
}

interface DataBody {
	indicator: string;
	is_sample: boolean;
	notice?: string;
	columns: string[];
	filters: Record<string, string[]>;
	observations: Observation[];
}

interface IndicatorListItem {
	id: string;
	area_id: string | null;
	is_sample: boolean;
	last_updated: string | null;
	api_url: string;
}

let database: TestDatabase;
let server: RunningServer;
let doc: OpenApiDocument;
let ajv: InstanceType<typeof Ajv2020>;
let indicators: IndicatorListItem[];

beforeAll(async () => {
	database = await createTestDatabase('sqlite');
	const imported = await runCli(['import', 'opensdg', path.join(SHARED_DIR, 'datasets', 'open-sdg-la-sample')], { DATABASE_URL: database.url });
	expect(imported.code, imported.stderr).toBe(0);
	server = await startServer({ DATABASE_URL: database.url });
	expect(server.output()).toContain('First start');

	const response = await fetch(server.url + `${API}/openapi.json`);
	expect(response.status).toBe(200);
	doc = (await response.json()) as OpenApiDocument;
	ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
	addFormats(ajv);
	// The document's schemas, addressable as <DOC_ID>#/components/schemas/<name>.
	ajv.addKeyword('components');
	ajv.addSchema({ $id: DOC_ID, components: doc.components });

	indicators = ((await (await fetch(server.url + `${API}/indicators`)).json()) as { indicators: IndicatorListItem[] }).indicators;
});

afterAll(async () => {
	await server?.stop();
	await database?.drop();
});

const validators = new Map<string, ValidateFunction>();

/** The validator for the schema the document gives a GET response of `pathTemplate`. */
function validatorFor(pathTemplate: string, status: number): ValidateFunction {
	const key = `${pathTemplate} ${status}`;
	let validate = validators.get(key);
	if (!validate) {
		const operation = doc.paths[pathTemplate]?.get;
		expect(operation, `the document describes GET ${pathTemplate}`).toBeDefined();
		const schema = operation?.responses[String(status)]?.content?.['application/json']?.schema;
		expect(schema, `the document gives a JSON schema for ${status} from GET ${pathTemplate}`).toBeDefined();
		const ref = schema?.$ref;
		validate = ajv.compile(typeof ref === 'string' ? { $ref: DOC_ID + ref } : (schema ?? {}));
		validators.set(key, validate);
	}
	return validate;
}

/** Fetches `url` and checks status, CORS and that the JSON body matches the document's schema. */
async function getJson<T>(url: string, pathTemplate: string, status = 200, init?: RequestInit): Promise<{ body: T; response: Response }> {
	const response = await fetch(server.url + url, init);
	const text = await response.text();
	expect(response.status, `${url}: ${text.slice(0, 500)}`).toBe(status);
	expect(response.headers.get('content-type'), url).toMatch(/^application\/json/);
	expect(response.headers.get('access-control-allow-origin'), url).toBe('*');
	const body = JSON.parse(text) as T;
	const validate = validatorFor(pathTemplate, status);
	expect(validate(body), `${url} against the schema of ${status} from GET ${pathTemplate}: ${ajv.errorsText(validate.errors)}`).toBe(true);
	return { body, response };
}

function dataUrl(id: string, format: 'json' | 'csv', filters: [string, string][] = []): string {
	const query = new URLSearchParams(filters).toString();
	return `${API}/indicators/${encodeURIComponent(id)}/data.${format}${query ? `?${query}` : ''}`;
}

/** The CSV's rows as the JSON API writes observations (a Progress value is kept as an attribute). */
function csvAsObservations(csv: string): { columns: string[]; observations: Omit<Observation, 'year'>[] } {
	const parsed = parseIndicatorCsv(csv, 'download.csv');
	expect(parsed.errors).toEqual([]);
	return {
		columns: parsed.columns,
		observations: parsed.rows.map((r) => ({
			period: r.year,
			value: r.value,
			dims: r.dims,
			attributes: r.progress === undefined || r.progress === null ? r.attributes : { ...r.attributes, Progress: String(r.progress) }
		}))
	};
}

async function expectCsvMatchesJson(id: string, filters: [string, string][] = []): Promise<DataBody> {
	const { body } = await getJson<DataBody>(dataUrl(id, 'json', filters), `${API}/indicators/{id}/data.json`);
	const response = await fetch(server.url + dataUrl(id, 'csv', filters));
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
	expect(response.headers.get('access-control-allow-origin')).toBe('*');
	expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${id}${body.is_sample ? '-sample-data' : ''}.csv"`);
	const csv = csvAsObservations(await response.text());
	expect(csv.columns).toEqual(body.columns);
	expect(csv.observations).toEqual(body.observations.map(({ year: _year, ...rest }) => rest));
	return body;
}

function laIndicators(): IndicatorListItem[] {
	return indicators.filter((i) => i.area_id === null);
}

/** An LA indicator with several units and another dimension that has blank (headline) rows. */
async function disaggregatedLaIndicator(): Promise<{ id: string; units: Dimension; other: Dimension }> {
	for (const indicator of laIndicators()) {
		const { body } = await getJson<{ dimensions: Dimension[] }>(`${API}/indicators/${indicator.id}`, `${API}/indicators/{id}`);
		const units = body.dimensions.find((d) => d.name === 'Units' && d.values.length >= 2);
		const other = body.dimensions.find((d) => d.name !== 'Units' && d.has_blank && d.values.length >= 2);
		if (units && other) return { id: indicator.id, units, other };
	}
	throw new Error('The LA sample has no indicator with several units and a disaggregation.');
}

describe('the OpenAPI document', () => {
	it('is OpenAPI 3.1 with every endpoint, and its schemas compile', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths).sort()).toEqual(
			[
				'/areas',
				'/areas/{id}',
				'/indicators',
				'/indicators/{id}',
				'/indicators/{id}/data.json',
				'/indicators/{id}/data.csv',
				'/places/{code}',
				'/search',
				'/openapi.json',
				// The directory's (tests/browser/directory-api.test.ts).
				...directoryManifest.apiPaths,
				'/stories',
				'/stories/{id}'
			]
				.map((p) => API + p)
				.sort()
		);
		for (const name of Object.keys(doc.components.schemas)) {
			expect(() => ajv.compile({ $ref: `${DOC_ID}#/components/schemas/${name}` }), name).not.toThrow();
		}
		const dataParameters = JSON.stringify(doc.paths[`${API}/indicators/{id}/data.json`]);
		expect(dataParameters).toContain('"style":"form"');
		expect(dataParameters).toContain('"additionalProperties":{"type":"string"}');
	});

	it('validates its own response as JSON', async () => {
		await getJson(`${API}/openapi.json`, `${API}/openapi.json`);
	});
});

describe('stories', () => {
	it('lists the published stories and gives one with its Markdown and sanitized HTML', async () => {
		const { body } = await getJson<{ stories: Array<{ id: string; is_sample: boolean; api_url: string; url: string }> }>(`${API}/stories`, `${API}/stories`);
		expect(body.stories.map((s) => s.id).sort()).toEqual(['clearing-the-air', 'jobs-after-two-downturns']);
		expect(body.stories.every((s) => s.is_sample)).toBe(true);
		const { body: story } = await getJson<{ body_markdown: string; body_html: string; links: Array<{ type: string; id: string }> }>(
			`${API}/stories/jobs-after-two-downturns`,
			`${API}/stories/{id}`
		);
		expect(story.body_markdown).toContain('{{chart unemployment}}');
		expect(story.body_html).toContain('<h2>What the numbers do not say</h2>');
		expect(story.body_html).not.toContain('{{chart');
		expect(story.links).toEqual([
			{ type: 'indicator', id: 'unemployment', name: 'Unemployment' },
			{ type: 'indicator', id: 'labor-force', name: 'Labor Force' }
		]);
		await getJson(`${API}/stories/no-such-story`, `${API}/stories/{id}`, 404);
	});
});

describe('catalog endpoints', () => {
	it('lists the areas, each with its indicators', async () => {
		const { body } = await getJson<{ areas: { id: string; indicator_count: number; api_url: string }[] }>(`${API}/areas`, `${API}/areas`);
		expect(body.areas).toHaveLength(6);
		for (const area of body.areas) {
			expect(area.api_url).toBe(`${server.url}${API}/areas/${area.id}`);
			const detail = await getJson<{ id: string; indicators: IndicatorListItem[] }>(`${API}/areas/${area.id}`, `${API}/areas/{id}`);
			expect(detail.body.indicators).toHaveLength(area.indicator_count);
			expect(detail.body.indicators.every((i) => i.area_id === area.id)).toBe(true);
		}
	});

	it('lists every indicator, region and imported, with progress and sample flags', async () => {
		await getJson(`${API}/indicators`, `${API}/indicators`);
		expect(indicators.length).toBeGreaterThanOrEqual(50 + 14);
		expect(laIndicators()).toHaveLength(14);
		expect(laIndicators().every((i) => !i.is_sample && i.last_updated !== null)).toBe(true);
		expect(indicators.filter((i) => i.is_sample).length).toBeGreaterThanOrEqual(12);
	});

	it('describes a sample indicator with its dimensions, targets, progress and 2050 projection', async () => {
		const sample = indicators.find((i) => i.is_sample);
		expect(sample).toBeDefined();
		const { body } = await getJson<{
			is_sample: boolean;
			notice?: string;
			last_updated: string | null;
			dimensions: Dimension[];
			targets: { is_sample: boolean }[];
			progress: { label: string; series: { projection: unknown }[] };
			links: { data_json: string; data_csv: string };
		}>(`${API}/indicators/${sample!.id}`, `${API}/indicators/{id}`);
		expect(body.is_sample).toBe(true);
		expect(body.notice).toMatch(/not official statistics/);
		expect(body.last_updated).not.toBeNull();
		expect(body.progress.label).not.toBe('not_reported');
		expect(body.progress.series.length).toBeGreaterThan(0);
		expect(body.progress.series.some((s) => s.projection !== null)).toBe(true);
		expect(body.targets.every((t) => t.is_sample)).toBe(true);
		expect(body.links.data_csv).toBe(`${server.url}${API}/indicators/${sample!.id}/data.csv`);
	});

	it('describes every LA indicator, and an indicator without data', async () => {
		for (const indicator of laIndicators()) {
			const { body } = await getJson<{ is_sample: boolean; notice?: string; area: unknown }>(indicator.api_url.slice(server.url.length), `${API}/indicators/{id}`);
			expect(body.is_sample).toBe(false);
			expect(body.notice).toBeUndefined();
			expect(body.area).toBeNull();
		}
		// The Open SDG metadata in sections: goal, target, sources.
		const earnings = (await getJson<{ metadata: { goal?: string; targetId?: string; sources: Array<{ organisation?: string }> } }>(`${API}/indicators/8-5-1`, `${API}/indicators/{id}`)).body;
		expect(earnings.metadata).toMatchObject({ goal: '8', targetId: '8.5', sources: [{ organisation: 'United States Census Bureau' }] });
		const empty = indicators.find((i) => i.last_updated === null);
		expect(empty).toBeDefined();
		const { body } = await getJson<{ dimensions: unknown[]; progress: { label: string } }>(`${API}/indicators/${empty!.id}`, `${API}/indicators/{id}`);
		expect(body.dimensions).toEqual([]);
		expect(body.progress.label).toBe('not_reported');
	});

	it('answers in the language asked for, and says the body varies with it', async () => {
		const english = await getJson<{ areas: { name: string }[] }>(`${API}/areas`, `${API}/areas`);
		const spanish = await getJson<{ areas: { name: string }[] }>(`${API}/areas`, `${API}/areas`, 200, { headers: { 'Accept-Language': 'es' } });
		expect(spanish.body.areas.map((a) => a.name)).not.toEqual(english.body.areas.map((a) => a.name));
		expect(spanish.response.headers.get('etag')).not.toBe(english.response.headers.get('etag'));
		expect(english.response.headers.get('vary')).toMatch(/Accept-Language/);
	});
});

describe('data endpoints', () => {
	it('serves all observations as JSON and as an Open SDG CSV that reads back the same', async () => {
		const sample = indicators.find((i) => i.is_sample)!;
		const la = laIndicators();
		for (const indicator of [sample, ...la]) {
			const body = await expectCsvMatchesJson(indicator.id);
			expect(body.filters).toEqual({});
			expect(body.observations.length, indicator.id).toBeGreaterThan(0);
		}
		const empty = indicators.find((i) => i.last_updated === null)!;
		const body = await expectCsvMatchesJson(empty.id);
		expect(body.observations).toEqual([]);
		expect(body.columns).toEqual(['Year', 'Value']);
	});

	it('flags sample data in JSON and in the CSV file name', async () => {
		const sample = indicators.find((i) => i.is_sample)!;
		const { body } = await getJson<DataBody>(dataUrl(sample.id, 'json'), `${API}/indicators/{id}/data.json`);
		expect(body.is_sample).toBe(true);
		expect(body.notice).toMatch(/sample data/i);
		const csv = await fetch(server.url + dataUrl(sample.id, 'csv'));
		expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${sample.id}-sample-data.csv"`);

		const real = laIndicators()[0]!;
		const realBody = (await getJson<DataBody>(dataUrl(real.id, 'json'), `${API}/indicators/{id}/data.json`)).body;
		expect(realBody.is_sample).toBe(false);
		expect(realBody.notice).toBeUndefined();
		const realCsv = await fetch(server.url + dataUrl(real.id, 'csv'));
		expect(realCsv.headers.get('content-disposition')).toBe(`attachment; filename="${real.id}.csv"`);
	});

	it('filters by dimension, blank values meaning the headline rows', async () => {
		const { id, units, other } = await disaggregatedLaIndicator();
		const all = (await getJson<DataBody>(dataUrl(id, 'json'), `${API}/indicators/{id}/data.json`)).body.observations;

		const [unit0, unit1] = units.values as [string, string];
		const byUnit = await expectCsvMatchesJson(id, [['Units', unit1]]);
		expect(byUnit.filters).toEqual({ Units: [unit1] });
		expect(byUnit.observations.length).toBeGreaterThan(0);
		expect(byUnit.observations).toEqual(all.filter((o) => o.dims.Units === unit1));

		// Every unit's rows together are all the rows.
		let total = 0;
		for (const unit of units.values) total += (await getJson<DataBody>(dataUrl(id, 'json', [['Units', unit]]), `${API}/indicators/{id}/data.json`)).body.observations.length;
		expect(total).toBe(all.length);

		const headline = await expectCsvMatchesJson(id, [
			['Units', unit0],
			[other.name, '']
		]);
		expect(headline.observations.length).toBeGreaterThan(0);
		expect(headline.observations).toEqual(all.filter((o) => o.dims.Units === unit0 && o.dims[other.name] === undefined));

		const [first, second] = other.values as [string, string];
		const either = await expectCsvMatchesJson(id, [
			[other.name, first],
			[other.name, second]
		]);
		expect(either.observations.length).toBeGreaterThan(0);
		expect(either.observations).toEqual(all.filter((o) => o.dims[other.name] === first || o.dims[other.name] === second));
	});
});

describe('errors', () => {
	it('names the parameter of a bad filter and lists what it accepts', async () => {
		const { id, units, other } = await disaggregatedLaIndicator();
		type ErrorBody = { error: { status: number; code: string; message: string; parameter?: string; allowed?: string[] } };
		const template = `${API}/indicators/{id}/data.json`;

		const unknownName = await getJson<ErrorBody>(dataUrl(id, 'json', [['NoSuchDimension', 'x']]), template, 400);
		expect(unknownName.body.error).toMatchObject({ status: 400, code: 'unknown_dimension', parameter: 'NoSuchDimension' });
		expect(unknownName.body.error.allowed).toEqual(expect.arrayContaining(['Units', other.name]));
		expect(unknownName.body.error.message).toContain(`"${other.name}"`);

		const wrongCase = await getJson<ErrorBody>(dataUrl(id, 'json', [['units', units.values[0]!]]), template, 400);
		expect(wrongCase.body.error.message).toContain('did you mean "Units"');

		const unknownValue = await getJson<ErrorBody>(dataUrl(id, 'json', [[other.name, 'No such value']]), template, 400);
		expect(unknownValue.body.error).toMatchObject({ code: 'unknown_value', parameter: other.name });
		expect(unknownValue.body.error.allowed).toEqual([...other.values, '']);
		expect(unknownValue.body.error.message).toContain(`"${other.values[0]}"`);

		const noBlank = await getJson<ErrorBody>(dataUrl(id, 'json', [['Units', '']]), template, 400);
		expect(noBlank.body.error).toMatchObject({ code: 'unknown_value', parameter: 'Units' });
		expect(noBlank.body.error.message).toMatch(/no blank rows/);

		const csv = await fetch(server.url + dataUrl(id, 'csv', [['NoSuchDimension', 'x']]));
		expect(csv.status).toBe(400);
		expect(csv.headers.get('content-type')).toMatch(/^application\/json/);
	});

	it('names the search parameter that is wrong', async () => {
		type ErrorBody = { error: { code: string; parameter?: string; message: string } };
		const template = `${API}/search`;
		const cases: [string, string][] = [
			['', 'q'],
			['?q=', 'q'],
			['?q=%20%20', 'q'],
			[`?q=${'a'.repeat(201)}`, 'q'],
			['?q=jobs&limit=0', 'limit'],
			['?q=jobs&limit=101', 'limit'],
			['?q=jobs&limit=1.5', 'limit'],
			['?q=jobs&limit=ten', 'limit'],
			['?q=jobs&q=work', 'q']
		];
		for (const [query, parameter] of cases) {
			const { body } = await getJson<ErrorBody>(`${API}/search${query}`, template, 400);
			expect(body.error.parameter, query).toBe(parameter);
			expect(body.error.message, query).toContain(parameter);
		}
		const tooLong = await getJson<ErrorBody>(`${API}/search?q=${'a'.repeat(201)}`, template, 400);
		expect(tooLong.body.error.message).toMatch(/200 characters/);
	});

	it('answers unknown ids and paths with JSON 404s, not the HTML page', async () => {
		await getJson(`${API}/indicators/no-such-indicator`, `${API}/indicators/{id}`, 404);
		await getJson(`${API}/indicators/no-such-indicator/data.json`, `${API}/indicators/{id}/data.json`, 404);
		await getJson(`${API}/indicators/no-such-indicator/data.csv`, `${API}/indicators/{id}/data.csv`, 404);
		const area = await getJson<{ error: { code: string; message: string } }>(`${API}/areas/no-such-area`, `${API}/areas/{id}`, 404);
		expect(area.body.error.code).toBe('not_found');
		expect(area.body.error.message).toContain('no-such-area');
		const unknown = await fetch(server.url + `${API}/no/such/path`, { headers: { Accept: 'text/html' } });
		expect(unknown.status).toBe(404);
		expect(((await unknown.json()) as { error: { status: number } }).error.status).toBe(404);
	});

	it('refuses other methods with a JSON 405', async () => {
		const response = await fetch(server.url + `${API}/indicators`, {
			method: 'DELETE',
			headers: { Origin: server.url }
		});
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('GET, OPTIONS');
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
	});
});

describe('search', () => {
	it('finds indicators by name in the visitor’s language', async () => {
		const { body } = await getJson<{ query: string; results: { kind: string; id: string; api_url: string }[] }>(
			`${API}/search?q=unemployment&limit=5`,
			`${API}/search`
		);
		expect(body.query).toBe('unemployment');
		expect(body.results.length).toBeGreaterThan(0);
		expect(body.results.length).toBeLessThanOrEqual(5);
		expect(body.results.map((r) => r.id)).toContain('unemployment');
		const segments: Record<string, string> = { area: 'areas', indicator: 'indicators', organization: 'organizations', program: 'programs', policy: 'policies' };
		for (const result of body.results) expect(result.api_url).toContain(`${API}/${segments[result.kind]}/`);
	});
});

describe('HTTP behaviour', () => {
	it('allows any origin, and answers the CORS preflight', async () => {
		for (const url of [`${API}/areas`, dataUrl('unemployment', 'csv'), `${API}/indicators/nope`]) {
			const response = await fetch(server.url + url);
			expect(response.headers.get('access-control-allow-origin'), url).toBe('*');
		}
		const preflight = await fetch(server.url + `${API}/indicators`, {
			method: 'OPTIONS',
			headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
		expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
	});

	it('sends a strong ETag and answers If-None-Match with 304 and no body', async () => {
		const { id } = await disaggregatedLaIndicator();
		for (const url of [`${API}/indicators`, `${API}/indicators/${id}`, dataUrl(id, 'json'), dataUrl(id, 'csv'), `${API}/openapi.json`]) {
			const first = await fetch(server.url + url);
			const body = await first.text();
			const etag = first.headers.get('etag');
			expect(etag, url).toMatch(/^"[^"]+"$/);
			expect(first.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
			const again = await fetch(server.url + url);
			expect(await again.text()).toBe(body);
			expect(again.headers.get('etag')).toBe(etag);

			for (const header of [etag!, `W/${etag}`, `"something-else", ${etag}`, '*']) {
				const cached = await fetch(server.url + url, { headers: { 'If-None-Match': header } });
				expect(cached.status, `${url} with If-None-Match: ${header}`).toBe(304);
				expect(await cached.text()).toBe('');
				expect(cached.headers.get('etag')).toBe(etag);
				expect(cached.headers.get('access-control-allow-origin')).toBe('*');
			}
			const stale = await fetch(server.url + url, { headers: { 'If-None-Match': '"stale"' } });
			expect(stale.status).toBe(200);
		}
		const filtered = await fetch(server.url + dataUrl(id, 'json', [['Units', (await disaggregatedLaIndicator()).units.values[1]!]]));
		expect(filtered.headers.get('etag')).not.toBe((await fetch(server.url + dataUrl(id, 'json'))).headers.get('etag'));
	});

	it('keeps the site’s security headers on API responses', async () => {
		const response = await fetch(server.url + `${API}/areas`);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	});
});
