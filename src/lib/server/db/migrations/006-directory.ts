import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { DialectName } from '../connect.ts';

/**
 * The context directory (src/lib/directory): organizations, programs and the organizations
 * that run them, policies, funding records, contribution links to indicators, and the change
 * history of every directory record. Lists (service areas) are JSON text; dates are
 * `YYYY-MM-DD` text; amounts are doubles in the record's own currency.
 */
export function directory(dialect: DialectName) {
	const id = (c: ColumnDefinitionBuilder) =>
		dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
	const real = dialect === 'sqlite' ? 'real' : 'double precision';

	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema
				.createTable('organization')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('mission', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('service_area', 'text', (c) => c.notNull().defaultTo('[]'))
				.addColumn('verified_at', 'text')
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();

			// Performance measures will be series in the observation store, keyed by program id.
			await db.schema
				.createTable('program')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('status', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('start_date', 'text')
				.addColumn('end_date', 'text')
				.addColumn('service_area', 'text', (c) => c.notNull().defaultTo('[]'))
				.addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('program_organization')
				.addColumn('program_id', 'text', (c) => c.notNull().references('program.id').onDelete('cascade'))
				.addColumn('organization_id', 'text', (c) => c.notNull().references('organization.id').onDelete('cascade'))
				.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
				.addPrimaryKeyConstraint('program_organization_pk', ['program_id', 'organization_id'])
				.execute();
			await db.schema.createIndex('program_organization_organization').on('program_organization').column('organization_id').execute();

			await db.schema
				.createTable('policy')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('adopted_by', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('adopted_on', 'text')
				.addColumn('status', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('url', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('funding')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('funder_id', 'text', (c) => c.notNull().references('organization.id'))
				.addColumn('recipient_id', 'text', (c) => c.notNull().references('organization.id'))
				.addColumn('program_id', 'text', (c) => c.references('program.id').onDelete('set null'))
				.addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('amount', sql.raw(real), (c) => c.notNull())
				.addColumn('currency', 'text', (c) => c.notNull())
				.addColumn('fiscal_year', 'integer')
				.addColumn('award_date', 'text')
				.addColumn('source_kind', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('funding_recipient').on('funding').column('recipient_id').execute();
			await db.schema.createIndex('funding_funder').on('funding').column('funder_id').execute();
			await db.schema.createIndex('funding_program').on('funding').column('program_id').execute();

			await db.schema
				.createTable('contribution_link')
				.addColumn('subject_type', 'text', (c) => c.notNull())
				.addColumn('subject_id', 'text', (c) => c.notNull())
				.addColumn('indicator_id', 'text', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
				.addColumn('direction', 'text', (c) => c.notNull())
				.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('contribution_link_pk', ['subject_type', 'subject_id', 'indicator_id'])
				.execute();
			await db.schema.createIndex('contribution_link_indicator').on('contribution_link').column('indicator_id').execute();

			await db.schema
				.createTable('directory_change')
				.addColumn('id', 'integer', id)
				.addColumn('record_type', 'text', (c) => c.notNull())
				.addColumn('record_id', 'text', (c) => c.notNull())
				.addColumn('field', 'text', (c) => c.notNull())
				.addColumn('old_value', 'text')
				.addColumn('new_value', 'text')
				.addColumn('author', 'text', (c) => c.notNull())
				.addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('directory_change_record').on('directory_change').columns(['record_type', 'record_id', 'id']).execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			for (const table of ['directory_change', 'contribution_link', 'funding', 'policy', 'program_organization', 'program', 'organization']) {
				await db.schema.dropTable(table).ifExists().execute();
			}
		}
	};
}
