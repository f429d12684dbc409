import type { PageServerLoad } from './$types';
import { baseLocale } from '#lib/paraglide/runtime.js';
import { languageInfo } from '#lib/i18n/languages.ts';
import { interfaceCompleteness } from '#lib/i18n/server/catalogs.ts';
import { enabledLocales } from '#lib/i18n/server/request-locale.ts';

export const csr = false;

/** The region's languages: how much of the interface each has, and that none is reviewed yet. */
export const load: PageServerLoad = () => ({
	languages: enabledLocales().map((code) => {
		const info = languageInfo(code);
		return {
			code,
			tag: info?.tag ?? code,
			name: info?.nativeName ?? code,
			source: code === baseLocale,
			...interfaceCompleteness(code)
		};
	})
});
