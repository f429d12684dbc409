import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import { DIALECTS, openTestDatabase } from '../support/databases.ts';

type Loose = Kysely<Record<string, Record<string, unknown>>>;

describe.each(DIALECTS)('stories on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	const at = '2026-01-01T00:00:00.000Z';

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		const k = db.kysely as unknown as Loose;
		await k.insertInto('area').values({ id: 'jobs', name: 'Jobs' }).execute();
		await k.insertInto('indicator').values({ id: 'unemployment', area_id: 'jobs', name: 'Unemployment', created_at: at, updated_at: at }).execute();
		await k.insertInto('organization').values({ id: 'city', name: 'City of Sacramento', created_at: at, updated_at: at }).execute();
	});
	afterAll(async () => close());

	it('migration 010-stories keeps a story, its authors, links and cover bytes, with integrity', async () => {
		const k = db.kysely as unknown as Loose;
		await k.insertInto('story').values({ id: 'raw', title: 'Raw', created_at: at, updated_at: at }).execute();
		const story = await db.kysely.selectFrom('story').selectAll().where('id', '=', 'raw').executeTakeFirstOrThrow();
		expect(story).toMatchObject({ status: 'draft', summary: '', body: '', publish_at: null, is_sample: 0 });
		await expect(k.insertInto('story').values({ id: 'bad', title: 'Bad', status: 'live', created_at: at, updated_at: at }).execute()).rejects.toThrow();

		await k.insertInto('story_author').values({ story_id: 'raw', position: 0, kind: 'organization', name: 'City', organization_id: 'city' }).execute();
		await expect(k.insertInto('story_author').values({ story_id: 'raw', position: 1, kind: 'robot', name: 'X' }).execute()).rejects.toThrow();
		await expect(k.insertInto('story_author').values({ story_id: 'raw', position: 1, kind: 'organization', name: 'X', organization_id: 'nobody' }).execute()).rejects.toThrow();
		await k.insertInto('story_link').values({ story_id: 'raw', target_type: 'indicator', target_id: 'unemployment' }).execute();
		await expect(k.insertInto('story_link').values({ story_id: 'raw', target_type: 'indicator', target_id: 'unemployment' }).execute()).rejects.toThrow();

		const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]);
		await expect(k.insertInto('story_cover').values({ story_id: 'raw', content_type: 'image/png', byte_size: 7, alt_text: '', bytes, updated_at: at }).execute()).rejects.toThrow();
		await k.insertInto('story_cover').values({ story_id: 'raw', content_type: 'image/png', byte_size: 7, alt_text: 'A chart', bytes, updated_at: at }).execute();
		const cover = await db.kysely.selectFrom('story_cover').selectAll().executeTakeFirstOrThrow();
		expect(Buffer.compare(Buffer.from(cover.bytes), bytes)).toBe(0);

		await db.kysely.deleteFrom('organization').where('id', '=', 'city').execute();
		expect((await db.kysely.selectFrom('story_author').select('organization_id').executeTakeFirstOrThrow()).organization_id).toBeNull();
		await db.kysely.deleteFrom('story').where('id', '=', 'raw').execute();
		for (const table of ['story_author', 'story_link', 'story_cover'] as const) expect(await db.kysely.selectFrom(table).selectAll().execute()).toEqual([]);
	});
});
