import { m } from '#lib/paraglide/messages.js';
import { ORGANIZATION_KINDS, PROGRAM_STATUSES, SOURCE_KINDS } from '../model.ts';
import { sourceKindLabel } from '../source-kinds.ts';

/** A directory field's label in the page's language. */
export function fieldLabel(field: string): string {
	switch (field) {
		case 'name':
			return m.dir_field_name();
		case 'kind':
			return m.dir_field_kind();
		case 'mission':
			return m.dir_field_mission();
		case 'website':
			return m.dir_field_website();
		case 'email':
			return m.dir_field_email();
		case 'phone':
			return m.dir_field_phone();
		case 'service_area':
			return m.dir_field_service_area();
		case 'verified_at':
			return m.dir_field_verified_at();
		case 'description':
			return m.dir_field_description();
		case 'status':
			return m.dir_field_status();
		case 'start_date':
			return m.dir_field_start_date();
		case 'end_date':
			return m.dir_field_end_date();
		case 'funder_id':
			return m.dir_field_funder_id();
		case 'recipient_id':
			return m.dir_field_recipient_id();
		case 'program_id':
			return m.dir_field_program_id();
		case 'title':
			return m.dir_field_title();
		case 'amount':
			return m.dir_field_amount();
		case 'currency':
			return m.dir_field_currency();
		case 'fiscal_year':
			return m.dir_field_fiscal_year();
		case 'award_date':
			return m.dir_field_award_date();
		case 'source_kind':
			return m.funding_source();
		default:
			return field;
	}
}

export function organizationKindLabel(kind: string): string {
	switch (kind) {
		case 'nonprofit':
			return m.dir_kind_nonprofit();
		case 'business':
			return m.dir_kind_business();
		case 'public_agency':
			return m.dir_kind_public_agency();
		case 'school':
			return m.dir_kind_school();
		case 'funder':
			return m.dir_kind_funder();
		case 'coalition':
			return m.dir_kind_coalition();
		default:
			return m.dir_not_stated();
	}
}

export function programStatusLabel(status: string): string {
	switch (status) {
		case 'planned':
			return m.dir_status_planned();
		case 'active':
			return m.dir_status_active();
		case 'paused':
			return m.dir_status_paused();
		case 'ended':
			return m.dir_status_ended();
		default:
			return m.dir_not_stated();
	}
}

export const KIND_OPTIONS = () => [{ value: '', label: m.dir_not_stated() }, ...ORGANIZATION_KINDS.map((k) => ({ value: k, label: organizationKindLabel(k) }))];
export const STATUS_OPTIONS = () => [{ value: '', label: m.dir_not_stated() }, ...PROGRAM_STATUSES.map((s) => ({ value: s, label: programStatusLabel(s) }))];
export const SOURCE_OPTIONS = () => [{ value: '', label: m.dir_not_stated() }, ...SOURCE_KINDS.map((k) => ({ value: k, label: sourceKindLabel(k) }))];
