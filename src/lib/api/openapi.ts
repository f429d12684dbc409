/**
 * The OpenAPI 3.1 document of the open data API. Its schemas are generated from the zod
 * schemas in schemas.ts with `z.toJSONSchema` (JSON Schema draft 2020-12, the dialect of
 * OpenAPI 3.1), so the document cannot drift from the bodies the routes build.
 */
import { z } from 'zod';
import {
	apiSchemas,
	AreaResponse,
	PlaceResponse,
	AreasResponse,
	ApiErrorBody,
	DataResponse,
	IndicatorResponse,
	IndicatorsResponse,
	SearchQuery,
	SearchResponse,
	StoriesResponse,
	StoryResponse
} from './schemas.ts';
import {
	FundingQuery,
	FundingResponse,
	InvolvedResponse,
	OrganizationResponse,
	OrganizationsQuery,
	OrganizationsResponse,
	PoliciesQuery,
	PoliciesResponse,
	PolicyResponse,
	ProgramResponse,
	ProgramsQuery,
	ProgramsResponse
} from './directory-schemas.ts';
import { API_BASE } from './server/links.ts';
import { ALLOWED_METHODS, CACHE_CONTROL } from './http.ts';

type JsonObject = Record<string, unknown>;

const TARGET = 'draft-2020-12';
const COMPONENT_PREFIX = '#/components/schemas/';

/** `$schema` and `$id` belong to standalone documents, not to schemas inside OpenAPI. */
function embedded(schema: JsonObject): JsonObject {
	const { $schema: _schema, $id: _id, ...rest } = schema;
	return rest;
}

let components: Record<string, JsonObject> | undefined;

/** Every registered schema as JSON Schema, shared parts as `$ref`s to each other. */
export function componentSchemas(): Record<string, JsonObject> {
	if (!components) {
		const { schemas } = z.toJSONSchema(apiSchemas, {
			target: TARGET,
			uri: (id) => `${COMPONENT_PREFIX}${id}`
		});
		components = Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, embedded(schema as JsonObject)]));
	}
	return components;
}

function ref(schema: z.ZodType): JsonObject {
	const meta = apiSchemas.get(schema);
	if (!meta) throw new Error('The schema is not registered in apiSchemas.');
	return { $ref: `${COMPONENT_PREFIX}${meta.id}` };
}

const HEADERS = {
	ETag: { description: 'A strong validator (a hash of the body): send it back as If-None-Match to get a 304.', schema: { type: 'string' } },
	'Cache-Control': { description: 'Responses may be cached for a minute.', schema: { type: 'string', const: CACHE_CONTROL } },
	'Access-Control-Allow-Origin': { description: 'Any site may read the API.', schema: { type: 'string', const: '*' } }
};

function ok(description: string, content: JsonObject): JsonObject {
	return {
		description,
		headers: HEADERS,
		content
	};
}

function json(schema: z.ZodType): JsonObject {
	return { 'application/json': { schema: ref(schema) } };
}

function failure(description: string): JsonObject {
	return { description, content: json(ApiErrorBody) };
}

const NOT_MODIFIED = { description: 'Not modified: the ETag in If-None-Match is current. No body.' };

const ID_PARAMETER = {
	name: 'id',
	in: 'path',
	required: true,
	description: 'The indicator id, e.g. `unemployment` or `1-2-1`.',
	schema: { type: 'string' }
};

const DIMENSION_FILTERS = {
	name: 'dimensions',
	in: 'query',
	required: false,
	style: 'form',
	explode: true,
	description:
		'Dimension filters: each query parameter is named like one of the indicator’s dimensions (see `dimensions` in `GET /indicators/{id}`) ' +
		'and keeps the observations with that value, e.g. `?Units=Percent&Sex=Female`. An empty value (`?Sex=`) keeps the blank (headline) rows; ' +
		'a parameter given more than once keeps any of its values. Without filters, every observation is returned. ' +
		'An unknown dimension or value is answered with 400, naming the parameter and listing what it accepts.',
	schema: { type: 'object', additionalProperties: { type: 'string' } },
	example: { Units: 'Percent', Sex: '' }
};

