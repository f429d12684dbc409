import type { Kysely } from 'kysely';

/**
 * Where a target comes from: `adopted_plan` (a plan a public body adopted) or
 * `community_process` (set with the community); '' for targets from before (imports, samples).
 * The citation or address stays in `source`.
 */
export function targetOrigin() {
	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema.alterTable('target').addColumn('origin', 'text', (c) => c.notNull().defaultTo('')).execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			await db.schema.alterTable('target').dropColumn('origin').execute();
		}
	};
}
