/**
 * The open data API's shapes, defined once: the route handlers build bodies of these types,
 * the query parameters are validated with these schemas, and the OpenAPI document
 * (openapi.ts) turns the same schemas into JSON Schema with `z.toJSONSchema`.
 *
 * Every schema registered in `apiSchemas` becomes `#/components/schemas/<id>`.
 */
import { z } from 'zod';

export interface ApiSchemaMeta {
	id: string;
}

/** The named response shapes (components of the OpenAPI document). */
export const apiSchemas = z.registry<ApiSchemaMeta>();

/**
 * Registers a named schema. Descriptions, here and in `.describe()` below, live in zod's
 * global registry, where `z.toJSONSchema` reads them.
 */
export function component<T extends z.ZodType>(id: string, description: string, schema: T): T {
	const described = schema.describe(description);
	apiSchemas.add(described, { id });
	return described;
}

export const pageUrl = z.url().describe('The page on the site that shows this, for people.');
export const apiUrl = z.url().describe('This resource in the API.');
const timestamp = z.iso.datetime({ offset: true });

export const SAMPLE_DATA_NOTICE =
	'Illustrative sample data made up to show how Sac2050 works. It is not official statistics: do not use it for analysis or decisions.';

// ── Errors ──────────────────────────────────────────────────────────────────

