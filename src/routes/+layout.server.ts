import type { LayoutServerLoad } from './$types';
import { languageInfo } from '#lib/i18n/languages.ts';
import { delocalizePath, isLocalizablePath } from '#lib/i18n/paths.ts';
import { enabledLocales } from '#lib/i18n/server/request-locale.ts';
import { getDb, getRegion } from '#lib/server/context.ts';
import { hasSampleData } from '#lib/indicators/server/catalog.ts';
import { hasSampleStories } from '#lib/stories/server/queries.ts';
import { localized } from '#lib/i18n/localize.ts';
import { can } from '#lib/server/auth/permissions.ts';
import { applyRegionOverrides, readRegionOverrides } from '#lib/region/server/settings.ts';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	const db = await getDb();
	const settings = applyRegionOverrides(getRegion().settings, await readRegionOverrides(db));
	const locale = locals.locale;
	const enabled = enabledLocales();
	const user = locals.user;
	return {
		// Signed-in visitors get their name, the back-office link and the sign-out form's token;
		// anonymous pages carry none of it, so they can be cached for everyone.
		user: user ? { name: user.name, canAdmin: can(user, 'admin.view') } : null,
		csrf: user ? locals.csrf() : null,
		locale,
		// The route's own path (without a language prefix), and the languages to offer.
		path: delocalizePath(url.pathname, enabled),
		localizable: isLocalizablePath(delocalizePath(url.pathname, enabled)),
		languages: enabled.map((code) => ({ code, name: languageInfo(code)?.nativeName ?? code, tag: languageInfo(code)?.tag ?? code })),
		region: {
			name: localized(settings.name, settings.translations, locale, 'name'),
			shortName: localized(settings.shortName, settings.translations, locale, 'shortName'),
			tagline: localized(settings.tagline, settings.translations, locale, 'tagline'),
			about: localized(settings.about, settings.translations, locale, 'about'),
			contact: localized(settings.contact, settings.translations, locale, 'contact'),
			repositoryUrl: settings.repositoryUrl,
			colors: settings.colors
		},
		hasSample: (await hasSampleData(db)) || (await hasSampleStories(db))
	};
};
