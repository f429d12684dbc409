import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Db } from '#lib/server/db/connect.ts';
import { DIALECTS, openTestDatabase } from '../support/databases.ts';

describe.each(DIALECTS)('the directory on %s', (dialect) => {
	let db: Db;
	let close: () => Promise<void>;

	beforeAll(async () => {
		({ db, close } = await openTestDatabase(dialect));
		await (db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto('area').values({ id: 'jobs', name: 'Jobs' }).execute();
		await (db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto('indicator').values({ id: 'unemployment', area_id: 'jobs', name: 'Unemployment', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }).execute();
	});
	afterAll(async () => close());

	it('keeps organizations, programs, policies, funding, links and their history, with integrity', async () => {
		// Column defaults of the migration are under test, so rows are written as loosely as SQL allows.
		const k = db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>;
		const at = '2026-01-01T00:00:00.000Z';
		const stamps = { created_at: at, updated_at: at };
		await k.insertInto('organization').values({ id: 'city', name: 'City', ...stamps }).execute();
		await k.insertInto('organization').values({ id: 'fund', name: 'Fund', kind: 'funder', ...stamps }).execute();
		await k.insertInto('program').values({ id: 'jobs-program', name: 'Jobs program', ...stamps }).execute();
		await k.insertInto('program_organization').values({ program_id: 'jobs-program', organization_id: 'city', position: 0 }).execute();
		await k.insertInto('policy').values({ id: 'plan', name: 'General Plan', adopted_on: '2024-05-01', ...stamps }).execute();
		await k
			.insertInto('funding')
			.values({ id: 'g1', funder_id: 'fund', recipient_id: 'city', program_id: 'jobs-program', amount: 1234.5, currency: 'USD', fiscal_year: 2024, ...stamps })
			.execute();
		await k.insertInto('contribution_link').values({ subject_type: 'program', subject_id: 'jobs-program', indicator_id: 'unemployment', direction: 'decrease', ...stamps }).execute();
		await k.insertInto('directory_change').values({ record_type: 'funding', record_id: 'g1', field: 'amount', old_value: '1000', new_value: '1234.5', author: 'test', at }).execute();

		const funding = await db.kysely.selectFrom('funding').selectAll().executeTakeFirstOrThrow();
		expect(funding.amount).toBe(1234.5);
		expect(funding.is_sample).toBe(0);
		await expect(
			k.insertInto('funding').values({ id: 'g2', funder_id: 'nobody', recipient_id: 'city', amount: 1, currency: 'USD', ...stamps }).execute()
		).rejects.toThrow();
		await expect(k.insertInto('contribution_link').values({ subject_type: 'program', subject_id: 'jobs-program', indicator_id: 'unemployment', direction: 'increase', ...stamps }).execute()).rejects.toThrow();
		await db.kysely.deleteFrom('program').where('id', '=', 'jobs-program').execute();
		expect(await db.kysely.selectFrom('program_organization').selectAll().execute()).toEqual([]);
		expect((await db.kysely.selectFrom('funding').select('program_id').executeTakeFirstOrThrow()).program_id).toBeNull();
	});
});