/** The query parameters of a zod object schema, each as its own JSON Schema. */
function queryParameters(schema: z.ZodObject): JsonObject[] {
	return Object.entries(schema.shape).map(([name, field]) => {
		const fieldSchema = field as z.ZodType;
		const parameter: JsonObject = {
			name,
			in: 'query',
			required: !fieldSchema.safeParse(undefined).success,
			schema: embedded(z.toJSONSchema(fieldSchema, { target: TARGET }) as JsonObject)
		};
		if (fieldSchema.description) parameter.description = fieldSchema.description;
		return parameter;
	});
}

const DIRECTORY_ID = {
	name: 'id',
	in: 'path',
	required: true,
	schema: { type: 'string' }
};

function directoryId(what: string): JsonObject {
	return {
		...DIRECTORY_ID,
		description: `The ${what} id, URL-encoded: ids may contain \`.\`, \`:\` and \`/\` (360Giving identifiers such as \`GB-CHC-1234567\`); write a \`/\` as \`%2F\`.`
	};
}

const FUNDING_CSV_DESCRIPTION =
	'One funding record a line, newest first, columns id, funder_id, funder_name, recipient_id, recipient_name, program_id, program_name, title, amount, currency, ' +
	'fiscal_year, award_date, year, source_kind, is_sample. Text cells a spreadsheet would run as a formula start with an apostrophe. ' +
	'Downloaded as `funding.csv`, or `funding-with-sample-data.csv` when some records are illustrative sample data.';

/** The directory's paths ("Who's involved"): organizations, programs, policies, funding, an indicator's involvement. */
function directoryPaths(indicatorNotFound: JsonObject): Record<string, JsonObject> {
	const badFilter = (what: string) => failure(`${what} Names the parameter.`);
	const list = (operationId: string, summary: string, query: z.ZodObject, body: z.ZodType, bad: string) => ({
		get: {
			operationId,
			tags: ['directory'],
			summary,
			parameters: queryParameters(query),
			responses: { '200': ok('One page of them, by name.', json(body)), '304': NOT_MODIFIED, '400': badFilter(bad) }
		}
	});
	const one = (operationId: string, what: string, body: z.ZodType) => ({
		get: {
			operationId,
			tags: ['directory'],
			summary: `One ${what} and what it is linked to`,
			parameters: [directoryId(what)],
			responses: { '200': ok(`The ${what}.`, json(body)), '304': NOT_MODIFIED, '404': failure(`No ${what} has this id.`) }
		}
	});
	return {
		[`${API_BASE}/organizations`]: list(
			'listOrganizations',
			'Organizations of the directory, filtered and paged',
			OrganizationsQuery,
			OrganizationsResponse,
			'A kind the directory does not have, an unknown area, indicator or geography, q over 200 characters, or a page that is not a whole number from 1 or is past the last page.'
		),
		[`${API_BASE}/organizations/{id}`]: one('getOrganization', 'organization', OrganizationResponse),
		[`${API_BASE}/programs`]: list(
			'listPrograms',
			'Programs, filtered and paged',
			ProgramsQuery,
			ProgramsResponse,
			'An unknown organization or indicator or status, q over 200 characters, or a page that is not a whole number from 1 or is past the last page.'
		),
		[`${API_BASE}/programs/{id}`]: one('getProgram', 'program', ProgramResponse),
		[`${API_BASE}/policies`]: list(
			'listPolicies',
			'Public policies, filtered and paged',
			PoliciesQuery,
			PoliciesResponse,
			'An unknown indicator or status, q over 200 characters, or a page that is not a whole number from 1 or is past the last page.'
		),
		[`${API_BASE}/policies/{id}`]: one('getPolicy', 'policy', PolicyResponse),
		[`${API_BASE}/funding.json`]: {
			get: {
				operationId: 'getFundingJson',
				tags: ['directory', 'data'],
				summary: 'Funding records as JSON, filtered, with their totals per year and source kind',
				parameters: queryParameters(FundingQuery),
				responses: {
					'200': ok('The records, newest first.', json(FundingResponse)),
					'304': NOT_MODIFIED,
					'400': badFilter('An unknown indicator or organization, a fiscal_year that is not a four-digit year, or a source_kind the directory does not use.')
				}
			}
		},
		[`${API_BASE}/funding.csv`]: {
			get: {
				operationId: 'getFundingCsv',
				tags: ['directory', 'data'],
				summary: 'Funding records as CSV, filtered',
				description: FUNDING_CSV_DESCRIPTION,
				parameters: queryParameters(FundingQuery),
				responses: {
					'200': {
						description: 'The records as CSV.',
						headers: {
							...HEADERS,
							'Content-Disposition': { description: 'attachment; filename="funding.csv" (or "funding-with-sample-data.csv")', schema: { type: 'string' } }
						},
						content: { 'text/csv': { schema: { type: 'string' } } }
					},
					'304': NOT_MODIFIED,
					'400': badFilter('An unknown indicator or organization, a fiscal_year that is not a four-digit year, or a source_kind the directory does not use.')
				}
			}
		},
		[`${API_BASE}/indicators/{id}/involved`]: {
			get: {
				operationId: 'getIndicatorInvolvement',
				tags: ['directory'],
				summary: 'Who is involved with an indicator: organizations, programs, policies and funding per year',
				parameters: [ID_PARAMETER],
				responses: { '200': ok('Who is involved.', json(InvolvedResponse)), '304': NOT_MODIFIED, '404': indicatorNotFound }
			}
		}
	};
}

