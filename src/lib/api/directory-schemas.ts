/**
 * The shapes of the directory's API ("Who's involved": organizations, programs, policies,
 * funding and an indicator's involvement), defined once like schemas.ts: the routes build
 * bodies of these types, the query parameters are validated with them, and the OpenAPI
 * document turns them into JSON Schema. Every record carries `is_sample`.
 */
import { z } from 'zod';
import { ORGANIZATION_KINDS, SOURCE_KINDS } from '#lib/directory/model.ts';
import { MAX_QUERY_LENGTH, apiUrl, component, pageUrl } from './schemas.ts';

const isSample = z.boolean().describe('True for illustrative sample data from the region pack, not a real record.');
const notice = z.string().optional().describe('Present, and to be shown with the record, when it is sample data.');
const date = z.iso.date().nullable();
const codes = z.array(z.string()).describe('Geography codes of the region (e.g. county FIPS codes) the record serves.');

export const DirectoryRef = component(
	'DirectoryRef',
	'A directory record named from another one: its id and name, with its page and its API address.',
	z.object({ id: z.string(), name: z.string(), url: pageUrl, api_url: apiUrl })
);

export const IndicatorLink = component(
	'IndicatorLink',
	'An indicator a record aims to move (a contribution link), with the way and why when the record states them.',
	z.object({
		id: z.string(),
		name: z.string(),
		area_id: z.string().nullable(),
		direction: z.enum(['increase', 'decrease', '']).describe('`increase` or `decrease`; empty when not stated (e.g. linked through a program).'),
		note: z.string(),
		url: pageUrl,
		api_url: apiUrl
	})
);

export const YearTotal = component(
	'FundingYearTotal',
	'Funding that counts in one year (its fiscal year, or the year of its award date), in one currency: currencies are never added together.',
	z.object({ year: z.int(), amount: z.number().min(0), currency: z.string() })
);

export const KeyTotal = component(
	'FundingKeyTotal',
	'Funding per key (e.g. source kind) and currency, with the number of records it adds up.',
	z.object({ key: z.string(), amount: z.number().min(0), currency: z.string(), records: z.int().min(0) })
);

export const FundingSummary = component(
	'FundingSummary',
	'Totals of a set of funding records: per year, per source kind, and how many records count in no year.',
	z.object({
		by_year: z.array(YearTotal),
		by_source_kind: z.array(KeyTotal),
		undated_records: z.int().min(0).describe('Records with neither a fiscal year nor an award date: in no year’s total.'),
		records: z.int().min(0)
	})
);

export const FundingRecord = component(
	'FundingRecord',
	'One funding record: who gave, who received, for which program (if any), how much and when.',
	z.object({
		id: z.string().describe('As the source gives it; 360Giving identifiers contain `-`, `.`, `:` or `/`.'),
		title: z.string(),
		amount: z.number().min(0),
		currency: z.string().describe('ISO 4217.'),
		fiscal_year: z.int().nullable(),
		award_date: date,
		year: z.int().nullable().describe('The year the record counts in: its fiscal year, or the year of its award date; null for neither.'),
		source_kind: z.string().describe(`One of ${SOURCE_KINDS.join(', ')}; empty when not stated.`),
		is_sample: isSample,
		funder: DirectoryRef,
		recipient: DirectoryRef,
		program: DirectoryRef.nullable()
	})
);
export type FundingRecord = z.output<typeof FundingRecord>;

const fundingLinks = z.object({ funding_json: z.url(), funding_csv: z.url() }).describe('This record’s funding records, as JSON and as CSV.');

const organizationFields = {
	id: z.string(),
	name: z.string(),
	kind: z.enum([...ORGANIZATION_KINDS, '']).describe('Empty when not stated.'),
	mission: z.string(),
	website: z.string(),
	email: z.string(),
	phone: z.string(),
	service_area: codes,
	verified_at: date.describe('When the record was last checked with the organization; null for never.'),
	stale: z.boolean().describe('Not verified within the region’s period (or never): possibly out of date.'),
	is_sample: isSample,
	notice,
	url: pageUrl,
	api_url: apiUrl
};

export const OrganizationSummary = component(
	'OrganizationSummary',
	'One organization of the directory, with how many programs it runs and the indicators it is linked to (directly or through its programs).',
	z.object({ ...organizationFields, program_count: z.int().min(0), indicators: z.array(IndicatorLink) })
);
export type OrganizationSummary = z.output<typeof OrganizationSummary>;

