import type { Kysely } from 'kysely';

/**
 * Who keeps a directory organization: a member's claim to represent it, pending until an
 * editor or admin decides (or approved at once when the member's verified e-mail domain is
 * the organization's website domain). An approved representative edits that organization's
 * profile and programs.
 */
export function directoryRepresentatives() {
	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema
				.createTable('organization_representative')
				.addColumn('organization_id', 'text', (c) => c.notNull().references('organization.id').onDelete('cascade'))
				.addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('requested_at', 'text', (c) => c.notNull())
				.addColumn('decided_at', 'text')
				.addColumn('decided_by', 'text')
				.addColumn('automatic', 'integer', (c) => c.notNull().defaultTo(0))
				.addPrimaryKeyConstraint('organization_representative_pk', ['organization_id', 'user_id'])
				.execute();
			await db.schema.createIndex('organization_representative_user').on('organization_representative').columns(['user_id', 'status']).execute();
			await db.schema.createIndex('organization_representative_status').on('organization_representative').columns(['status', 'requested_at']).execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			await db.schema.dropTable('organization_representative').ifExists().execute();
		}
	};
}