/** The document, with the server address the request came to. */
export function buildOpenApiDocument(origin: string): JsonObject {
	const indicatorNotFound = failure('No indicator has this id.');
	return {
		openapi: '3.1.0',
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		info: {
			title: 'Sac2050 open data API',
			version: '1.0.0',
			description:
				'Read-only JSON API of the Sac2050 civic indicators: areas, indicators with their progress, their data as JSON or Open SDG CSV, and the directory of who is involved (organizations, programs, policies, funding as JSON or CSV). ' +
				`Every response allows any origin (CORS, methods ${ALLOWED_METHODS}), carries a strong ETag (send If-None-Match for a 304) and may be cached for a minute. ` +
				'Errors are JSON: `{ "error": { "status", "code", "message", "parameter" } }`. ' +
				'Indicators marked `is_sample: true` show illustrative sample data, not official statistics; directory records (organizations, programs, policies, funding) marked `is_sample: true` are made up to show how the directory works.',
			license: { name: 'MIT', identifier: 'MIT' }
		},
		servers: [{ url: origin }],
		tags: [
			{ name: 'catalog', description: 'Areas and indicators' },
			{ name: 'data', description: 'Observations' },
			{ name: 'directory', description: 'Who is involved: organizations, programs, policies and funding' },
			{ name: 'stories', description: 'Published stories' },
			{ name: 'search', description: 'Full-text search' },
			{ name: 'meta', description: 'This document' }
		],
		paths: {
			[`${API_BASE}/areas`]: {
				get: {
					operationId: 'listAreas',
					tags: ['catalog'],
					summary: 'Every area',
					responses: { '200': ok('The areas, in the site’s order.', json(AreasResponse)), '304': NOT_MODIFIED }
				}
			},
			[`${API_BASE}/areas/{id}`]: {
				get: {
					operationId: 'getArea',
					tags: ['catalog'],
					summary: 'One area and its indicators',
					parameters: [{ ...ID_PARAMETER, description: 'The area id, e.g. `jobs`.' }],
					responses: {
						'200': ok('The area and its indicators.', json(AreaResponse)),
						'304': NOT_MODIFIED,
						'404': failure('No area has this id.')
					}
				}
			},
			[`${API_BASE}/places/{code}`]: {
				get: {
					operationId: 'getPlace',
					tags: ['catalog'],
					summary: 'One place’s profile: every indicator with data for it, beside the region and the other places',
					parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' }, description: 'The place’s GeoCode, e.g. `06061`.' }],
					responses: {
						'200': ok('The place and its indicators, by area.', json(PlaceResponse)),
						'304': NOT_MODIFIED,
						'404': failure('The region has no place with this code.')
					}
				}
			},
			[`${API_BASE}/indicators`]: {
				get: {
					operationId: 'listIndicators',
					tags: ['catalog'],
					summary: 'Every indicator with its progress',
					responses: { '200': ok('The indicators, in the site’s order.', json(IndicatorsResponse)), '304': NOT_MODIFIED }
				}
			},
			[`${API_BASE}/indicators/{id}`]: {
				get: {
					operationId: 'getIndicator',
					tags: ['catalog'],
					summary: 'One indicator: metadata, dimensions, targets and progress',
					parameters: [ID_PARAMETER],
					responses: {
						'200': ok('The indicator.', json(IndicatorResponse)),
						'304': NOT_MODIFIED,
						'404': indicatorNotFound
					}
				}
			},
			[`${API_BASE}/indicators/{id}/data.json`]: {
				get: {
					operationId: 'getIndicatorDataJson',
					tags: ['data'],
					summary: 'The indicator’s current observations as JSON',
					parameters: [ID_PARAMETER, DIMENSION_FILTERS],
					responses: {
						'200': ok('The observations, in source order.', json(DataResponse)),
						'304': NOT_MODIFIED,
						'400': failure('A filter names no dimension of the indicator, or a value the dimension does not take.'),
						'404': indicatorNotFound
					}
				}
			},
			[`${API_BASE}/indicators/{id}/data.csv`]: {
				get: {
					operationId: 'getIndicatorDataCsv',
					tags: ['data'],
					summary: 'The indicator’s current observations as an Open SDG data CSV',
					description:
						'The Open SDG column layout (Year, dimensions, attributes, Value), one observation per line. ' +
						'Downloaded as `<id>.csv`, or `<id>-sample-data.csv` when the data is illustrative sample data.',
					parameters: [ID_PARAMETER, DIMENSION_FILTERS],
					responses: {
						'200': {
							description: 'The observations as CSV.',
							headers: {
								...HEADERS,
								'Content-Disposition': { description: 'attachment; filename="<id>.csv" (or "<id>-sample-data.csv")', schema: { type: 'string' } }
							},
							content: { 'text/csv': { schema: { type: 'string' } } }
						},
						'304': NOT_MODIFIED,
						'400': failure('A filter names no dimension of the indicator, or a value the dimension does not take.'),
						'404': indicatorNotFound
					}
				}
			},
			...directoryPaths(indicatorNotFound),
			[`${API_BASE}/stories`]: {
				get: {
					operationId: 'listStories',
					tags: ['stories'],
					summary: 'Every published story',
					responses: { '200': ok('The stories readers see now, newest first.', json(StoriesResponse)), '304': NOT_MODIFIED }
				}
			},
			[`${API_BASE}/stories/{id}`]: {
				get: {
					operationId: 'getStory',
					tags: ['stories'],
					summary: 'One published story',
					parameters: [{ ...ID_PARAMETER, description: 'The story id, e.g. `jobs-after-two-downturns`.' }],
					responses: {
						'200': ok('The story.', json(StoryResponse)),
						'304': NOT_MODIFIED,
						'404': failure('No published story has this id (drafts and stories scheduled for later are not published yet).')
					}
				}
			},
			[`${API_BASE}/search`]: {
				get: {
					operationId: 'search',
					tags: ['search'],
					summary: 'Search areas, indicators, organizations, programs and policies',
					description: 'Searches names, descriptions and metadata in the language of the request (Accept-Language); directory records are searched as written.',
					parameters: queryParameters(SearchQuery),
					responses: {
						'200': ok('Matching areas, indicators and directory records, best first.', json(SearchResponse)),
						'304': NOT_MODIFIED,
						'400': failure('q is missing, empty or longer than 200 characters, or limit is not a whole number from 1 to 100.')
					}
				}
			},
			[`${API_BASE}/openapi.json`]: {
				get: {
					operationId: 'getOpenApiDocument',
					tags: ['meta'],
					summary: 'This OpenAPI document',
					responses: {
						'200': ok('The OpenAPI 3.1 document.', { 'application/json': { schema: { type: 'object' } } }),
						'304': NOT_MODIFIED
					}
				}
			}
		},
		components: { schemas: componentSchemas() }
	};
}