const paging = {
	total: z.int().min(0).describe('Records matching the filters, on every page.'),
	page: z.int().min(1),
	pages: z.int().min(1),
	per_page: z.int().min(1),
	next: z.url().nullable().describe('The next page with the same filters; null on the last page.'),
	previous: z.url().nullable().describe('The previous page; null on the first.')
};

export const OrganizationsResponse = component(
	'OrganizationsResponse',
	'Organizations matching the filters, by name, one page at a time.',
	z.object({ organizations: z.array(OrganizationSummary), ...paging })
);
export type OrganizationsResponse = z.output<typeof OrganizationsResponse>;

const programFields = {
	id: z.string(),
	name: z.string(),
	description: z.string(),
	status: z.string().describe('planned, active, paused or ended; empty when not stated.'),
	start_date: date,
	end_date: date,
	service_area: codes,
	website: z.string(),
	organizations: z.array(DirectoryRef).describe('Who runs it; the first is the lead.'),
	is_sample: isSample,
	notice,
	url: pageUrl,
	api_url: apiUrl
};

export const ProgramSummary = component('ProgramSummary', 'One program and the organizations that run it.', z.object(programFields));
export type ProgramSummary = z.output<typeof ProgramSummary>;

export const ProgramsResponse = component(
	'ProgramsResponse',
	'Programs matching the filters, by name, one page at a time.',
	z.object({ programs: z.array(ProgramSummary), ...paging })
);
export type ProgramsResponse = z.output<typeof ProgramsResponse>;

const policyFields = {
	id: z.string(),
	name: z.string(),
	adopted_by: z.string(),
	adopted_on: date,
	status: z.string().describe('proposed, adopted, in_effect, repealed or expired; empty when not stated.'),
	document_url: z.string().describe('The policy’s own text or page, where it has one.'),
	description: z.string(),
	is_sample: isSample,
	notice,
	url: pageUrl,
	api_url: apiUrl
};

export const PolicySummary = component('PolicySummary', 'One public policy.', z.object(policyFields));
export type PolicySummary = z.output<typeof PolicySummary>;

export const PoliciesResponse = component(
	'PoliciesResponse',
	'Policies matching the filters, by name, one page at a time.',
	z.object({ policies: z.array(PolicySummary), ...paging })
);
export type PoliciesResponse = z.output<typeof PoliciesResponse>;

const fundingSide = z.object({
	summary: FundingSummary,
	latest: z.array(FundingRecord).describe('The newest records (at most 50); every one is in `links`.')
});

export const OrganizationResponse = component(
	'OrganizationResponse',
	'One organization: its programs, the indicators it is linked to, and the funding it received and gave.',
	z.object({
		...organizationFields,
		programs: z.array(ProgramSummary),
		indicators: z.array(IndicatorLink),
		funding_received: fundingSide,
		funding_given: fundingSide,
		links: fundingLinks
	})
);
export type OrganizationResponse = z.output<typeof OrganizationResponse>;

export const ProgramResponse = component(
	'ProgramResponse',
	'One program: who runs it, the indicators it aims to move and its funding.',
	z.object({ ...programFields, indicators: z.array(IndicatorLink), funding: fundingSide })
);
export type ProgramResponse = z.output<typeof ProgramResponse>;

export const PolicyResponse = component(
	'PolicyResponse',
	'One policy and the indicators it aims to move.',
	z.object({ ...policyFields, indicators: z.array(IndicatorLink) })
);
export type PolicyResponse = z.output<typeof PolicyResponse>;

const linkFields = {
	direction: z.enum(['increase', 'decrease', '']).describe('The way the record aims to move the indicator; empty when not stated.'),
	note: z.string()
};

export const InvolvedResponse = component(
	'InvolvedResponse',
	'Who is involved with an indicator: the programs and policies linked to it, the organizations linked to it or running a linked program, and the funding that reaches it per year.',
	z.object({
		indicator: DirectoryRef,
		programs: z.array(z.object({ ...programFields, ...linkFields })),
		policies: z.array(z.object({ ...policyFields, ...linkFields })),
		organizations: z.array(
			z.object({ ...organizationFields, ...linkFields, direct: z.boolean().describe('Linked to the indicator itself, not only through a program it runs.') })
		),
		funding_by_year: z.array(YearTotal).describe('The funding of its linked programs (and of its linked organizations, for records without a program), per year and currency.'),
		funding: FundingSummary,
		links: fundingLinks
	})
);
export type InvolvedResponse = z.output<typeof InvolvedResponse>;

