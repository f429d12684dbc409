/**
 * Stories: what they are and when a reader sees one. Pure (no I/O), unit-tested.
 */

export const STORY_STATUSES = ['draft', 'pending_review', 'published'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

export const AUTHOR_KINDS = ['person', 'workgroup', 'organization'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];

export const LINK_TYPES = ['indicator', 'organization', 'program', 'policy'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export function isStoryStatus(value: unknown): value is StoryStatus {
	return typeof value === 'string' && (STORY_STATUSES as readonly string[]).includes(value);
}

/** A story's id is its address: lower-case letters, digits and single hyphens, 2–80 characters. */
export const STORY_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isStoryId(value: string): boolean {
	return value.length >= 2 && value.length <= 80 && STORY_ID_PATTERN.test(value);
}

/** A story id made from a title: "Jobs come back to Sacramento!" → `jobs-come-back-to-sacramento`. */
export function slugify(title: string): string {
	return title
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80)
		.replace(/-+$/g, '');
}

export interface Schedule {
	status: string;
	/** ISO timestamp; null = visible as soon as published. */
	publishAt: string | null;
}

/**
 * The scheduling rule: a reader sees a story only when it is published and its publication
 * time (if it has one) is not in the future. Drafts and stories waiting for review are never
 * shown, whatever their date.
 */
export function isVisible(story: Schedule, now: Date = new Date()): boolean {
	if (story.status !== 'published') return false;
	if (story.publishAt === null) return true;
	const at = Date.parse(story.publishAt);
	return Number.isFinite(at) && at <= now.getTime();
}

/** The date a reader sees on a story: its scheduled time, or when it was published. */
export function shownDate(story: { publishAt: string | null; publishedAt: string | null }): string | null {
	return story.publishAt ?? story.publishedAt;
}

/** Where a published story stands for the back office: live now, or waiting for its time. */
export function publicationState(story: Schedule, now: Date = new Date()): 'draft' | 'pending_review' | 'scheduled' | 'live' {
	if (story.status === 'draft') return 'draft';
	if (story.status === 'pending_review') return 'pending_review';
	return isVisible(story, now) ? 'live' : 'scheduled';
}

/** An embedded chart: a line of its own reading `{{chart <indicator id>}}`. */
export const CHART_DIRECTIVE = /^[ \t]*\{\{\s*chart\s+([a-z0-9][a-z0-9-]*)\s*\}\}[ \t]*$/gim;

/** The indicator ids of a body's embedded charts, each once, in order. */
export function chartIndicators(markdown: string): string[] {
	const ids: string[] = [];
	for (const match of markdown.matchAll(CHART_DIRECTIVE)) {
		const id = match[1]!.toLowerCase();
		if (!ids.includes(id)) ids.push(id);
	}
	return ids;
}
