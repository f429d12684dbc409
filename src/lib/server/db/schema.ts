import type { ColumnType, Generated } from 'kysely';
import type { DirectoryTables } from '#lib/directory/server/schema.ts';
import type { StoryTables } from '#lib/stories/server/schema.ts';

/**
 * Column conventions, identical on SQLite and PostgreSQL (see values.ts):
 * - timestamps are ISO-8601 text in UTC;
 * - booleans are integers 0/1;
 * - JSON documents are text;
 * - ids of catalog rows (areas, indicators) are slugs or Open SDG ids such as `1-2-1`.
 */
type Timestamp = string;
type Flag = number;
type JsonText = string;

export interface SettingTable {
	key: string;
	value: JsonText;
	updated_at: Timestamp;
}

export interface GeographyTable {
	code: string;
	name: string;
	kind: string;
	position: number;
	translations: JsonText;
}

export interface AreaTable {
	id: string;
	position: number;
	name: string;
	question: string;
	description: string;
	translations: JsonText;
}

export interface IndicatorTable {
	id: string;
	area_id: string | null;
	position: number;
	name: string;
	description: string;
	unit: string;
	direction: 'positive' | 'negative' | null;
	source_name: string;
	source_url: string;
	translations: JsonText;
	/** Open SDG metadata kept as imported, for round trips. */
	metadata: JsonText;
	/** auto_progress_calculation, progress_calculation_options, progress_status */
	progress_config: JsonText;
	graph_type: string;
	reporting_status: string;
	/** 1 when the indicator's current data is illustrative sample data. */
	is_sample: Flag;
	current_revision_id: number | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface RevisionTable {
	id: Generated<number>;
	indicator_id: string;
	number: number;
	kind: 'seed' | 'import' | 'upload' | 'rollback';
	author: string;
	source: string;
	checksum: string;
	/** Column order of the source file, so an export writes the same columns back. */
	columns: JsonText;
	row_count: number;
	rows_added: number;
	rows_removed: number;
	rows_changed: number;
	is_sample: Flag;
	note: string;
	created_at: Timestamp;
}

export interface SeriesTable {
	id: Generated<number>;
	indicator_id: string;
	/** Canonical JSON of `dims`, unique per indicator. */
	key: string;
	/** Units, Series, GeoCode and disaggregation values; blank ones left out. */
	dims: JsonText;
}

export interface ObservationTable {
	revision_id: number;
	series_id: number;
	/** The period as written in the source, e.g. `2015` or `2009-2010`. */
	period: string;
	/** First four digits of the period. */
	year: number;
	value: number | null;
	/** Observation attributes such as COMMENT_OBS; null when none. */
	attributes: JsonText | null;
	/** Source line, so that later messages can point at it. */
	position: number;
}

export interface TargetTable {
	id: Generated<number>;
	indicator_id: string;
	/** Canonical series key the target applies to; '' for the headline. */
	series_key: string;
	value: number;
	year: number;
	source: string;
	/** 'adopted_plan', 'community_process', or '' when not recorded (migration 005). */
	origin: Generated<string>;
	note: string;
	is_sample: Flag;
	created_at: ColumnType<Timestamp, Timestamp, never>;
}

export interface ProgressTable {
	indicator_id: string;
	status: string;
	score: number | null;
	label: string;
	/** The full IndicatorProgress result, series components included. */
	result: JsonText;
	computed_at: Timestamp;
}

/** One row (id 1): the number that goes up with every change a page can show. */
export interface DataVersionTable {
	id: number;
	version: number;
	updated_at: Timestamp;
}

/**
 * The better-auth tables (see migration 003-accounts): on PostgreSQL `email_verified` is a
 * boolean and the timestamps are timestamptz (read as Date); on SQLite 0/1 and ISO text.
 */
type AuthTimestamp = ColumnType<string | Date, string | Date, string | Date>;
type AuthFlag = ColumnType<number | boolean, number | boolean, number | boolean>;

export interface AuthUserTable {
	id: string;
	name: string;
	email: string;
	email_verified: AuthFlag;
	image: string | null;
	/** member, editor, reviewer, moderator or admin (src/lib/server/auth/permissions.ts). */
	role: string;
	created_at: AuthTimestamp;
	updated_at: AuthTimestamp;
}

export interface AuthSessionTable {
	id: string;
	expires_at: AuthTimestamp;
	token: string;
	created_at: AuthTimestamp;
	updated_at: AuthTimestamp;
	ip_address: string | null;
	user_agent: string | null;
	user_id: string;
}

export interface AuthAccountTable {
	id: string;
	account_id: string;
	provider_id: string;
	user_id: string;
	access_token: string | null;
	refresh_token: string | null;
	id_token: string | null;
	access_token_expires_at: AuthTimestamp | null;
	refresh_token_expires_at: AuthTimestamp | null;
	scope: string | null;
	password: string | null;
	created_at: AuthTimestamp;
	updated_at: AuthTimestamp;
}

export interface AuthVerificationTable {
	id: string;
	identifier: string;
	value: string;
	expires_at: AuthTimestamp;
	created_at: AuthTimestamp;
	updated_at: AuthTimestamp;
}

/** Append-only (database triggers refuse UPDATE and DELETE): one row per privileged write. */
export interface AuditLogTable {
	id: Generated<number>;
	at: Timestamp;
	actor_id: string | null;
	/** Kept as written at the time, so the entry still names its author if the account goes. */
	actor_email: string;
	actor_role: string;
	/** A permission action, e.g. `data.publish` (src/lib/server/auth/permissions.ts). */
	action: string;
	subject_type: string;
	subject_id: string;
	summary: string;
	before: JsonText | null;
	after: JsonText | null;
}

export interface RateLimitTable {
	key: string;
	count: number;
	/** Milliseconds since the epoch when the current window ends. */
	reset_at: number;
}

/** A validated upload waiting for its author to publish or cancel it. */
export interface UploadDraftTable {
	id: string;
	indicator_id: string;
	user_id: string;
	file_name: string;
	content: string;
	bytes: number;
	checksum: string;
	created_at: Timestamp;
	/** Two rows for one observation with different values: 'error', 'keep-first' or 'keep-last' (migration 008). */
	duplicates: Generated<string>;
}

export interface StatusTypeTable {
	/** 'progress' or 'reporting'. */
	kind: string;
	value: string;
	label: string;
	/** JSON: language → label. */
	translations: JsonText;
	declared: number;
	position: number;
}

/** The directory's and the stories' tables are declared in their own folders. */
export interface Database extends DirectoryTables, StoryTables {
	setting: SettingTable;
	geography: GeographyTable;
	area: AreaTable;
	indicator: IndicatorTable;
	revision: RevisionTable;
	series: SeriesTable;
	observation: ObservationTable;
	target: TargetTable;
	progress: ProgressTable;
	data_version: DataVersionTable;
	auth_user: AuthUserTable;
	auth_session: AuthSessionTable;
	auth_account: AuthAccountTable;
	auth_verification: AuthVerificationTable;
	audit_log: AuditLogTable;
	rate_limit: RateLimitTable;
	upload_draft: UploadDraftTable;
	status_type: StatusTypeTable;
}
