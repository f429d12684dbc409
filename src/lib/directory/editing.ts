/**
 * Editing directory records by hand (the back office), pure: a form's fields are read with
 * the exchange format's own rules — one validator for files and forms, so a value the import
 * refuses is refused here too — and compared with the stored record field by field.
 */
import { COLUMNS, CELLS, csvCell, parseDirectoryFile, SAMPLE_COLUMN } from './exchange.ts';
import type { Funding, Organization, Program } from './model.ts';

export type EditableKind = 'organizations' | 'programs' | 'funding';

/** The fields the back office form edits; the id (and a program's organizations) stay as they are. */
export const EDITABLE_FIELDS = {
	organizations: ['name', 'kind', 'mission', 'website', 'email', 'phone', 'service_area', 'verified_at'],
	programs: ['name', 'description', 'status', 'start_date', 'end_date', 'service_area', 'website'],
	funding: ['funder_id', 'recipient_id', 'program_id', 'title', 'amount', 'currency', 'fiscal_year', 'award_date', 'source_kind']
} as const satisfies Record<EditableKind, readonly string[]>;

export type RecordOf<K extends EditableKind> = K extends 'organizations' ? Organization : K extends 'programs' ? Program : Funding;

export type FormReading<K extends EditableKind> =
	| { ok: true; record: RecordOf<K> }
	| { ok: false; problems: Record<string, string> };

/** The record's fields in the exchange format's text form, by column. */
export function fieldTexts<K extends EditableKind>(kind: K, record: RecordOf<K>): Record<string, string> {
	const cells = (CELLS[kind] as (r: RecordOf<K>) => string[])(record);
	return Object.fromEntries(COLUMNS[kind].map((name, i) => [name, cells[i] ?? '']));
}

/**
 * The stored record with the form's values for the editable fields (lists as `;`-separated
 * text, as in the files), validated like one line of the file. Problems are keyed by field.
 */
export function readDirectoryForm<K extends EditableKind>(kind: K, current: RecordOf<K>, values: Readonly<Record<string, string>>): FormReading<K> {
	const texts = fieldTexts(kind, current);
	for (const field of EDITABLE_FIELDS[kind]) texts[field] = (values[field] ?? '').replace(/\r\n?/g, '\n').trim();
	const header = [...COLUMNS[kind], SAMPLE_COLUMN];
	const row = [...COLUMNS[kind].map((name) => texts[name] ?? ''), current.isSample ? 'true' : ''];
	const parsed = parseDirectoryFile(kind, `${header.join(',')}\n${row.map(csvCell).join(',')}\n`, 'form');
	if (parsed.errors.length) {
		const problems: Record<string, string> = {};
		for (const issue of parsed.errors) {
			const field = issue.column ?? 'form';
			problems[field] ??= `${issue.message.replace(/^Line \d+(, column [^:]+)?: /, '')} ${issue.fix}`.trim();
		}
		return { ok: false, problems };
	}
	const record = (kind === 'organizations' ? parsed.organizations[0]?.record : kind === 'programs' ? parsed.programs[0]?.record : parsed.funding[0]?.record) as RecordOf<K> | undefined;
	if (!record) return { ok: false, problems: { form: 'The form was empty.' } };
	return { ok: true, record };
}

export interface FieldChange {
	field: string;
	before: string;
	after: string;
}

/** The editable fields whose text differs, in form order. */
export function changedFields<K extends EditableKind>(kind: K, before: RecordOf<K>, after: RecordOf<K>): FieldChange[] {
	const old = fieldTexts(kind, before);
	const next = fieldTexts(kind, after);
	return EDITABLE_FIELDS[kind].filter((f) => old[f] !== next[f]).map((field) => ({ field, before: old[field] ?? '', after: next[field] ?? '' }));
}

/** A new funding record's starting values, received by `recipientId`; its id is made from the time. */
export function newFunding(recipientId: string, now: Date): Funding {
	return {
		id: `grant-${now.getTime().toString(36)}`,
		funderId: '',
		recipientId,
		programId: null,
		title: '',
		amount: 0,
		currency: 'USD',
		fiscalYear: null,
		awardDate: null,
		sourceKind: '',
		isSample: false
	};
}

/** A host name without `www.`, lower case; '' when the address has none. */
function hostOf(address: string): string {
	try {
		return new URL(address).hostname.toLowerCase().replace(/^www\./, '');
	} catch {
		return '';
	}
}

/**
 * A claim is approved at once when the member's verified e-mail address is at the
 * organization's own web domain (`ana@riverreads.org` for `https://www.riverreads.org`).
 * Sub-domains do not count either way, and free-mail domains never match a website.
 */
export function emailMatchesWebsite(email: string, website: string): boolean {
	const at = email.lastIndexOf('@');
	const domain = at > 0 ? email.slice(at + 1).trim().toLowerCase() : '';
	const host = hostOf(website);
	return domain !== '' && host !== '' && domain === host;
}
