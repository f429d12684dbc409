/** A message catalog as in messages/<code>.json: keys to text or variant lists. */
export type MessageCatalog = Record<string, unknown>;

function hasText(value: unknown): boolean {
	if (typeof value === 'string') return value.trim() !== '';
	return Array.isArray(value) && value.length > 0;
}

/** How many of the base catalog's messages `translated` has (the schema line not counted). */
export function translationCompleteness(base: MessageCatalog, translated: MessageCatalog): { done: number; total: number } {
	const keys = Object.keys(base).filter((key) => key !== '$schema');
	return { done: keys.filter((key) => hasText(translated[key])).length, total: keys.length };
}
