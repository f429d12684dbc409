import type { Reroute } from '@sveltejs/kit/hooks';
import { offeredLocales } from '#lib/i18n/offered.ts';
import { splitLocalePath } from '#lib/i18n/paths.ts';

/**
 * `/es/indicators/unemployment` is the route `/indicators/unemployment` in Spanish: the
 * prefix is the page's language (src/lib/i18n/paths.ts). A prefix of a language the region
 * does not offer is not one: `/zh/...` is then an unknown page, a 404.
 */
export const reroute: Reroute = ({ url }) => splitLocalePath(url.pathname, offeredLocales())?.path;
