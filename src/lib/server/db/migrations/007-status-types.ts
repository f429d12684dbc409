import type { Kysely } from 'kysely';

/**
 * Status types of an imported Open SDG repository: the progress statuses and reporting
 * status types it declares in its data configuration or uses in its metadata, beyond Open
 * SDG's own, with their label and the label's translations (JSON text, language → label).
 */
export function statusTypes() {
	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema
				.createTable('status_type')
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('value', 'text', (c) => c.notNull())
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('translations', 'text', (c) => c.notNull().defaultTo('{}'))
				.addColumn('declared', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
				.addPrimaryKeyConstraint('status_type_pk', ['kind', 'value'])
				.execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			await db.schema.dropTable('status_type').ifExists().execute();
		}
	};
}
