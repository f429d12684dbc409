/**
 * Writing stories. Every change goes through the audited path (src/lib/server/audit/): the
 * permission check, the change and its audit entry in one transaction, and a new data
 * version so that every server shows the change on its next page.
 */
import type { Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { now, toFlag, toJson } from '#lib/server/db/values.ts';
import { privilegedTransaction, type AuditActor } from '#lib/server/audit/log.ts';
import { bumpDataVersion } from '#lib/server/page-cache/data-version.ts';
import { chartIndicators, isVisible, type AuthorKind, type LinkType } from '../model.ts';
import { headlinePoints } from './charts.ts';
import { rebuildSearchIndex } from '#lib/search/server/index.ts';

export interface StoryInput {
	id: string;
	title: string;
	summary: string;
	body: string;
	/** ISO timestamp, or null to show the story as soon as it is published. */
	publishAt: string | null;
	authors: Array<{ kind: AuthorKind; name: string; accountId?: string | null; organizationId?: string | null }>;
	links: Array<{ type: LinkType; id: string }>;
}

export interface CoverInput {
	bytes: Buffer;
	contentType: string;
	alt: string;
}

/** A new story whose id another story has. */
export class StoryIdTakenError extends Error {
	override name = 'StoryIdTakenError';
}

/** A change to a story that is not there (any more). */
export class StoryMissingError extends Error {
	override name = 'StoryMissingError';
}

async function writeParts(trx: Transaction<Database>, input: StoryInput): Promise<void> {
	await trx.deleteFrom('story_author').where('story_id', '=', input.id).execute();
	await trx.deleteFrom('story_link').where('story_id', '=', input.id).execute();
	if (input.authors.length) {
		await trx
			.insertInto('story_author')
			.values(
				input.authors.map((a, position) => ({
					story_id: input.id,
					position,
					kind: a.kind,
					name: a.name,
					account_id: a.accountId ?? null,
					organization_id: a.organizationId ?? null
				}))
			)
			.execute();
	}
	const seen = new Set<string>();
	const links = input.links.filter((l) => !seen.has(`${l.type}:${l.id}`) && seen.add(`${l.type}:${l.id}`));
	if (links.length) {
		await trx
			.insertInto('story_link')
			.values(links.map((l, position) => ({ story_id: input.id, target_type: l.type, target_id: l.id, position })))
			.execute();
	}
}

function auditView(input: StoryInput): Record<string, unknown> {
	return { title: input.title, summary: input.summary, publishAt: input.publishAt, authors: input.authors, links: input.links, bodyLength: input.body.length };
}

async function currentState(trx: Transaction<Database>, id: string) {
	const story = await trx.selectFrom('story').selectAll().where('id', '=', id).executeTakeFirst();
	if (!story) throw new StoryMissingError(`There is no story "${id}".`);
	return story;
}

/** Writes a new story as a draft. */
export async function createStory(db: Db, actor: AuditActor, input: StoryInput, options: { isSample?: boolean } = {}): Promise<void> {
	await privilegedTransaction(db, actor, 'stories.write', { type: 'story', id: input.id }, async (trx) => {
		const taken = await trx.selectFrom('story').select('id').where('id', '=', input.id).executeTakeFirst();
		if (taken) throw new StoryIdTakenError(`A story with the address "${input.id}" exists already.`);
		const at = now();
		await trx
			.insertInto('story')
			.values({
				id: input.id,
				title: input.title,
				summary: input.summary,
				body: input.body,
				status: 'draft',
				publish_at: input.publishAt,
				published_at: null,
				went_live_at: null,
				created_by: actor.id,
				is_sample: toFlag(options.isSample ?? false),
				created_at: at,
				updated_at: at
			})
			.execute();
		await writeParts(trx, input);
		return { result: undefined, audit: { subjectType: 'story', subjectId: input.id, summary: `Wrote the story "${input.title}" (draft)`, before: null, after: auditView(input) } };
	});
}

/**
 * Saves an existing story's text, date, authors and links; its status stays. A published
 * story's new text is what readers see at once (so the data version goes up).
 */
export async function updateStory(db: Db, actor: AuditActor, input: StoryInput): Promise<void> {
	const published = await privilegedTransaction(db, actor, 'stories.write', { type: 'story', id: input.id }, async (trx) => {
		const before = await currentState(trx, input.id);
		const live = isVisible({ status: before.status, publishAt: input.publishAt });
		await trx
			.updateTable('story')
			.set({
				title: input.title,
				summary: input.summary,
				body: input.body,
				publish_at: input.publishAt,
				// Moved to a later date, it waits again for its time to come.
				went_live_at: before.status === 'published' ? (live ? (before.went_live_at ?? now()) : null) : null,
				updated_at: now()
			})
			.where('id', '=', input.id)
			.execute();
		await writeParts(trx, input);
		if (before.status === 'published') {
			await takeChartSnapshots(trx, input.id, input.body, false);
			await bumpDataVersion(db, trx);
		}
		return {
			result: before.status === 'published',
			audit: { subjectType: 'story', subjectId: input.id, summary: `Edited the story "${input.title}"`, before: { title: before.title, publishAt: before.publish_at }, after: auditView(input) }
		};
	});
	if (published) await rebuildSearchIndex(db);
}

/** Asks an editor to publish the story. */
export async function submitStory(db: Db, actor: AuditActor, id: string): Promise<void> {
	await setStatus(db, actor, 'stories.write', id, 'pending_review', 'Sent the story "%s" for review');
}

/** Takes a story off the site; it stays as a draft. */
export async function unpublishStory(db: Db, actor: AuditActor, id: string): Promise<void> {
	await setStatus(db, actor, 'stories.publish', id, 'draft', 'Took the story "%s" off the site (draft again)');
}

async function setStatus(db: Db, actor: AuditActor, action: 'stories.write' | 'stories.publish', id: string, status: 'draft' | 'pending_review', summary: string): Promise<void> {
	await privilegedTransaction(db, actor, action, { type: 'story', id }, async (trx) => {
		const before = await currentState(trx, id);
		await trx.updateTable('story').set({ status, went_live_at: null, updated_at: now() }).where('id', '=', id).execute();
		if (before.status === 'published') await bumpDataVersion(db, trx);
		return { result: undefined, audit: { subjectType: 'story', subjectId: id, summary: summary.replace('%s', before.title), before: { status: before.status }, after: { status } } };
	});
	await rebuildSearchIndex(db);
}

/**
 * Publishes a story: readers see it now, or at its scheduled time. The embedded charts'
 * values are kept as they are at this moment, to show beside the values of the day.
 */
export async function publishStory(db: Db, actor: AuditActor, id: string): Promise<void> {
	await privilegedTransaction(db, actor, 'stories.publish', { type: 'story', id }, async (trx) => {
		const before = await currentState(trx, id);
		const at = now();
		const live = isVisible({ status: 'published', publishAt: before.publish_at });
		await trx
			.updateTable('story')
			.set({ status: 'published', published_at: at, went_live_at: live ? at : null, updated_at: at })
			.where('id', '=', id)
			.execute();
		await takeChartSnapshots(trx, id, before.body, true);
		await bumpDataVersion(db, trx);
		const when = live ? 'now' : `from ${before.publish_at}`;
		return { result: undefined, audit: { subjectType: 'story', subjectId: id, summary: `Published the story "${before.title}" (${when})`, before: { status: before.status }, after: { status: 'published', publishAt: before.publish_at } } };
	});
	// The search index holds published stories (a scheduled one is left out of results until its time).
	await rebuildSearchIndex(db);
}

/**
 * Keeps the headline values of each embedded chart. `replace`: at publication, every chart
 * anew; otherwise (an edit of a published story) only charts added since.
 */
export async function takeChartSnapshots(trx: Transaction<Database>, storyId: string, body: string, replace: boolean): Promise<void> {
	const ids = chartIndicators(body);
	if (replace) await trx.deleteFrom('story_chart_snapshot').where('story_id', '=', storyId).execute();
	const kept = new Set((await trx.selectFrom('story_chart_snapshot').select('indicator_id').where('story_id', '=', storyId).execute()).map((r) => r.indicator_id));
	const at = now();
	for (const indicatorId of ids) {
		if (kept.has(indicatorId)) continue;
		const points = await headlinePoints(trx, indicatorId);
		if (!points) continue;
		await trx.insertInto('story_chart_snapshot').values({ story_id: storyId, indicator_id: indicatorId, observations: toJson(points), taken_at: at }).execute();
	}
}

/** Sets (or replaces) a story's cover image and its text alternative. */
export async function setCover(db: Db, actor: AuditActor, storyId: string, cover: CoverInput): Promise<void> {
	await privilegedTransaction(db, actor, 'stories.write', { type: 'story', id: storyId }, async (trx) => {
		const story = await currentState(trx, storyId);
		const at = now();
		const values = { content_type: cover.contentType, byte_size: cover.bytes.length, alt_text: cover.alt, bytes: cover.bytes, updated_at: at };
		await trx
			.insertInto('story_cover')
			.values({ story_id: storyId, ...values })
			.onConflict((oc) => oc.column('story_id').doUpdateSet(values))
			.execute();
		await trx.updateTable('story').set({ updated_at: at }).where('id', '=', storyId).execute();
		if (story.status === 'published') await bumpDataVersion(db, trx);
		return {
			result: undefined,
			audit: { subjectType: 'story', subjectId: storyId, summary: `Set the cover image of "${story.title}" (${cover.contentType}, ${cover.bytes.length} bytes)`, before: null, after: { contentType: cover.contentType, byteSize: cover.bytes.length, alt: cover.alt } }
		};
	});
}

/** Changes the cover image's text alternative only. */
export async function setCoverAlt(db: Db, actor: AuditActor, storyId: string, alt: string): Promise<void> {
	await privilegedTransaction(db, actor, 'stories.write', { type: 'story', id: storyId }, async (trx) => {
		const story = await currentState(trx, storyId);
		const before = await trx.selectFrom('story_cover').select('alt_text').where('story_id', '=', storyId).executeTakeFirst();
		if (!before) throw new StoryMissingError(`The story "${storyId}" has no cover image.`);
		await trx.updateTable('story_cover').set({ alt_text: alt }).where('story_id', '=', storyId).execute();
		if (story.status === 'published') await bumpDataVersion(db, trx);
		return { result: undefined, audit: { subjectType: 'story', subjectId: storyId, summary: `Changed the cover image's text of "${story.title}"`, before: { alt: before.alt_text }, after: { alt } } };
	});
}

/** Removes a story's cover image. */
export async function removeCover(db: Db, actor: AuditActor, storyId: string): Promise<void> {
	await privilegedTransaction(db, actor, 'stories.write', { type: 'story', id: storyId }, async (trx) => {
		const story = await currentState(trx, storyId);
		await trx.deleteFrom('story_cover').where('story_id', '=', storyId).execute();
		if (story.status === 'published') await bumpDataVersion(db, trx);
		return { result: undefined, audit: { subjectType: 'story', subjectId: storyId, summary: `Removed the cover image of "${story.title}"`, before: null, after: null } };
	});
}

/**
 * Scheduled publication: marks the published stories whose time has come as live and, when
 * there are any, raises the data version so every server drops the pages it kept without
 * them. Whichever server runs it first does the work; the others find nothing to do.
 */
export async function releaseDueStories(db: Db, at: Date = new Date()): Promise<string[]> {
	const iso = at.toISOString();
	return db.kysely.transaction().execute(async (trx) => {
		const due = await trx
			.updateTable('story')
			.set({ went_live_at: iso })
			.where('status', '=', 'published')
			.where('went_live_at', 'is', null)
			.where('publish_at', '<=', iso)
			.returning('id')
			.execute();
		if (due.length) await bumpDataVersion(db, trx);
		return due.map((r) => r.id);
	});
}
