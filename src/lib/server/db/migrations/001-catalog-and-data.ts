import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { DialectName } from '../connect.ts';

/** Areas, indicators, geographies, settings, and the revisioned observation store. */
export function catalogAndData(dialect: DialectName) {
	const id = (c: ColumnDefinitionBuilder) =>
		dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();
	const real = dialect === 'sqlite' ? 'real' : 'double precision';

	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema
				.createTable('setting')
				.addColumn('key', 'text', (c) => c.primaryKey())
				.addColumn('value', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('geography')
				.addColumn('code', 'text', (c) => c.primaryKey())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('translations', 'text', (c) => c.notNull().defaultTo('{}'))
				.execute();

			await db.schema
				.createTable('area')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('question', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('translations', 'text', (c) => c.notNull().defaultTo('{}'))
				.execute();

			await db.schema
				.createTable('indicator')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('area_id', 'text', (c) => c.references('area.id').onDelete('set null'))
				.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('unit', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('direction', 'text')
				.addColumn('source_name', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('source_url', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('translations', 'text', (c) => c.notNull().defaultTo('{}'))
				.addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
				.addColumn('progress_config', 'text', (c) => c.notNull().defaultTo('{}'))
				.addColumn('graph_type', 'text', (c) => c.notNull().defaultTo('line'))
				.addColumn('reporting_status', 'text', (c) => c.notNull().defaultTo('notstarted'))
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('current_revision_id', 'integer')
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('indicator_area').on('indicator').columns(['area_id', 'position']).execute();

			await db.schema
				.createTable('revision')
				.addColumn('id', 'integer', id)
				.addColumn('indicator_id', 'text', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
				.addColumn('number', 'integer', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('author', 'text', (c) => c.notNull())
				.addColumn('source', 'text', (c) => c.notNull())
				.addColumn('checksum', 'text', (c) => c.notNull())
				.addColumn('columns', 'text', (c) => c.notNull())
				.addColumn('row_count', 'integer', (c) => c.notNull())
				.addColumn('rows_added', 'integer', (c) => c.notNull())
				.addColumn('rows_removed', 'integer', (c) => c.notNull())
				.addColumn('rows_changed', 'integer', (c) => c.notNull())
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addUniqueConstraint('revision_indicator_number', ['indicator_id', 'number'])
				.execute();

			await db.schema
				.createTable('series')
				.addColumn('id', 'integer', id)
				.addColumn('indicator_id', 'text', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
				.addColumn('key', 'text', (c) => c.notNull())
				.addColumn('dims', 'text', (c) => c.notNull())
				.addUniqueConstraint('series_indicator_key', ['indicator_id', 'key'])
				.execute();

			// Clustered by revision, so one indicator's current data is one contiguous range.
			let observation = db.schema
				.createTable('observation')
				.addColumn('revision_id', 'integer', (c) => c.notNull())
				.addColumn('series_id', 'integer', (c) => c.notNull())
				.addColumn('period', 'text', (c) => c.notNull())
				.addColumn('year', 'integer', (c) => c.notNull())
				.addColumn('value', sql.raw(real))
				.addColumn('attributes', 'text')
				.addColumn('position', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('observation_pk', ['revision_id', 'series_id', 'period']);
			if (dialect === 'sqlite') observation = observation.modifyEnd(sql`without rowid`);
			await observation.execute();

			await db.schema
				.createTable('target')
				.addColumn('id', 'integer', id)
				.addColumn('indicator_id', 'text', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
				.addColumn('series_key', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('value', sql.raw(real), (c) => c.notNull())
				.addColumn('year', 'integer', (c) => c.notNull())
				.addColumn('source', 'text', (c) => c.notNull())
				.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('target_indicator').on('target').column('indicator_id').execute();

			await db.schema
				.createTable('progress')
				.addColumn('indicator_id', 'text', (c) => c.primaryKey().references('indicator.id').onDelete('cascade'))
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('score', sql.raw(real))
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('result', 'text', (c) => c.notNull())
				.addColumn('computed_at', 'text', (c) => c.notNull())
				.execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			for (const table of ['progress', 'target', 'observation', 'series', 'revision', 'indicator', 'area', 'geography', 'setting']) {
				await db.schema.dropTable(table).ifExists().execute();
			}
		}
	};
}
