/**
 * What stories add to Sac2050 (docs ARCHITECTURE.md, "As the capabilities multiply"): read
 * this to find everything of the capability without searching the code.
 */
import type { Action } from '#lib/server/auth/permissions.ts';

export const storiesManifest = {
	name: 'stories',
	/** Migration 010-stories; types in server/schema.ts. */
	tables: ['story', 'story_author', 'story_link', 'story_cover', 'story_chart_snapshot'],
	/** Permission actions (src/lib/server/auth/permissions.ts): editors and admins do both. */
	actions: [] as Action[],
	/** Public pages and the back office. */
	pages: [] as string[],
	/** Kinds of record in the site search (src/lib/search/server/). */
	searchable: [] as string[]
} as const;
