import { baseLocale } from '#lib/paraglide/runtime.js';
import { translationCompleteness, type MessageCatalog } from '../completeness.ts';

// The catalogs as they were when the site was built (the messages Paraglide compiled).
const catalogs = import.meta.glob<MessageCatalog>('/messages/*.json', { eager: true, import: 'default' });

function catalog(code: string): MessageCatalog {
	return catalogs[`/messages/${code}.json`] ?? {};
}

/** How much of the interface text `code` has, against the base language's. */
export function interfaceCompleteness(code: string): { done: number; total: number } {
	return translationCompleteness(catalog(baseLocale), catalog(code));
}