export const ERROR_CODES = ['not_found', 'invalid_parameter', 'unknown_dimension', 'unknown_value', 'method_not_allowed', 'internal_error', 'service_unavailable'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorBody = component(
	'Error',
	'Every error: its HTTP status, a stable code, a message that says what is wrong and what to do, and the query parameter concerned.',
	z.object({
		error: z.object({
			status: z.int().min(400).max(599),
			code: z.enum(ERROR_CODES),
			message: z.string(),
			parameter: z.string().optional().describe('The query parameter that is wrong.'),
			allowed: z.array(z.string()).optional().describe('The values the parameter accepts, where they are few enough to list.')
		})
	})
);
export type ApiErrorBody = z.output<typeof ApiErrorBody>;

// ── Areas and indicators ────────────────────────────────────────────────────

export const PlainLabel = component(
	'ProgressLabel',
	'The plain progress label shown on the site.',
	z.enum(['improving', 'steady', 'worsening', 'not_reported'])
);

export const Direction = component(
	'Direction',
	'Which way is better: `positive` (higher is better) or `negative` (lower is better); null when not set.',
	z.enum(['positive', 'negative']).nullable()
);

export const AreaSummary = component(
	'AreaSummary',
	'One area of the region’s quality of life, with its guiding question.',
	z.object({
		id: z.string(),
		name: z.string(),
		question: z.string(),
		description: z.string(),
		indicator_count: z.int().min(0),
		url: pageUrl,
		api_url: apiUrl
	})
);
export type AreaSummary = z.output<typeof AreaSummary>;

export const AreasResponse = component('AreasResponse', 'Every area, in the site’s order.', z.object({ areas: z.array(AreaSummary) }));
export type AreasResponse = z.output<typeof AreasResponse>;

export const IndicatorSummary = component(
	'IndicatorSummary',
	'One indicator with its progress: `status` is the Open SDG progress status, `score` its score, `label` the plain label.',
	z.object({
		id: z.string(),
		area_id: z.string().nullable(),
		name: z.string(),
		unit: z.string(),
		direction: Direction,
		is_sample: z.boolean().describe('True when the indicator’s data is illustrative sample data, not official statistics.'),
		status: z.string(),
		score: z.number().nullable(),
		label: PlainLabel,
		last_updated: timestamp.nullable().describe('When the data last changed (the latest revision); null when the indicator has no data.'),
		url: pageUrl,
		api_url: apiUrl
	})
);
export type IndicatorSummary = z.output<typeof IndicatorSummary>;

export const IndicatorsResponse = component(
	'IndicatorsResponse',
	'Every indicator, in the site’s order.',
	z.object({ indicators: z.array(IndicatorSummary) })
);
export type IndicatorsResponse = z.output<typeof IndicatorsResponse>;

export const AreaResponse = component(
	'AreaResponse',
	'One area and its indicators.',
	AreaSummary.extend({ indicators: z.array(IndicatorSummary) })
);
export type AreaResponse = z.output<typeof AreaResponse>;

export const Dimension = component(
	'Dimension',
	'One dimension of the data (Units, Series, GeoCode or a disaggregation such as Sex). Filter the data with `?<name>=<value>`.',
	z.object({
		name: z.string(),
		values: z.array(z.string()).describe('Every non-blank value, in data order.'),
		has_blank: z.boolean().describe('Whether some rows leave this dimension blank (the headline or total rows); filter them with `?<name>=`.'),
		default_value: z.string().describe('The value the site shows first; an empty string means the blank (headline) rows.')
	})
);

export const Target = component(
	'Target',
	'A target for the indicator or one of its series.',
	z.object({
		value: z.number(),
		year: z.int(),
		source: z.string(),
		note: z.string(),
		is_sample: z.boolean().describe('True for an illustrative sample target that has not been adopted.'),
		series: z.record(z.string(), z.string()).describe('The dimension values of the series the target is for; empty for the headline.')
	})
);

export const Projection = component(
	'Projection',
	'The series’ current trend carried forward to 2050: a projection, not data.',
	z.object({
		year: z.int(),
		value: z.number(),
		meets_target: z.boolean().nullable().describe('Null when there is no target.')
	})
);

export const ProgressStatus = component(
	'ProgressStatus',
	'Open SDG progress status of one series.',
	z.enum(['target_achieved', 'substantial_progress', 'moderate_progress', 'limited_progress', 'deterioration', 'not_available'])
);

export const SeriesProgress = component(
	'SeriesProgress',
	'The progress calculation for one series (Open SDG / Statistics Canada method).',
	z.object({
		tag: z.string().nullable().describe('The series, unit and disaggregation values the calculation used, joined with " / ".'),
		base_year: z.int().nullable(),
		base_value: z.number().nullable(),
		current_year: z.int().nullable(),
		current_value: z.number().nullable(),
		target: z.number().nullable(),
		target_year: z.int(),
		direction: z.enum(['positive', 'negative']),
		limit: z.number().nullable(),
		progress_value: z.number().nullable(),
		score: z.number().nullable(),
		status: ProgressStatus,
		target_achieved: z.boolean(),
		projection: Projection.nullable(),
		error: z.string().optional().describe('Why the series could not be selected, when it could not.')
	})
);

export const Progress = component(
	'Progress',
	'The indicator’s progress: its status, score and plain label, and the calculation for each series.',
	z.object({
		status: z.string(),
		score: z.number().nullable(),
		label: PlainLabel,
		series: z.array(SeriesProgress)
	})
);


const MetadataLink = z.object({ url: z.url(), text: z.string() });
const MetadataSections = z
	.object({
		goal: z.string().optional(),
		targetId: z.string().optional(),
		target: z.string().optional(),
		globalMetadata: MetadataLink.optional(),
		definition: z.string().optional(),
		computation: z.string().optional(),
		computationDefinitions: z.string().optional(),
		limitations: z.string().optional(),
		custodian: z.string().optional(),
		coverage: z.string().optional(),
		sources: z.array(
			z.object({
				organisation: z.string().optional(),
				link: MetadataLink.optional(),
				coverage: z.string().optional(),
				periodicity: z.string().optional(),
				releaseDate: z.string().optional().describe('The source’s own release date, as its metadata writes it (not the import date).'),
				nextRelease: z.string().optional(),
				otherInfo: z.string().optional()
			})
		),
		related: z.array(z.string())
	})
	.describe('What the indicator’s Open SDG metadata says, as plain text in the language it was written in; absent fields are left out.');

export const IndicatorResponse = component(
	'IndicatorResponse',
	'One indicator: metadata, the dimensions of its data, its targets and its progress.',
	z.object({
		id: z.string(),
		name: z.string(),
		description: z.string(),
		unit: z.string(),
		direction: Direction,
		is_sample: z.boolean().describe('True when the data is illustrative sample data, not official statistics.'),
		notice: z.string().optional().describe('Present, and to be shown with the data, when the data is sample data.'),
		source: z.object({ name: z.string(), url: z.string() }),
		graph_type: z.string(),
		reporting_status: z.string(),
		reporting_status_label: z.string().optional().describe('Present for a reporting status type of the imported repository’s own (e.g. notapplicable): its label.'),
		status_label: z.string().optional().describe('Present for a progress status of the imported repository’s own (e.g. not_available_manual): its label.'),
		non_statistical: z.boolean().describe('True for a non-statistical indicator: described, without data (its data list is empty).'),
		metadata: MetadataSections,
		area: z.object({ id: z.string(), name: z.string(), url: pageUrl, api_url: apiUrl }).nullable(),
		last_updated: timestamp.nullable(),
		url: pageUrl,
		api_url: apiUrl,
		links: z.object({ data_json: z.url(), data_csv: z.url() }),
		dimensions: z.array(Dimension),
		targets: z.array(Target),
		progress: Progress
	})
);
export type IndicatorResponse = z.output<typeof IndicatorResponse>;

// ── Data ────────────────────────────────────────────────────────────────────

export const Observation = component(
	'Observation',
	'One observation: its period as written in the source (e.g. `2015` or `2009-2010`), the year it counts as, its value, its dimension values (blank ones left out) and attributes such as COMMENT_OBS.',
	z.object({
		period: z.string(),
		year: z.int(),
		value: z.number().nullable(),
		dims: z.record(z.string(), z.string()),
		attributes: z.record(z.string(), z.string())
	})
);
export type Observation = z.output<typeof Observation>;

export const DataResponse = component(
	'DataResponse',
	'An indicator’s current observations, all of them or those matching the dimension filters.',
	z.object({
		indicator: z.string(),
		is_sample: z.boolean().describe('True when the data is illustrative sample data, not official statistics.'),
		notice: z.string().optional().describe('Present when the data is sample data.'),
		columns: z.array(z.string()).describe('The columns of the Open SDG CSV form of this data, in order.'),
		filters: z.record(z.string(), z.array(z.string())).describe('The dimension filters applied; "" stands for the blank rows.'),
		observations: z.array(Observation)
	})
);
export type DataResponse = z.output<typeof DataResponse>;

// ── Search ──────────────────────────────────────────────────────────────────

export const SearchResult = component(
	'SearchResult',
	'One area, indicator, organization, program or policy matching the query.',
	z.object({
		kind: z.enum(['area', 'indicator', 'organization', 'program', 'policy']),
		id: z.string(),
		title: z.string(),
		snippet: z.string().describe('Plain text around the words found.'),
		context: z.string().nullable().describe('For an indicator, the name of its area; null otherwise.'),
		url: pageUrl,
		api_url: apiUrl,
		score: z.number().describe('Higher is better; only comparable within one response.')
	})
);

export const SearchResponse = component(
	'SearchResponse',
	'Areas, indicators and directory records (organizations, programs, policies) matching the query, best first.',
	z.object({ query: z.string(), results: z.array(SearchResult) })
);
export type SearchResponse = z.output<typeof SearchResponse>;

// ── Stories ─────────────────────────────────────────────────────────────────

export const StoryAuthor = component(
	'StoryAuthor',
	'One author of a story: a person, a workgroup or an organization (with its directory id when it has one).',
	z.object({ kind: z.enum(['person', 'workgroup', 'organization']), name: z.string(), organization_id: z.string().nullable() })
);

export const StorySummary = component(
	'StorySummary',
	'A published story, as lists show it.',
	z.object({
		id: z.string(),
		title: z.string(),
		summary: z.string(),
		date: timestamp.nullable().describe('The publication date readers see (UTC).'),
		is_sample: z.boolean().describe('True for a sample story made up for the demonstration, not news.'),
		authors: z.array(StoryAuthor),
		indicators: z.array(z.object({ id: z.string(), name: z.string(), api_url: apiUrl })).describe('The indicators the story is about.'),
		cover: z.object({ url: z.url(), alt: z.string() }).nullable().describe('The cover image and its text alternative.'),
		url: pageUrl,
		api_url: apiUrl
	})
);

export const StoriesResponse = component('StoriesResponse', 'Every published story, newest first.', z.object({ stories: z.array(StorySummary) }));
export type StoriesResponse = z.output<typeof StoriesResponse>;

export const StoryResponse = component(
	'StoryResponse',
	'One published story: its Markdown as written and as the sanitized HTML the site shows, and what it links to.',
	StorySummary.extend({
		body_markdown: z.string(),
		body_html: z.string().describe('Sanitized HTML of the body; each embedded chart line is left out.'),
		links: z.array(z.object({ type: z.enum(['indicator', 'organization', 'program', 'policy']), id: z.string(), name: z.string() }))
	})
);
export type StoryResponse = z.output<typeof StoryResponse>;

// ── Query parameters ────────────────────────────────────────────────────────

export const MAX_QUERY_LENGTH = 200;

export const SearchQuery = z.object({
	q: z
		.string({ error: 'q is missing: give the words to search for, e.g. ?q=housing.' })
		.trim()
		.min(1, 'q is empty: give the words to search for, e.g. ?q=housing.')
		.max(MAX_QUERY_LENGTH, `q is longer than ${MAX_QUERY_LENGTH} characters: search for fewer words.`)
		.describe('The words to search for (at most 200 characters).'),
	limit: z.coerce
		.number({ error: 'limit must be a whole number from 1 to 100.' })
		.int('limit must be a whole number from 1 to 100.')
		.min(1, 'limit must be a whole number from 1 to 100.')
		.max(100, 'limit must be a whole number from 1 to 100.')
		.default(20)
		.describe('At most this many results (1–100).')
});

/** Values of one dimension filter: at most this long. */
export const MAX_FILTER_VALUE_LENGTH = 500;

/**
 * One dimension filter: every query parameter names a dimension; a repeated one matches any
 * of its values. Checked parameter by parameter (see `dataFilters`), not as a record, so that
 * a parameter named `__proto__` is seen and refused like any other unknown dimension.
 */
export const DataQuery = z.object({
	name: z.string().min(1, 'A query parameter has no name: write ?<dimension>=<value>.'),
	values: z.array(z.string().max(MAX_FILTER_VALUE_LENGTH, `A filter value is longer than ${MAX_FILTER_VALUE_LENGTH} characters.`))
});

const PlaceValue = z.object({ code: z.string(), name: z.string(), value: z.number() });

export const PlaceResponse = component(
	'PlaceResponse',
	'One place of the region (a county or city, by its GeoCode) and every indicator with data for it: its latest value, the region’s for the same period and the range of the other places.',
	z.object({
		code: z.string().describe('The GeoCode, e.g. the county FIPS code `06061`.'),
		name: z.string(),
		kind: z.string().describe('county, city, …'),
		url: pageUrl,
		areas: z.array(
			z.object({
				id: z.string().nullable().describe('null for indicators not yet in an area.'),
				name: z.string(),
				indicators: z.array(
					z.object({
						id: z.string(),
						name: z.string(),
						unit: z.string(),
						is_sample: z.boolean(),
						latest: z.object({ period: z.string(), year: z.number().int(), value: z.number() }),
						region: z.object({ period: z.string(), value: z.number() }).nullable(),
						others: z.object({ count: z.number().int(), low: PlaceValue, high: PlaceValue }).nullable(),
						url: pageUrl
					})
				)
			})
		)
	})
);
export type PlaceResponse = z.output<typeof PlaceResponse>;
