import type { Kysely } from 'kysely';

/**
 * A staged upload keeps the choice its uploader made for two rows of one observation with
 * different values: 'error' (the default), 'keep-first' or 'keep-last'. The preview and the
 * publish both validate the file with it.
 */
export function uploadDuplicates() {
	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema.alterTable('upload_draft').addColumn('duplicates', 'text', (c) => c.notNull().defaultTo('error')).execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			await db.schema.alterTable('upload_draft').dropColumn('duplicates').execute();
		}
	};
}
