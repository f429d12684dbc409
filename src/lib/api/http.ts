/**
 * What every open data API response shares: CORS for GET, a strong ETag (a hash of the
 * body) answered with 304 on a matching If-None-Match, a short public cache lifetime, and
 * errors as `{ error: { status, code, message, parameter? } }` in JSON — never the HTML
 * error page.
 */
import { createHash } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import type { ApiErrorBody, ErrorCode } from './schemas.ts';
import { databaseUnavailableLogLine, isDatabaseUnavailable } from '../server/db/storage-errors.ts';

export const CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';
export const ALLOWED_METHODS = 'GET, OPTIONS';

const CORS_HEADERS: Record<string, string> = {
	'Access-Control-Allow-Origin': '*',
	'Access-Control-Expose-Headers': 'ETag, Content-Disposition'
};

/** An error the API answers with its own status and message. */
export class ApiError extends Error {
	readonly status: number;
	readonly code: ErrorCode;
	readonly parameter: string | undefined;
	readonly allowed: string[] | undefined;

	constructor(status: number, code: ErrorCode, message: string, options: { parameter?: string; allowed?: string[] } = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.parameter = options.parameter;
		this.allowed = options.allowed;
	}

	toBody(): ApiErrorBody {
		const error: ApiErrorBody['error'] = { status: this.status, code: this.code, message: this.message };
		if (this.parameter !== undefined) error.parameter = this.parameter;
		if (this.allowed !== undefined) error.allowed = this.allowed;
		return { error };
	}
}

export function notFound(message: string): ApiError {
	return new ApiError(404, 'not_found', message);
}

export function badParameter(parameter: string, message: string, code: ErrorCode = 'invalid_parameter', allowed?: string[]): ApiError {
	return new ApiError(400, code, message, allowed ? { parameter, allowed } : { parameter });
}

/** A strong validator for a body: a hash of its bytes. */
export function etagOf(body: string | Uint8Array): string {
	return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match (a list, `*`, weak or strong tags) against the current tag, compared weakly as RFC 9110 says. */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
	if (!header) return false;
	if (header.trim() === '*') return true;
	const opaque = etag.replace(/^W\//, '');
	return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

export interface BodyOptions {
	/** The body depends on the visitor's language (Accept-Language or the language cookie). */
	localized?: boolean;
	headers?: Record<string, string>;
}

/** A 200 response, or 304 without a body when the client already has this exact body. */
export function cachedResponse(request: Request, body: string, contentType: string, options: BodyOptions = {}): Response {
	const etag = etagOf(body);
	const headers = new Headers({
		...CORS_HEADERS,
		'Cache-Control': CACHE_CONTROL,
		ETag: etag,
		...(options.localized ? { Vary: 'Accept-Language, Cookie' } : {})
	});
	if (matchesIfNoneMatch(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
	headers.set('Content-Type', contentType);
	for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
	return new Response(body, { status: 200, headers });
}

/** A JSON body of the type one of the API's schemas describes. */
export function jsonResponse<S extends z.ZodType>(request: Request, _schema: S, body: z.output<S>, options: BodyOptions = {}): Response {
	return cachedResponse(request, JSON.stringify(body), 'application/json; charset=utf-8', options);
}

export function csvResponse(request: Request, csv: string, filename: string): Response {
	return cachedResponse(request, csv, 'text/csv; charset=utf-8', {
		headers: { 'Content-Disposition': `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"` }
	});
}

export function errorResponse(error: ApiError): Response {
	const headers = new Headers({ ...CORS_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
	if (error.status === 405) headers.set('Allow', ALLOWED_METHODS);
	return new Response(JSON.stringify(error.toBody()), { status: error.status, headers });
}

/**
 * Wraps a GET handler: an ApiError becomes its JSON error response; anything else is
 * logged and answered with a JSON 500 that reveals nothing of the server.
 */
export function apiGet<E extends RequestEvent>(handler: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			if (error instanceof ApiError) return errorResponse(error);
			if (isDatabaseUnavailable(error)) {
				console.error(`[${event.request.method} ${event.url.pathname}] ${databaseUnavailableLogLine('The request', 'named by DATABASE_URL', error)}`);
				return errorResponse(new ApiError(503, 'service_unavailable', "The site's database cannot be reached; try again later."));
			}
			console.error(`[${event.request.method} ${event.url.pathname}]`, error);
			return errorResponse(new ApiError(500, 'internal_error', 'Something went wrong on the server; try again later.'));
		}
	};
}

/** The CORS preflight answer for every API route. */
export function preflight(): Response {
	return new Response(null, {
		status: 204,
		headers: {
			...CORS_HEADERS,
			'Access-Control-Allow-Methods': ALLOWED_METHODS,
			'Access-Control-Allow-Headers': 'If-None-Match, Accept, Accept-Language',
			'Access-Control-Max-Age': '86400'
		}
	});
}

/** Any other method on an API route. */
export function methodNotAllowed({ request }: RequestEvent): Response {
	return errorResponse(new ApiError(405, 'method_not_allowed', `${request.method} is not supported here: the API is read-only (GET, OPTIONS).`));
}

/** An unknown path under the API. */
export function unknownPath({ url }: RequestEvent): Response {
	// Directory ids may hold a / (360Giving identifiers), which splits the path unless encoded.
	const slashInId = /^\/api\/v1\/(organizations|programs|policies)\/[^/]+\/./.test(url.pathname) ? ' An id that holds a / is written with %2F in its place.' : '';
	return errorResponse(notFound(`There is nothing at ${url.pathname}: see /api/v1/openapi.json for the API's paths.${slashInId}`));
}

// ── Query parameters ────────────────────────────────────────────────────────

/**
 * Every query parameter with all its values, in order, in an object without a prototype:
 * a parameter may be named `toString`, `constructor` or `__proto__`.
 */
export function queryValues(url: URL): Record<string, string[]> {
	const values: Record<string, string[]> = Object.create(null);
	for (const [name, value] of url.searchParams) (values[name] ??= []).push(value);
	return values;
}

/**
 * The query parameters as dimension filters (`DataQuery` checks each one); a problem becomes
 * a 400 that names the parameter.
 */
export function dataFilters(url: URL, schema: z.ZodType<{ name: string; values: string[] }>): Record<string, string[]> {
	const filters = queryValues(url);
	for (const [name, values] of Object.entries(filters)) {
		const result = schema.safeParse({ name, values });
		if (!result.success) throw badParameter(name, result.error.issues[0]?.message ?? 'The query is not valid.');
	}
	return filters;
}

/**
 * The named parameters, each given at most once, validated with `schema`; the first
 * problem becomes a 400 that names the parameter. Other parameters are ignored.
 */
export function parseQuery<S extends z.ZodObject>(url: URL, schema: S): z.output<S> {
	const input: Record<string, string> = {};
	for (const name of Object.keys(schema.shape)) {
		const values = url.searchParams.getAll(name);
		if (values.length > 1) throw badParameter(name, `${name} is given ${values.length} times: give it once.`);
		if (values[0] !== undefined) input[name] = values[0];
	}
	return validate(schema, input);
}

/** `input` validated with `schema`; the first problem becomes a 400 that names its parameter. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const parameter = issue?.path[0];
	throw badParameter(typeof parameter === 'string' ? parameter : '', issue?.message ?? 'The query is not valid.');
}
