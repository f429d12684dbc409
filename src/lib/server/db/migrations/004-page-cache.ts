import { sql, type Kysely } from 'kysely';

/**
 * The data version: one row whose number goes up with every change a page can show
 * (publish, rollback, seed, import, settings). Rendered pages are cached per version, so
 * every server that reads a new number stops serving pages of the old one.
 */
export function pageCache() {
	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema
				.createTable('data_version')
				.addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
				.addColumn('version', 'bigint', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await sql`insert into data_version (id, version, updated_at) values (1, 1, ${new Date().toISOString()})`.execute(db);
		},

		async down(db: Kysely<unknown>): Promise<void> {
			await db.schema.dropTable('data_version').ifExists().execute();
		}
	};
}
