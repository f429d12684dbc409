import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../connect.ts';

/**
 * Stories (src/lib/stories): the story with its Markdown body, status and scheduled
 * publication; its authors (a person, a workgroup or an organization of the directory); its
 * links to indicators, organizations, programs and policies; its cover image, stored in the
 * database (blob / bytea) so every server of a deployment serves it; and the observations
 * each embedded chart showed when the story was published.
 */
export function stories(dialect: DialectName) {
	const bytes = dialect === 'sqlite' ? 'blob' : 'bytea';

	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema
				.createTable('story')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'pending_review', 'published')`))
				.addColumn('publish_at', 'text')
				.addColumn('published_at', 'text')
				.addColumn('went_live_at', 'text')
				.addColumn('created_by', 'text', (c) => c.references('auth_user.id').onDelete('set null'))
				.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('story_status_publish_at').on('story').columns(['status', 'publish_at']).execute();

			await db.schema
				.createTable('story_author')
				.addColumn('story_id', 'text', (c) => c.notNull().references('story.id').onDelete('cascade'))
				.addColumn('position', 'integer', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('person', 'workgroup', 'organization')`))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('account_id', 'text', (c) => c.references('auth_user.id').onDelete('set null'))
				.addColumn('organization_id', 'text', (c) => c.references('organization.id').onDelete('set null'))
				.addPrimaryKeyConstraint('story_author_pk', ['story_id', 'position'])
				.execute();

			await db.schema
				.createTable('story_link')
				.addColumn('story_id', 'text', (c) => c.notNull().references('story.id').onDelete('cascade'))
				.addColumn('target_type', 'text', (c) => c.notNull().check(sql`target_type in ('indicator', 'organization', 'program', 'policy')`))
				.addColumn('target_id', 'text', (c) => c.notNull())
				.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
				.addPrimaryKeyConstraint('story_link_pk', ['story_id', 'target_type', 'target_id'])
				.execute();
			await db.schema.createIndex('story_link_target').on('story_link').columns(['target_type', 'target_id']).execute();

			await db.schema
				.createTable('story_cover')
				.addColumn('story_id', 'text', (c) => c.primaryKey().references('story.id').onDelete('cascade'))
				.addColumn('content_type', 'text', (c) => c.notNull())
				.addColumn('byte_size', 'integer', (c) => c.notNull())
				.addColumn('alt_text', 'text', (c) => c.notNull().check(sql`length(alt_text) > 0`))
				.addColumn('bytes', sql.raw(bytes), (c) => c.notNull())
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('story_chart_snapshot')
				.addColumn('story_id', 'text', (c) => c.notNull().references('story.id').onDelete('cascade'))
				.addColumn('indicator_id', 'text', (c) => c.notNull())
				.addColumn('observations', 'text', (c) => c.notNull())
				.addColumn('taken_at', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('story_chart_snapshot_pk', ['story_id', 'indicator_id'])
				.execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			for (const table of ['story_chart_snapshot', 'story_cover', 'story_link', 'story_author', 'story']) {
				await db.schema.dropTable(table).ifExists().execute();
			}
		}
	};
}