export const FundingResponse = component(
	'FundingResponse',
	'Funding records matching the filters, newest first, with their totals.',
	z.object({
		filters: z.object({
			indicator: z.string().optional(),
			organization: z.string().optional(),
			fiscal_year: z.int().optional(),
			source_kind: z.string().optional()
		}),
		includes_sample: z.boolean().describe('True when some of the records are illustrative sample data (each says so in `is_sample`).'),
		notice,
		summary: FundingSummary,
		funding: z.array(FundingRecord),
		links: fundingLinks
	})
);
export type FundingResponse = z.output<typeof FundingResponse>;

// ── Query parameters ────────────────────────────────────────────────────────

const MAX_ID = 200;

function idParameter(name: string, what: string) {
	return z
		.string()
		.min(1, `${name} is empty: give the id of ${what}, or leave ${name} out.`)
		.max(MAX_ID, `${name} is longer than ${MAX_ID} characters: no ${what} has such an id.`)
		.optional();
}

const pageParameter = z.coerce
	.number({ error: 'page must be a whole number from 1.' })
	.int('page must be a whole number from 1.')
	.min(1, 'page must be a whole number from 1.')
	.max(1_000_000, 'page must be a whole number from 1.')
	.default(1)
	.describe('The page to give (1 is the first); `pages` in the answer says how many there are.');

const wordsParameter = z
	.string()
	.trim()
	.max(MAX_QUERY_LENGTH, `q is longer than ${MAX_QUERY_LENGTH} characters: give fewer words.`)
	.optional();

export const OrganizationsQuery = z.object({
	kind: z
		.enum(ORGANIZATION_KINDS, { error: `kind must be one of: ${ORGANIZATION_KINDS.join(', ')}.` })
		.optional()
		.describe('Only organizations of this kind.'),
	area: idParameter('area', 'an area').describe('Only organizations linked to an indicator of this area (e.g. `education`).'),
	indicator: idParameter('indicator', 'an indicator').describe('Only organizations linked to this indicator, directly or through a program they run.'),
	service_area: idParameter('service_area', 'a geography').describe('Only organizations serving this geography code (e.g. `06067`).'),
	q: wordsParameter.describe('Words in the name or mission (at most 200 characters).'),
	page: pageParameter
});

export const ProgramsQuery = z.object({
	organization: idParameter('organization', 'an organization').describe('Only programs this organization runs.'),
	indicator: idParameter('indicator', 'an indicator').describe('Only programs linked to this indicator.'),
	status: z
		.enum(['planned', 'active', 'paused', 'ended'], { error: 'status must be one of: planned, active, paused, ended.' })
		.optional()
		.describe('Only programs with this status.'),
	q: wordsParameter.describe('Words in the name or description (at most 200 characters).'),
	page: pageParameter
});

export const PoliciesQuery = z.object({
	indicator: idParameter('indicator', 'an indicator').describe('Only policies linked to this indicator.'),
	status: z
		.enum(['proposed', 'adopted', 'in_effect', 'repealed', 'expired'], { error: 'status must be one of: proposed, adopted, in_effect, repealed, expired.' })
		.optional()
		.describe('Only policies with this status.'),
	q: wordsParameter.describe('Words in the name, adopting body or description (at most 200 characters).'),
	page: pageParameter
});

export const FundingQuery = z.object({
	indicator: idParameter('indicator', 'an indicator').describe('Only the records that reach this indicator (through its linked programs, or its linked organizations for records without a program).'),
	organization: idParameter('organization', 'an organization').describe('Only the records this organization gave or received.'),
	fiscal_year: z
		.string()
		.regex(/^\d{4}$/, 'fiscal_year must be a year of four digits, e.g. 2024.')
		.optional()
		.describe('Only the records that count in this year (their fiscal year, or the year of their award date).'),
	source_kind: z
		.enum(SOURCE_KINDS, { error: `source_kind must be one of: ${SOURCE_KINDS.join(', ')}.` })
		.optional()
		.describe('Only the records from this kind of source.')
});
