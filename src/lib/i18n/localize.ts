/** Translations stored with a catalog row: `{ es: { name: '…', description: '…' } }`. */
export type Translations = Record<string, Record<string, string>>;

/** The row's text in `locale`, falling back to the text in the region's default language. */
export function localized(fallback: string, translations: Translations, locale: string, field: string): string {
	const text = translations[locale]?.[field];
	return text && text.trim() ? text : fallback;
}
