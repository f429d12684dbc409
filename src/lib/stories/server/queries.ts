/**
 * Reading stories: what readers see (published stories whose time has come, per the rule in
 * model.ts, applied here in SQL) and what the back office edits.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { fromFlag, fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import type { AuthorKind, LinkType, StoryStatus } from '../model.ts';
import { shownDate } from '../model.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface StoryAuthor {
	kind: AuthorKind;
	name: string;
	accountId: string | null;
	organizationId: string | null;
}

export interface StoryLink {
	type: LinkType;
	id: string;
	/** The linked record's name in the reader's language; the id when the record is gone. */
	name: string;
	/** False when nothing of that type has this id (any more). */
	exists: boolean;
}

export interface StoryCover {
	alt: string;
	contentType: string;
	byteSize: number;
	/** Changes with every new image: part of the image's address, so caches never show an old one. */
	version: string;
}

/** A story as lists show it. */
export interface StoryCard {
	id: string;
	title: string;
	summary: string;
	/** The date readers see: the scheduled time, or when it was published. */
	date: string | null;
	isSample: boolean;
	authors: StoryAuthor[];
	/** Linked indicators that exist, in the order written. */
	indicators: Array<{ id: string; name: string }>;
	cover: StoryCover | null;
}

/** A story with everything its page and its edit form need. */
export interface StoryDetail extends StoryCard {
	body: string;
	status: StoryStatus;
	publishAt: string | null;
	publishedAt: string | null;
	createdAt: string;
	updatedAt: string;
	links: StoryLink[];
}

type StoryRow = Database['story'];

async function cards(db: Executor, rows: readonly StoryRow[], locale: string): Promise<StoryDetail[]> {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const [authors, links, covers] = await Promise.all([
		db.selectFrom('story_author').selectAll().where('story_id', 'in', ids).orderBy('story_id').orderBy('position').execute(),
		db.selectFrom('story_link').selectAll().where('story_id', 'in', ids).orderBy('story_id').orderBy('position').orderBy('target_id').execute(),
		db.selectFrom('story_cover').select(['story_id', 'alt_text', 'content_type', 'byte_size', 'updated_at']).where('story_id', 'in', ids).execute()
	]);
	const names = await linkNames(
		db,
		links.map((l) => ({ type: l.target_type as LinkType, id: l.target_id })),
		locale
	);
	return rows.map((r) => {
		const storyLinks: StoryLink[] = links
			.filter((l) => l.story_id === r.id)
			.map((l) => {
				const name = names.get(`${l.target_type}:${l.target_id}`);
				return { type: l.target_type as LinkType, id: l.target_id, name: name ?? l.target_id, exists: name !== undefined };
			});
		const cover = covers.find((c) => c.story_id === r.id);
		return {
			id: r.id,
			title: r.title,
			summary: r.summary,
			body: r.body,
			status: r.status as StoryStatus,
			publishAt: r.publish_at,
			publishedAt: r.published_at,
			createdAt: r.created_at,
			updatedAt: r.updated_at,
			date: shownDate({ publishAt: r.publish_at, publishedAt: r.published_at }),
			isSample: fromFlag(r.is_sample),
			authors: authors
				.filter((a) => a.story_id === r.id)
				.map((a) => ({ kind: a.kind as AuthorKind, name: a.name, accountId: a.account_id, organizationId: a.organization_id })),
			links: storyLinks,
			indicators: storyLinks.filter((l) => l.type === 'indicator' && l.exists).map((l) => ({ id: l.id, name: l.name })),
			cover: cover
				? { alt: cover.alt_text, contentType: cover.content_type, byteSize: Number(cover.byte_size), version: String(Date.parse(cover.updated_at) || 0) }
				: null
		};
	});
}

/** The names of linked records, keyed `type:id`, in the reader's language where the catalog has it. */
async function linkNames(db: Executor, links: ReadonlyArray<{ type: LinkType; id: string }>, locale: string): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	const idsOf = (type: LinkType) => [...new Set(links.filter((l) => l.type === type).map((l) => l.id))];
	const indicatorIds = idsOf('indicator');
	if (indicatorIds.length) {
		for (const i of await db.selectFrom('indicator').select(['id', 'name', 'translations']).where('id', 'in', indicatorIds).execute()) {
			names.set(`indicator:${i.id}`, localized(i.name, fromJson<Translations>(i.translations, {}), locale, 'name'));
		}
	}
	for (const type of ['organization', 'program', 'policy'] as const) {
		const ids = idsOf(type);
		if (!ids.length) continue;
		for (const row of await db.selectFrom(type).select(['id', 'name']).where('id', 'in', ids).execute()) names.set(`${type}:${row.id}`, row.name);
	}
	return names;
}

