import type { LayoutServerLoad } from './$types';
import { getDb, getRegion } from '#lib/server/context.ts';
import { hasSampleData } from '#lib/indicators/server/catalog.ts';
import { localized } from '#lib/i18n/localize.ts';

export const load: LayoutServerLoad = async ({ locals }) => {
	const { settings } = getRegion();
	const locale = locals.locale;
	return {
		locale,
		region: {
			name: localized(settings.name, settings.translations, locale, 'name'),
			shortName: localized(settings.shortName, settings.translations, locale, 'shortName'),
			tagline: localized(settings.tagline, settings.translations, locale, 'tagline'),
			colors: settings.colors
		},
		hasSample: await hasSampleData(await getDb())
	};
};
