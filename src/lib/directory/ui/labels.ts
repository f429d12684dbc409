/**
 * How the directory's pages write its records: addresses of records (ids may hold `.` `:` and
 * `/`), the vocabularies in the reader's language, amounts in their currency and dates.
 */
import { m } from '#lib/paraglide/messages.js';
import { ORGANIZATION_KINDS, PROGRAM_STATUSES, SOURCE_KINDS } from '../model.ts';

/**
 * `/organizations/US-EIN-68-0100001`: each part of the id between slashes percent-encoded, the
 * slashes kept (the routes take the rest of the path as the id). Dots are encoded too: an
 * address whose last part has a dot is taken for a file, which keeps no language prefix
 * (i18n/paths.ts), and `.` or `..` alone would be read as a step in the path.
 */
export function directoryHref(type: 'organizations' | 'programs' | 'policies', id: string): string {
	return `/${type}/${id
		.split('/')
		.map((part) => encodeURIComponent(part).replaceAll('.', '%2E'))
		.join('/')}`;
}

export function kindLabel(kind: string): string {
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
		case '':
			return m.dir_not_stated();
		default:
			return kind;
	}
}

export function programStatusLabel(status: string): string {
	switch (status) {
		case 'planned':
			return m.dir_program_planned();
		case 'active':
			return m.dir_program_active();
		case 'paused':
			return m.dir_program_paused();
		case 'ended':
			return m.dir_program_ended();
		case '':
			return m.dir_not_stated();
		default:
			return status;
	}
}

export function policyStatusLabel(status: string): string {
	switch (status) {
		case 'proposed':
			return m.dir_policy_proposed();
		case 'adopted':
			return m.dir_policy_adopted();
		case 'in_effect':
			return m.dir_policy_in_effect();
		case 'repealed':
			return m.dir_policy_repealed();
		case 'expired':
			return m.dir_policy_expired();
		case '':
			return m.dir_not_stated();
		default:
			return status;
	}
}

export function sourceKindLabel(kind: string): string {
	switch (kind) {
		case 'federal':
			return m.dir_source_federal();
		case 'state':
			return m.dir_source_state();
		case 'local':
			return m.dir_source_local();
		case 'philanthropy':
			return m.dir_source_philanthropy();
		case 'private':
			return m.dir_source_private();
		case '':
			return m.dir_not_stated();
		default:
			return kind;
	}
}

/** "Aims to increase it" / "Aims to decrease it"; '' when the link states no direction. */
export function directionLabel(direction: string): string {
	if (direction === 'increase') return m.dir_aims_increase();
	if (direction === 'decrease') return m.dir_aims_decrease();
	return '';
}

/** An amount in its own currency, for the reader's language: whole amounts without cents. */
export function formatAmount(locale: string, amount: number, currency: string): string {
	const digits = Number.isInteger(amount) ? 0 : 2;
	try {
		return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
	} catch {
		// Not a currency code Intl knows: the number, then the code as the record gives it.
		return `${new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount)} ${currency}`;
	}
}

/** A total rounded to whole units of its currency ("$210,251"), for sums drawn and tabled beside a trend. */
export function formatWholeAmount(locale: string, amount: number, currency: string): string {
	return formatAmount(locale, Math.round(amount), currency);
}

/** A `YYYY-MM-DD` date in the reader's language ("June 15, 2026", "15 de junio de 2026"). */
export function formatDate(locale: string, date: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
	if (!match) return date;
	const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	if (Number.isNaN(time)) return date;
	return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(time);
}

/** A number in the reader's language. */
export function formatCount(locale: string, count: number): string {
	return new Intl.NumberFormat(locale).format(count);
}

/** A record's web address as a link only when it is one (http or https); anything else is shown as text. */
export function webHref(address: string): string | null {
	return /^https?:\/\/[^\s]+$/i.test(address.trim()) ? address.trim() : null;
}

/** The address as people read it: without `https://` and a closing slash. */
export function webText(address: string): string {
	return address.trim().replace(/^https?:\/\//i, '').replace(/\/$/, '');
}

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

/** Choices of the back office's select fields: '' (not stated) first. */
export const KIND_OPTIONS = () => [{ value: '', label: m.dir_not_stated() }, ...ORGANIZATION_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))];
export const STATUS_OPTIONS = () => [{ value: '', label: m.dir_not_stated() }, ...PROGRAM_STATUSES.map((s) => ({ value: s, label: programStatusLabel(s) }))];
export const SOURCE_OPTIONS = () => [{ value: '', label: m.dir_not_stated() }, ...SOURCE_KINDS.map((k) => ({ value: k, label: sourceKindLabel(k) }))];
