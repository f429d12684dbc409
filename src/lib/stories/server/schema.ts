/**
 * The stories' tables (migration 010-stories), in the conventions of
 * src/lib/server/db/schema.ts: ISO text timestamps, 0/1 flags, JSON as text.
 */
type Timestamp = string;
type Flag = number;
type JsonText = string;

export interface StoryTable {
	/** A slug, e.g. `jobs-come-back`: the story's address is /stories/{id}. */
	id: string;
	title: string;
	summary: string;
	/** Markdown as written; rendered and sanitized on output (src/lib/stories/render.ts). */
	body: string;
	/** draft, pending_review or published (model.ts). */
	status: string;
	/** When a published story becomes visible; null = as soon as it is published. */
	publish_at: Timestamp | null;
	/** When an editor published it (the charts' "then" values are from this moment). */
	published_at: Timestamp | null;
	/**
	 * When readers could first see it (its publication, or its scheduled time passing): set
	 * once by whichever server notices, which then has every server drop its cached pages.
	 */
	went_live_at: Timestamp | null;
	/** The account that wrote it; null for the region pack's sample stories or a removed account. */
	created_by: string | null;
	is_sample: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
}

/** A story's authors, in the order written. */
export interface StoryAuthorTable {
	story_id: string;
	position: number;
	/** person, workgroup or organization. */
	kind: string;
	name: string;
	account_id: string | null;
	/** An organization of the directory (table `organization`). */
	organization_id: string | null;
}

/** What a story is about: indicators, organizations, programs and policies. */
export interface StoryLinkTable {
	story_id: string;
	/** indicator, organization, program or policy. */
	target_type: string;
	target_id: string;
	position: number;
}

/**
 * The cover image, in the database so that every server of a deployment serves the same
 * bytes. `bytes` is a Buffer on both dialects (blob / bytea).
 */
export interface StoryCoverTable {
	story_id: string;
	content_type: string;
	byte_size: number;
	alt_text: string;
	bytes: Buffer;
	updated_at: Timestamp;
}

/** The observations an embedded chart showed when the story was published. */
export interface StoryChartSnapshotTable {
	story_id: string;
	indicator_id: string;
	/** JSON: `{ unit, points: [{ period, year, value }] }` of the headline series. */
	observations: JsonText;
	taken_at: Timestamp;
}

export interface StoryTables {
	story: StoryTable;
	story_author: StoryAuthorTable;
	story_link: StoryLinkTable;
	story_cover: StoryCoverTable;
	story_chart_snapshot: StoryChartSnapshotTable;
}
