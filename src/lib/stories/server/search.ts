/**
 * Stories in the site search (src/lib/search/server/): one document per published story and
 * language — its title, summary and the words of its body. A story scheduled for later is
 * indexed when it is published and left out of results until its time comes, so the index
 * need not change at that moment.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '#lib/server/db/schema.ts';
import type { Db } from '#lib/server/db/connect.ts';
import { plainText } from '../render.ts';
import { visibleStorySamples } from './queries.ts';

export const STORY_SEARCH_KIND = 'story';

/** The published stories' searchable text (stories are written in one language: the same in each). */
export async function storySearchTexts(db: Kysely<Database> | Transaction<Database>): Promise<Array<{ ref: string; title: string; paragraphs: string[] }>> {
	const rows = await db.selectFrom('story').select(['id', 'title', 'summary', 'body']).where('status', '=', 'published').orderBy('id').execute();
	return rows.map((r) => ({ ref: r.id, title: r.title, paragraphs: [r.summary, ...plainText(r.body).split('\n')] }));
}

/** Of the story hits, the ones readers may see now, each with whether it is a sample story (labelled as such in results). */
export function visibleStories(db: Db, refs: readonly string[]): Promise<Map<string, boolean>> {
	return visibleStorySamples(db, refs);
}

export function storyUrl(ref: string): string {
	return `/stories/${encodeURIComponent(ref)}`;
}
