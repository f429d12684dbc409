/**
 * The region pack's sample stories (`demo/stories.yml`): read and checked, loaded by the
 * region seeding with the rest of the sample data, and removed with it (`sac2050 sample
 * remove`). Every sample story is labelled as sample data wherever it is shown.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import type { Database } from '#lib/server/db/schema.ts';
import { now } from '#lib/server/db/values.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { AUTHOR_KINDS, chartIndicators, isStoryId } from '../model.ts';
import { takeChartSnapshots } from './writes.ts';

export const SAMPLE_STORIES_FILE = 'demo/stories.yml';

const fileSchema = z.object({
	sample: z.literal(true, { message: 'must be true: sample stories are made up and must be labelled as samples (write "sample: true" at the top of the file)' }),
	stories: z.array(
		z.object({
			id: z.string().refine(isStoryId, 'must be lowercase letters, digits and single hyphens, such as jobs-after-two-downturns'),
			title: z.string().min(1).max(200),
			summary: z.string().max(500).default(''),
			authors: z.array(z.object({ kind: z.enum(AUTHOR_KINDS), name: z.string().min(1).max(200) })).default([]),
			indicators: z.array(z.string()).default([]),
			body: z.string().min(1)
		})
	)
});

export type SampleStory = z.infer<typeof fileSchema>['stories'][number];

/** The pack's sample stories ([] when it has none), checked against its indicator slugs. */
export function readSampleStories(packDir: string, indicatorSlugs: ReadonlySet<string>): SampleStory[] {
	const file = path.join(packDir, SAMPLE_STORIES_FILE);
	if (!existsSync(file)) return [];
	const fail = (at: string, problem: string) => {
		throw new UserFacingError(`Region pack ${file}${at ? `, ${at}` : ''}: ${problem}`);
	};
	let raw: unknown;
	try {
		raw = parse(readFileSync(file, 'utf8'));
	} catch (error) {
		fail('', `not valid YAML (${(error as Error).message})`);
	}
	const parsed = fileSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		fail(issue.path.join('.'), issue.message);
	}
	const stories = parsed.data!.stories;
	const seen = new Set<string>();
	stories.forEach((story, i) => {
		if (seen.has(story.id)) fail(`stories.${i}.id`, `a second story "${story.id}"; give each story its own id`);
		seen.add(story.id);
		for (const slug of [...story.indicators, ...chartIndicators(story.body)]) {
			if (!indicatorSlugs.has(slug)) fail(`stories.${i}`, `no indicator has the slug "${slug}"; use a slug from indicators.yml`);
		}
	});
	return stories;
}

/** Adds the sample stories that are not in the database yet, published now; returns how many. */
export async function seedSampleStories(db: Db, stories: readonly SampleStory[]): Promise<number> {
	if (!stories.length) return 0;
	return db.kysely.transaction().execute(async (trx) => {
		let added = 0;
		for (const story of stories) if (await addSampleStory(trx, story)) added++;
		return added;
	});
}

async function addSampleStory(trx: Transaction<Database>, story: SampleStory): Promise<boolean> {
	const at = now();
	const inserted = await trx
		.insertInto('story')
		.values({
			id: story.id,
			title: story.title,
			summary: story.summary,
			body: story.body,
			status: 'published',
			publish_at: null,
			published_at: at,
			went_live_at: at,
			created_by: null,
			is_sample: 1,
			created_at: at,
			updated_at: at
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
	if (story.authors.length) {
		await trx
			.insertInto('story_author')
			.values(story.authors.map((a, position) => ({ story_id: story.id, position, kind: a.kind, name: a.name, account_id: null, organization_id: null })))
			.execute();
	}
	if (story.indicators.length) {
		await trx
			.insertInto('story_link')
			.values([...new Set(story.indicators)].map((id, position) => ({ story_id: story.id, target_type: 'indicator', target_id: id, position })))
			.execute();
	}
	await takeChartSnapshots(trx, story.id, story.body, true);
	return true;
}

/** Deletes every sample story (authors, links, cover and snapshots go with it); returns how many. */
export async function removeSampleStories(trx: Transaction<Database>): Promise<string[]> {
	const rows = await trx.deleteFrom('story').where('is_sample', '=', 1).returning('id').execute();
	return rows.map((r) => r.id).sort();
}
