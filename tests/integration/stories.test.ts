import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import path from 'node:path';
import type { Db } from '#lib/server/db/connect.ts';
import type { SessionUser } from '#lib/server/auth/users.ts';
import { ForbiddenError, readAuditLog } from '#lib/server/audit/log.ts';
import { readDataVersion } from '#lib/server/page-cache/data-version.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { removeSampleData } from '#lib/region/server/sample.ts';
import { validateIndicatorCsv, publishIndicatorCsv } from '#lib/indicators/server/import-csv.ts';
import { getPublishedStory, getStory, hasSampleStories, listPublishedStories, publishedCover, storiesForIndicator } from '#lib/stories/server/queries.ts';
import { createStory, publishStory, releaseDueStories, setCover, StoryIdTakenError, unpublishStory, updateStory, type StoryInput } from '#lib/stories/server/writes.ts';
import { storyCharts } from '#lib/stories/server/charts.ts';
import { resolveStoryForm } from '#lib/stories/server/admin.ts';
import { searchCatalog } from '#lib/search/server/index.ts';
import { DIALECTS, openTestDatabase, PROJECT_DIR } from '../support/databases.ts';

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

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1cf6b0000000049454e44ae426082', 'hex');

describe.each(DIALECTS)('writing, scheduling and reading stories on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;
	const pack = loadRegionPack(path.join(PROJECT_DIR, 'region'));
	const editor: SessionUser = { id: 'editor-1', name: 'Editor', email: 'editor@example.org', role: 'editor', emailVerified: true };
	const member: SessionUser = { id: 'member-1', name: 'Member', email: 'member@example.org', role: 'member', emailVerified: true };
	const story = (id: string, changes: Partial<StoryInput> = {}): StoryInput => ({
		id,
		title: `Story ${id}`,
		summary: 'A summary.',
		body: 'Some text.\n\n{{chart unemployment}}\n',
		publishAt: null,
		authors: [{ kind: 'person', name: 'Ana Ruiz' }],
		links: [{ type: 'indicator', id: 'unemployment' }],
		...changes
	});

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await seedRegion(db, pack);
		const at = new Date().toISOString();
		for (const u of [editor, member]) {
			await db.kysely
				.insertInto('auth_user')
				.values({ id: u.id, name: u.name, email: u.email, email_verified: dialect === 'postgres' ? true : 1, image: null, role: u.role, created_at: at, updated_at: at })
				.execute();
		}
	});
	afterAll(async () => close?.());

	it('the region seeding loads the sample stories, published and labelled; sample remove takes them away', async () => {
		const samples = await listPublishedStories(db, 'en');
		expect(samples.map((s) => s.id).sort()).toEqual(['clearing-the-air', 'jobs-after-two-downturns']);
		expect(samples.every((s) => s.isSample)).toBe(true);
		expect(await hasSampleStories(db)).toBe(true);
		const jobs = samples.find((s) => s.id === 'jobs-after-two-downturns')!;
		expect(jobs.indicators.map((i) => i.id)).toEqual(['unemployment', 'labor-force']);
		expect(jobs.authors).toEqual([{ kind: 'workgroup', name: 'Economy workgroup', accountId: null, organizationId: null }]);
		// Its chart kept the sample values it was published with.
		const [chart] = await storyCharts(db, jobs.id, jobs.body, 'en');
		expect(chart).toMatchObject({ indicatorId: 'unemployment', exists: true, isSample: true, changed: false });
		expect(chart!.rows[0]).toEqual({ period: '2010', then: 12.4, now: 12.4 });
		// Seeding again adds nothing.
		expect((await seedRegion(db, pack)).sampleStories).toBe(0);
	});

	it('finds published stories in the site search, by title and by their text', async () => {
		const smoke = await searchCatalog(db, 'wildfire smoke', 'en');
		expect(smoke.find((r) => r.kind === 'story')).toMatchObject({ id: 'clearing-the-air', url: '/stories/clearing-the-air', title: 'Clearing the air after the smoke years', isSample: true });
		expect((await searchCatalog(db, 'child care', 'es')).map((r) => r.id)).toContain('jobs-after-two-downturns');
		expect((await searchCatalog(db, 'wildfire smoke', 'en', { kinds: ['area', 'indicator'] })).some((r) => r.kind === 'story')).toBe(false);
	});

	it('keeps a new story as a draft nobody reads, audited, and refuses those who may not write', async () => {
		const before = await readDataVersion(db.kysely);
		await createStory(db, editor, story('draft-one'));
		expect(await getPublishedStory(db, 'draft-one', 'en')).toBeUndefined();
		expect((await getStory(db, 'draft-one', 'en'))?.status).toBe('draft');
		expect(await readDataVersion(db.kysely)).toBe(before);
		await expect(createStory(db, editor, story('draft-one'))).rejects.toBeInstanceOf(StoryIdTakenError);
		await expect(createStory(db, member, story('by-member'))).rejects.toBeInstanceOf(ForbiddenError);
		await expect(publishStory(db, member, 'draft-one')).rejects.toBeInstanceOf(ForbiddenError);
		expect(await getStory(db, 'by-member', 'en')).toBeUndefined();
		const { entries } = await readAuditLog(db, { subjectType: 'story', subjectId: 'draft-one' });
		expect(entries.map((e) => e.action)).toEqual(['stories.write']);
	});

	it('publishes now: readers see it, on its indicator too, with the chart values of that moment', async () => {
		const before = await readDataVersion(db.kysely);
		await publishStory(db, editor, 'draft-one');
		expect(await readDataVersion(db.kysely)).toBeGreaterThan(before);
		const published = await getPublishedStory(db, 'draft-one', 'en');
		expect(published?.status).toBe('published');
		expect((await storiesForIndicator(db, 'unemployment', 'en')).map((s) => s.id)).toContain('draft-one');
		expect((await storiesForIndicator(db, 'energy', 'en')).map((s) => s.id)).not.toContain('draft-one');

		// New data afterwards: the chart shows the values then and now.
		const real = validateIndicatorCsv(Buffer.from('Year,Value\n2019,3.9\n2024,4.4\n'), 'unemployment.csv');
		await publishIndicatorCsv(db, 'unemployment', real, { author: 'test', kind: 'import' });
		const [chart] = await storyCharts(db, 'draft-one', published!.body, 'en');
		expect(chart!.changed).toBe(true);
		expect(chart!.rows.find((r) => r.period === '2024')).toEqual({ period: '2024', then: 4.9, now: 4.4 });
		expect(chart!.rows.find((r) => r.period === '2010')).toEqual({ period: '2010', then: 12.4, now: null });
		expect(chart!.drawings).toHaveLength(4);
		expect(chart!.drawings[0]!.markup).toContain('<svg');

		await unpublishStory(db, editor, 'draft-one');
		expect(await getPublishedStory(db, 'draft-one', 'en')).toBeUndefined();
	});

	it('holds a scheduled story until its time, then renews the cached pages once', async () => {
		const later = new Date(Date.now() + 60 * 60 * 1000);
		await createStory(db, editor, story('scheduled', { publishAt: later.toISOString() }));
		await publishStory(db, editor, 'scheduled');
		expect(await getPublishedStory(db, 'scheduled', 'en')).toBeUndefined();
		expect((await listPublishedStories(db, 'en')).map((s) => s.id)).not.toContain('scheduled');
		expect(await releaseDueStories(db)).toEqual([]);
		// Indexed, but not a result until its time.
		expect((await searchCatalog(db, 'Story scheduled', 'en')).map((r) => r.id)).not.toContain('scheduled');

		const after = new Date(later.getTime() + 1000);
		expect((await getPublishedStory(db, 'scheduled', 'en', after))?.id).toBe('scheduled');
		const version = await readDataVersion(db.kysely);
		expect(await releaseDueStories(db, after)).toEqual(['scheduled']);
		expect(await readDataVersion(db.kysely)).toBe(version + 1);
		expect(await releaseDueStories(db, after)).toEqual([]);
		expect(await readDataVersion(db.kysely)).toBe(version + 1);

		// Moved to a later date again, it waits once more.
		await updateStory(db, editor, story('scheduled', { publishAt: new Date(Date.now() + 7200_000).toISOString() }));
		expect(await getPublishedStory(db, 'scheduled', 'en')).toBeUndefined();
	});

	it('keeps the cover bytes in the database and serves them only for a visible story', async () => {
		await setCover(db, editor, 'draft-one', { bytes: PNG, contentType: 'image/png', alt: 'A line going down' });
		expect(await publishedCover(db, 'draft-one')).toBeUndefined();
		await publishStory(db, editor, 'draft-one');
		const cover = await publishedCover(db, 'draft-one');
		expect(cover?.contentType).toBe('image/png');
		expect(Buffer.compare(cover!.bytes, PNG)).toBe(0);
		expect((await getPublishedStory(db, 'draft-one', 'en'))?.cover).toMatchObject({ alt: 'A line going down', byteSize: PNG.length });
	});

	it('checks the links of the form against the catalog and the directory', async () => {
		const at = new Date().toISOString();
		await db.kysely.insertInto('organization').values({ id: 'valley-vision', name: 'Valley Vision', kind: '', mission: '', website: '', email: '', phone: '', service_area: '[]', verified_at: null, is_sample: 0, created_at: at, updated_at: at }).execute();
		const value = { id: 'linked', title: 'Linked', summary: '', body: 'x', publishAt: null, authors: [{ kind: 'organization' as const, name: 'valley-vision' }], links: [{ type: 'organization' as const, id: 'valley-vision' }] };
		const resolved = await resolveStoryForm(db, value);
		expect(resolved.ok && resolved.input.authors).toEqual([{ kind: 'organization', name: 'Valley Vision', organizationId: 'valley-vision' }]);
		expect(await resolveStoryForm(db, { ...value, links: [{ type: 'program', id: 'nothing' }] })).toEqual({ ok: false, problems: { links: 'unknown_link' } });
		expect(await resolveStoryForm(db, { ...value, links: [{ type: 'indicator', id: 'nothing' }] })).toEqual({ ok: false, problems: { indicators: 'unknown_link' } });
	});

	it('sample remove leaves the stories people wrote', async () => {
		const removed = await removeSampleData(db, 'cli:test');
		expect(removed.stories).toEqual(['clearing-the-air', 'jobs-after-two-downturns']);
		expect(await hasSampleStories(db)).toBe(false);
		expect((await listPublishedStories(db, 'en')).map((s) => s.id)).toEqual(['draft-one']);
		expect((await searchCatalog(db, 'wildfire smoke', 'en')).some((r) => r.kind === 'story')).toBe(false);
		const written = (await searchCatalog(db, 'Story draft-one', 'en')).find((r) => r.id === 'draft-one');
		expect(written?.kind).toBe('story');
		expect(written?.isSample).toBeUndefined();
	});
});