/** Readers see a story that is published and whose publication time is not in the future (model.ts, isVisible). */
function published(db: Executor, now: Date) {
	const at = now.toISOString();
	return db
		.selectFrom('story')
		.selectAll()
		.where('status', '=', 'published')
		.where((eb) => eb.or([eb('publish_at', 'is', null), eb('publish_at', '<=', at)]));
}

/** Newest first: by the date readers see. */
function newestFirst(a: StoryDetail, b: StoryDetail): number {
	return (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title);
}

/** Every story readers may see now, newest first. */
export async function listPublishedStories(db: Db, locale: string, now: Date = new Date()): Promise<StoryDetail[]> {
	const rows = await published(db.kysely, now).execute();
	return (await cards(db.kysely, rows, locale)).sort(newestFirst);
}

/** One story, if readers may see it now. */
export async function getPublishedStory(db: Db, id: string, locale: string, now: Date = new Date()): Promise<StoryDetail | undefined> {
	const rows = await published(db.kysely, now).where('id', '=', id).execute();
	return (await cards(db.kysely, rows, locale))[0];
}

/** The published stories linked to an indicator, newest first: the indicator page's "Stories" section. */
export async function storiesForIndicator(db: Db, indicatorId: string, locale: string, now: Date = new Date()): Promise<StoryCard[]> {
	const rows = await published(db.kysely, now)
		.where('id', 'in', (eb) => eb.selectFrom('story_link').select('story_id').where('target_type', '=', 'indicator').where('target_id', '=', indicatorId))
		.execute();
	return (await cards(db.kysely, rows, locale)).sort(newestFirst);
}

/** Of the stories given, those readers may see now, each with whether it is a sample story. */
export async function visibleStorySamples(db: Db, ids: readonly string[], now: Date = new Date()): Promise<Map<string, boolean>> {
	if (!ids.length) return new Map();
	const rows = await published(db.kysely, now).clearSelect().select(['id', 'is_sample']).where('id', 'in', [...ids]).execute();
	return new Map(rows.map((r) => [r.id, fromFlag(r.is_sample)]));
}

/** The ids of the stories readers may see now, of those given. */
export async function visibleStoryIds(db: Db, ids: readonly string[], now: Date = new Date()): Promise<Set<string>> {
	if (!ids.length) return new Set();
	const rows = await published(db.kysely, now).clearSelect().select('id').where('id', 'in', [...ids]).execute();
	return new Set(rows.map((r) => r.id));
}

/** A visible story's cover image. */
export async function publishedCover(db: Db, id: string, now: Date = new Date()): Promise<{ bytes: Buffer; contentType: string; updatedAt: string } | undefined> {
	if (!(await visibleStoryIds(db, [id], now)).has(id)) return undefined;
	return storyCoverImage(db, id);
}

/** Any story's cover image (the back office's preview). */
export async function storyCoverImage(db: Db, id: string): Promise<{ bytes: Buffer; contentType: string; updatedAt: string } | undefined> {
	const row = await db.kysely.selectFrom('story_cover').select(['bytes', 'content_type', 'updated_at']).where('story_id', '=', id).executeTakeFirst();
	return row ? { bytes: Buffer.from(row.bytes), contentType: row.content_type, updatedAt: row.updated_at } : undefined;
}

/** Every story, for the back office: the most recently changed first. */
export async function listAllStories(db: Db, locale: string): Promise<StoryDetail[]> {
	const rows = await db.kysely.selectFrom('story').selectAll().orderBy('updated_at', 'desc').orderBy('id').execute();
	return cards(db.kysely, rows, locale);
}

/** Any story, whatever its status (the back office). */
export async function getStory(db: Db | Executor, id: string, locale: string): Promise<StoryDetail | undefined> {
	const executor = 'kysely' in db ? db.kysely : db;
	const rows = await executor.selectFrom('story').selectAll().where('id', '=', id).execute();
	return (await cards(executor, rows, locale))[0];
}

/** True while a sample story is published: the site-wide sample notice stays up. */
export async function hasSampleStories(db: Db): Promise<boolean> {
	return (await db.kysely.selectFrom('story').select('id').where('is_sample', '=', 1).where('status', '=', 'published').limit(1).executeTakeFirst()) !== undefined;
}
