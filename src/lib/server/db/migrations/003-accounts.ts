import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { DialectName } from '../connect.ts';

/**
 * Accounts (the better-auth tables), the append-only audit log, rate-limit counters and
 * upload drafts awaiting publication.
 *
 * The auth_* tables belong to better-auth: on PostgreSQL they use native boolean and
 * timestamptz columns, because better-auth compares and writes them as Date and boolean
 * values there; on SQLite it writes 0/1 and ISO text like the rest of the schema.
 * src/lib/server/auth/users.ts normalizes what Sac2050 reads from them.
 */
export function accounts(dialect: DialectName) {
	const pg = dialect === 'postgres';
	const timestamp = pg ? sql.raw('timestamptz') : sql.raw('text');
	const flag = pg ? sql.raw('boolean') : sql.raw('integer');
	const falseValue = pg ? sql`false` : sql`0`;
	const id = (c: ColumnDefinitionBuilder) =>
		dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity();

	return {
		async up(db: Kysely<unknown>): Promise<void> {
			await db.schema
				.createTable('auth_user')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('email', 'text', (c) => c.notNull().unique())
				.addColumn('email_verified', flag, (c) => c.notNull().defaultTo(falseValue))
				.addColumn('image', 'text')
				.addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
				.addColumn('created_at', timestamp, (c) => c.notNull())
				.addColumn('updated_at', timestamp, (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('auth_session')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('expires_at', timestamp, (c) => c.notNull())
				.addColumn('token', 'text', (c) => c.notNull().unique())
				.addColumn('created_at', timestamp, (c) => c.notNull())
				.addColumn('updated_at', timestamp, (c) => c.notNull())
				.addColumn('ip_address', 'text')
				.addColumn('user_agent', 'text')
				.addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
				.execute();
			await db.schema.createIndex('auth_session_user').on('auth_session').column('user_id').execute();

			await db.schema
				.createTable('auth_account')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('account_id', 'text', (c) => c.notNull())
				.addColumn('provider_id', 'text', (c) => c.notNull())
				.addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
				.addColumn('access_token', 'text')
				.addColumn('refresh_token', 'text')
				.addColumn('id_token', 'text')
				.addColumn('access_token_expires_at', timestamp)
				.addColumn('refresh_token_expires_at', timestamp)
				.addColumn('scope', 'text')
				.addColumn('password', 'text')
				.addColumn('created_at', timestamp, (c) => c.notNull())
				.addColumn('updated_at', timestamp, (c) => c.notNull())
				.execute();
			await db.schema.createIndex('auth_account_user').on('auth_account').column('user_id').execute();

			await db.schema
				.createTable('auth_verification')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('identifier', 'text', (c) => c.notNull())
				.addColumn('value', 'text', (c) => c.notNull())
				.addColumn('expires_at', timestamp, (c) => c.notNull())
				.addColumn('created_at', timestamp, (c) => c.notNull())
				.addColumn('updated_at', timestamp, (c) => c.notNull())
				.execute();
			await db.schema.createIndex('auth_verification_identifier').on('auth_verification').column('identifier').execute();

			await db.schema
				.createTable('audit_log')
				.addColumn('id', 'integer', id)
				.addColumn('at', 'text', (c) => c.notNull())
				.addColumn('actor_id', 'text')
				.addColumn('actor_email', 'text', (c) => c.notNull())
				.addColumn('actor_role', 'text', (c) => c.notNull())
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('subject_type', 'text', (c) => c.notNull())
				.addColumn('subject_id', 'text', (c) => c.notNull())
				.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('before', 'text')
				.addColumn('after', 'text')
				.execute();
			await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_type', 'subject_id']).execute();

			// Append-only: nobody, not even the application, may change or remove an entry.
			if (pg) {
				await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
					begin raise exception 'audit_log is append-only: % is not allowed', tg_op; end $$`.execute(db);
				await sql`create trigger audit_log_no_update_delete before update or delete on audit_log
					for each row execute function audit_log_append_only()`.execute(db);
				await sql`create trigger audit_log_no_truncate before truncate on audit_log
					for each statement execute function audit_log_append_only()`.execute(db);
			} else {
				await sql`create trigger audit_log_no_update before update on audit_log
					begin select raise(abort, 'audit_log is append-only: UPDATE is not allowed'); end`.execute(db);
				await sql`create trigger audit_log_no_delete before delete on audit_log
					begin select raise(abort, 'audit_log is append-only: DELETE is not allowed'); end`.execute(db);
			}

			await db.schema
				.createTable('rate_limit')
				.addColumn('key', 'text', (c) => c.primaryKey())
				.addColumn('count', 'integer', (c) => c.notNull())
				// Milliseconds since the epoch when the current window ends.
				.addColumn('reset_at', 'bigint', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('upload_draft')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('indicator_id', 'text', (c) => c.notNull().references('indicator.id').onDelete('cascade'))
				.addColumn('user_id', 'text', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
				.addColumn('file_name', 'text', (c) => c.notNull())
				.addColumn('content', 'text', (c) => c.notNull())
				.addColumn('bytes', 'integer', (c) => c.notNull())
				.addColumn('checksum', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.execute();
		},

		async down(db: Kysely<unknown>): Promise<void> {
			await db.schema.dropTable('upload_draft').ifExists().execute();
			await db.schema.dropTable('rate_limit').ifExists().execute();
			await db.schema.dropTable('audit_log').ifExists().execute();
			if (pg) await sql`drop function if exists audit_log_append_only()`.execute(db);
			for (const table of ['auth_verification', 'auth_account', 'auth_session', 'auth_user']) {
				await db.schema.dropTable(table).ifExists().execute();
			}
		}
	};
}
