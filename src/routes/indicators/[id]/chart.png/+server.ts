import type { RequestHandler } from './$types';
import { chartDownload } from '#lib/indicators/server/chart-download.ts';

export const GET: RequestHandler = ({ params, url, locals }) => chartDownload(params.id, locals.locale, url.searchParams, 'png');
