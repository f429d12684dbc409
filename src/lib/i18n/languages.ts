/**
 * The interface languages Sac2050 has translations for. A region turns on the ones it wants
 * in region.yml (`languages:`); every address, cookie and Accept-Language header is read
 * against that list.
 */

export interface LanguageInfo {
	/** The code used in addresses, the cookie and messages/<code>.json. */
	code: string;
	/** The language's name in itself, for the language switch. */
	nativeName: string;
	/** The name in English, for people who look after the site. */
	englishName: string;
	/** The `lang`/`hreflang` tag. */
	tag: string;
}

export const LANGUAGES = [
	{ code: 'en', nativeName: 'English', englishName: 'English', tag: 'en' },
	{ code: 'es', nativeName: 'Español', englishName: 'Spanish', tag: 'es' },
	{ code: 'zh', nativeName: '简体中文', englishName: 'Chinese (Simplified)', tag: 'zh-Hans' },
	{ code: 'vi', nativeName: 'Tiếng Việt', englishName: 'Vietnamese', tag: 'vi' },
	{ code: 'hmn', nativeName: 'Hmoob', englishName: 'Hmong', tag: 'hmn' },
	{ code: 'ru', nativeName: 'Русский', englishName: 'Russian', tag: 'ru' }
] as const satisfies readonly LanguageInfo[];

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_CODES: readonly LanguageCode[] = LANGUAGES.map((language) => language.code);

export function languageInfo(code: string): LanguageInfo | undefined {
	return LANGUAGES.find((language) => language.code === code);
}

/** Accept-Language's ranges, most wanted first (equal weights keep their order); q=0 ranges are left out. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
	if (!header) return [];
	const ranges: { tag: string; q: number; at: number }[] = [];
	header.split(',').forEach((part, at) => {
		const [rawTag, ...params] = part.trim().split(';');
		const tag = (rawTag ?? '').trim().toLowerCase();
		if (!/^[a-z]{1,8}(-[a-z0-9]{1,8})*$|^\*$/.test(tag)) return;
		let q = 1;
		for (const param of params) {
			const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
			if (m) q = Number(m[1]);
		}
		if (q > 0 && q <= 1) ranges.push({ tag, q, at });
	});
	return ranges.sort((a, b) => b.q - a.q || a.at - b.at).map((range) => range.tag);
}

/** The enabled language a range asks for: exact code or tag, else its primary subtag (zh-TW → zh). */
function matchRange<L extends string>(range: string, enabled: readonly L[]): L | undefined {
	if (range === '*') return undefined;
	const exact = enabled.find((code) => code === range || languageInfo(code)?.tag.toLowerCase() === range);
	if (exact) return exact;
	const primary = range.split('-')[0];
	return enabled.find((code) => code === primary);
}

export interface LocaleClues {
	/** The language prefix of the address, if it has one. */
	path?: string;
	/** The remembered choice (the language cookie). */
	cookie?: string;
	acceptLanguage?: string | null;
}

/**
 * The language of a response: the address's prefix, else the visitor's remembered choice,
 * else the first of their browser's languages that the region offers, else the region's
 * default. Only enabled languages are ever chosen.
 */
export function chooseLocale<L extends string>(clues: LocaleClues, enabled: readonly L[], fallback: L): L {
	const known = (code: string | undefined) => enabled.find((enabledCode) => enabledCode === code);
	const fromPath = known(clues.path);
	if (fromPath) return fromPath;
	const fromCookie = known(clues.cookie);
	if (fromCookie) return fromCookie;
	for (const range of parseAcceptLanguage(clues.acceptLanguage)) {
		const match = matchRange(range, enabled);
		if (match) return match;
	}
	return fallback;
}
