/** Absolute addresses of the site's pages and the API's resources, from the request's origin. */
export interface Links {
	areaPage(id: string): string;
	areaApi(id: string): string;
	indicatorPage(id: string): string;
	indicatorApi(id: string): string;
	indicatorData(id: string, format: 'json' | 'csv'): string;
	/** A site-relative path (`/indicators/x`) made absolute. */
	absolute(path: string): string;
}

export const API_BASE = '/api/v1';

export function linksFor(origin: string): Links {
	const seg = encodeURIComponent;
	return {
		areaPage: (id) => `${origin}/areas/${seg(id)}`,
		areaApi: (id) => `${origin}${API_BASE}/areas/${seg(id)}`,
		indicatorPage: (id) => `${origin}/indicators/${seg(id)}`,
		indicatorApi: (id) => `${origin}${API_BASE}/indicators/${seg(id)}`,
		indicatorData: (id, format) => `${origin}${API_BASE}/indicators/${seg(id)}/data.${format}`,
		absolute: (path) => new URL(path, origin).href
	};
}
