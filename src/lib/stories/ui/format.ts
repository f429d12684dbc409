import { m } from '#lib/paraglide/messages.js';
import type { StoryAuthor } from '../server/queries.ts';

/** A story's date as readers see it, in their language (dates are kept in UTC). */
export function storyDate(iso: string | null, locale: string): string {
	return iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso)) : '';
}

/** "By Ana Ruiz and the Jobs workgroup": the authors' names joined the reader's way. */
export function authorLine(authors: readonly StoryAuthor[], locale: string): string {
	if (!authors.length) return '';
	const names = new Intl.ListFormat(locale, { type: 'conjunction' }).format(authors.map((a) => a.name));
	return m.stories_by({ authors: names });
}

/** The address of a story's cover image; the version makes a new image a new address. */
export function coverHref(id: string, version: string): string {
	return `/stories/${encodeURIComponent(id)}/cover?v=${encodeURIComponent(version)}`;
}

/** What kind of record a story links to, as a word. */
export function linkKindText(type: string): string {
	switch (type) {
		case 'indicator':
			return m.stories_link_indicator();
		case 'organization':
			return m.stories_link_organization();
		case 'program':
			return m.stories_link_program();
		default:
			return m.stories_link_policy();
	}
}
