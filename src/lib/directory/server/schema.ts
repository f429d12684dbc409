import type { Generated } from 'kysely';

/**
 * The directory's tables (migration 006-directory), in the conventions of
 * src/lib/server/db/schema.ts: ISO text dates, 0/1 flags, JSON lists as text.
 */
type Timestamp = string;
type Flag = number;
/** `YYYY-MM-DD`. */
type DateText = string;
/** A JSON array of geography codes. */
type JsonList = string;

export interface OrganizationTable {
	id: string;
	name: string;
	/** nonprofit, business, public_agency, school, funder, coalition, or '' when not stated. */
	kind: string;
	mission: string;
	website: string;
	email: string;
	phone: string;
	service_area: JsonList;
	verified_at: DateText | null;
	is_sample: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface ProgramTable {
	id: string;
	name: string;
	description: string;
	status: string;
	start_date: DateText | null;
	end_date: DateText | null;
	service_area: JsonList;
	website: string;
	is_sample: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
}

/** The organizations that run a program, in the order written. */
export interface ProgramOrganizationTable {
	program_id: string;
	organization_id: string;
	position: number;
}

export interface PolicyTable {
	id: string;
	name: string;
	/** The adopting body, as written (e.g. "Sacramento City Council"). */
	adopted_by: string;
	adopted_on: DateText | null;
	status: string;
	url: string;
	description: string;
	is_sample: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface FundingTable {
	id: string;
	funder_id: string;
	recipient_id: string;
	program_id: string | null;
	title: string;
	amount: number;
	/** ISO 4217 code. */
	currency: string;
	fiscal_year: number | null;
	award_date: DateText | null;
	/** federal, state, local, philanthropy, private, or ''. */
	source_kind: string;
	is_sample: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface ContributionLinkTable {
	/** program, policy or organization. */
	subject_type: string;
	subject_id: string;
	indicator_id: string;
	/** increase or decrease: the way the subject aims to move the indicator. */
	direction: string;
	note: string;
	is_sample: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
}

/**
 * One change to a directory record. A new record is one row with field '' (its first values
 * are its current values, or the old value of each field's first later change).
 */
export interface DirectoryChangeTable {
	id: Generated<number>;
	/** organization, program, policy, funding or link. */
	record_type: string;
	/** The record's id; for a link `subject_type:subject_id:indicator_id`. */
	record_id: string;
	field: string;
	old_value: string | null;
	new_value: string | null;
	/** Who made the change: `cli:<user>`, an account, or `region pack`. */
	author: string;
	/** Where it came from, e.g. the imported file. */
	source: string;
	at: Timestamp;
}

/** A member's claim to represent an organization (migration 009). */
export interface OrganizationRepresentativeTable {
	organization_id: string;
	user_id: string;
	/** pending, approved, rejected or revoked. */
	status: string;
	/** What the member wrote with the claim, or the reason of the decision. */
	note: string;
	requested_at: Timestamp;
	decided_at: Timestamp | null;
	/** The e-mail of who decided, or `automatic`. */
	decided_by: string | null;
	/** 1 when approved because the member's e-mail domain is the organization's. */
	automatic: Flag;
}

export interface DirectoryTables {
	organization: OrganizationTable;
	program: ProgramTable;
	program_organization: ProgramOrganizationTable;
	policy: PolicyTable;
	funding: FundingTable;
	contribution_link: ContributionLinkTable;
	directory_change: DirectoryChangeTable;
	organization_representative: OrganizationRepresentativeTable;
}
