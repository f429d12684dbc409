import type { RequestHandler } from './$types';
import { preflight, unknownPath } from '#lib/api/http.ts';

/** Any other path under the API: a JSON 404, not the site's HTML page. */
export const OPTIONS: RequestHandler = preflight;
export const fallback: RequestHandler = unknownPath;
