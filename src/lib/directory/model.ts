/**
 * The context directory's records ("Who's involved?", docs COMMUNITY.md §1): organizations,
 * the programs they run, public policies, funding records and contribution links from a
 * program, policy or organization to an indicator. Pure types and vocabularies, no I/O.
 */

export const ORGANIZATION_KINDS = ['nonprofit', 'business', 'public_agency', 'school', 'funder', 'coalition'] as const;
export const PROGRAM_STATUSES = ['planned', 'active', 'paused', 'ended'] as const;
export const POLICY_STATUSES = ['proposed', 'adopted', 'in_effect', 'repealed', 'expired'] as const;
export const SOURCE_KINDS = ['federal', 'state', 'local', 'philanthropy', 'private'] as const;
export const LINK_SUBJECT_TYPES = ['program', 'policy', 'organization'] as const;
export const LINK_DIRECTIONS = ['increase', 'decrease'] as const;

export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export type LinkSubjectType = (typeof LINK_SUBJECT_TYPES)[number];

/** Dates are `YYYY-MM-DD`; '' in a vocabulary field means "not stated". */
export interface Organization {
	id: string;
	name: string;
	kind: OrganizationKind | '';
	mission: string;
	website: string;
	email: string;
	phone: string;
	/** Geography codes of the region pack. */
	serviceArea: string[];
	verifiedAt: string | null;
	isSample: boolean;
}

export interface Program {
	id: string;
	name: string;
	/** At least one; the first is the lead. */
	organizationIds: string[];
	description: string;
	status: string;
	startDate: string | null;
	endDate: string | null;
	serviceArea: string[];
	website: string;
	isSample: boolean;
}

export interface Policy {
	id: string;
	name: string;
	adoptedBy: string;
	adoptedOn: string | null;
	status: string;
	url: string;
	description: string;
	isSample: boolean;
}

export interface Funding {
	id: string;
	funderId: string;
	recipientId: string;
	programId: string | null;
	title: string;
	/** Never negative, in `currency`. */
	amount: number;
	/** ISO 4217. */
	currency: string;
	fiscalYear: number | null;
	awardDate: string | null;
	sourceKind: string;
	isSample: boolean;
}

export interface ContributionLink {
	subjectType: LinkSubjectType;
	subjectId: string;
	indicatorId: string;
	direction: string;
	note: string;
	isSample: boolean;
}

export interface DirectoryRecords {
	organizations: Organization[];
	programs: Program[];
	policies: Policy[];
	funding: Funding[];
	links: ContributionLink[];
}

/** The record types of the change history. */
export type RecordType = 'organization' | 'program' | 'policy' | 'funding' | 'link';

/** A link's id in the change history: `program:after-school-tutoring|3rd-grade-reading`. */
export function linkKey(link: Pick<ContributionLink, 'subjectType' | 'subjectId' | 'indicatorId'>): string {
	return `${link.subjectType}:${link.subjectId}|${link.indicatorId}`;
}

/**
 * The year a funding record counts in (COMMUNITY.md §1): its fiscal year, or the year of its
 * award date when there is no fiscal year.
 */
export function fundingYear(record: Pick<Funding, 'fiscalYear' | 'awardDate'>): number | null {
	if (record.fiscalYear !== null) return record.fiscalYear;
	return record.awardDate ? Number(record.awardDate.slice(0, 4)) : null;
}

/** Ids: letters, digits and `. _ : / -`, starting with a letter or digit (360Giving identifiers fit). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
