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
	actions: ['stories.write', 'stories.publish'] satisfies Action[],
	/** Public pages (server-rendered, no JavaScript needed) and the back office. */
	pages: [
		'/stories',
		'/stories/[id]',
		'/stories/[id]/cover',
		'/indicators/[id]#stories',
		'/admin/stories',
		'/admin/stories/new',
		'/admin/stories/[id]',
		'/admin/stories/[id]/preview',
		'/admin/stories/[id]/cover'
	],
	/** The open data API (src/routes/api/v1/stories, src/lib/api/server/stories.ts), in /api/v1/openapi.json. */
	apiPaths: ['/api/v1/stories', '/api/v1/stories/{id}'],
	/** The region pack's sample stories, loaded by the seeding and removed by `sac2050 sample remove` (server/sample.ts). */
	sampleData: ['region/demo/stories.yml'],
	/** Handles added to the request chain (src/hooks.server.ts) and the scheduled job. */
	handles: ['coverUploadGate (server/cover-gate.ts)'],
	jobs: ['releaseDueStories every 30 s (server/scheduler.ts)'],
	/** Kinds of record in the site search (src/lib/search/server/, documents from server/search.ts); not in the API's search. */
	searchable: ['story']
} as const;
