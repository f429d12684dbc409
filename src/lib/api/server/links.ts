/** Absolute addresses of the site's pages and the API's resources, from the request's origin. */
export interface Links {
	areaPage(id: string): string;
	areaApi(id: string): string;
	indicatorPage(id: string): string;
	indicatorApi(id: string): string;
	indicatorData(id: string, format: 'json' | 'csv'): string;
	/** A directory record's page (`/organizations/{id}`, `/programs/{id}`, `/policies/{id}`). */
	directoryPage(type: DirectoryType, id: string): string;
	/** A directory record in the API. */
	directoryApi(type: DirectoryType, id: string): string;
	/** The funding records with these filters, as JSON or CSV. */
	fundingData(format: 'json' | 'csv', filters?: Record<string, string | number | undefined>): string;
	/** A site-relative path (`/indicators/x`) made absolute. */
	absolute(path: string): string;
}

export type DirectoryType = 'organization' | 'program' | 'policy';

export const API_BASE = '/api/v1';

/** The path segment of each directory record type, on the site and in the API. */
export const DIRECTORY_SEGMENTS: Record<DirectoryType, string> = { organization: 'organizations', program: 'programs', policy: 'policies' };

export function linksFor(origin: string): Links {
	const seg = encodeURIComponent;
	return {
		areaPage: (id) => `${origin}/areas/${seg(id)}`,
		areaApi: (id) => `${origin}${API_BASE}/areas/${seg(id)}`,
		indicatorPage: (id) => `${origin}/indicators/${seg(id)}`,
		indicatorApi: (id) => `${origin}${API_BASE}/indicators/${seg(id)}`,
		indicatorData: (id, format) => `${origin}${API_BASE}/indicators/${seg(id)}/data.${format}`,
		directoryPage: (type, id) => `${origin}/${DIRECTORY_SEGMENTS[type]}/${seg(id)}`,
		directoryApi: (type, id) => `${origin}${API_BASE}/${DIRECTORY_SEGMENTS[type]}/${seg(id)}`,
		fundingData: (format, filters = {}) => {
			const query = new URLSearchParams();
			for (const [name, value] of Object.entries(filters)) if (value !== undefined) query.set(name, String(value));
			const text = query.toString();
			return `${origin}${API_BASE}/funding.${format}${text ? `?${text}` : ''}`;
		},
		absolute: (path) => new URL(path, origin).href
	};
}
