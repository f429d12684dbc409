import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../connect.ts';

/**
 * The search index: one document per catalog row (area or indicator) and language.
 *
 * - SQLite: an FTS5 virtual table; `unicode61 remove_diacritics 2` makes "poblacion" find
 *   "población". kind, ref and lang are stored but not indexed.
 * - PostgreSQL: a plain table with a `document` tsvector (the 'simple' configuration over
 *   text that the application has already folded: lower case, accents removed) and a GIN
 *   index. No extension (unaccent) is needed, so it works for any database user.
 *
 * The rows are derived data: src/lib/search/server/index.ts rebuilds them from the catalog.
 */
export function search(dialect: DialectName) {
	return {
		async up(db: Kysely<unknown>): Promise<void> {
			if (dialect === 'sqlite') {
				await sql`create virtual table search_document using fts5(
					kind unindexed,
					ref unindexed,
					lang unindexed,
					title,
					body,
					tokenize = 'unicode61 remove_diacritics 2',
					prefix = '2 3'
				)`.execute(db);
				return;
			}
			await db.schema
				.createTable('search_document')
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('ref', 'text', (c) => c.notNull())
				.addColumn('lang', 'text', (c) => c.notNull())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('body', 'text', (c) => c.notNull())
				.addColumn('document', sql`tsvector`, (c) => c.notNull())
				.addPrimaryKeyConstraint('search_document_pk', ['kind', 'ref', 'lang'])
				.execute();
			await sql`create index search_document_fts on search_document using gin (document)`.execute(db);
		},

		async down(db: Kysely<unknown>): Promise<void> {
			await db.schema.dropTable('search_document').ifExists().execute();
		}
	};
}
