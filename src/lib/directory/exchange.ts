/**
 * The directory exchange format: a folder of CSV files, in and out (README "Directory
 * exchange format"). Pure: text in, records and steward-readable issues out; records out,
 * text in the same format.
 *
 * - `organizations.csv`, `programs.csv`, `policies.csv`, `funding.csv`, `links.csv` with the
 *   columns of `COLUMNS` in any order, plus an optional `is_sample` column; lists inside a
 *   cell are separated by `;`.
 * - A funding file may instead be in the 360Giving Data Standard layout (`Identifier`,
 *   `Amount Awarded`, `Recipient Org:Identifier`, …): it is read as it is, and the funding
 *   and recipient organizations it names become organizations.
 */
import { csvErrorIssue, readPlainCsvRecords, readRecordsWithCsvParse, type ParseIssue, type RawRecord } from '#lib/indicators/opensdg/data-csv.ts';
import {
	ID_PATTERN,
	LINK_DIRECTIONS,
	LINK_SUBJECT_TYPES,
	ORGANIZATION_KINDS,
	POLICY_STATUSES,
	PROGRAM_STATUSES,
	SOURCE_KINDS,
	linkKey,
	type ContributionLink,
	type Funding,
	type LinkSubjectType,
	type Organization,
	type OrganizationKind,
	type Policy,
	type Program
} from './model.ts';
import {
	detectDateOrder,
	formatAmount,
	joinList,
	parseAmount,
	parseCurrency,
	parseDate,
	parseEmail,
	parseFiscalYear,
	parseFlag,
	parseWebAddress,
	splitList,
	type DateOrder,
	type Parsed
} from './values.ts';

export type { ParseIssue };

export const FILE_KINDS = ['organizations', 'programs', 'policies', 'funding', 'links'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** The files of the format, in the order an import reads them (each may refer to the ones before). */
export const FILE_NAMES: Record<FileKind, string> = {
	organizations: 'organizations.csv',
	programs: 'programs.csv',
	policies: 'policies.csv',
	funding: 'funding.csv',
	links: 'links.csv'
};

export const COLUMNS = {
	organizations: ['id', 'name', 'kind', 'mission', 'website', 'email', 'phone', 'service_area', 'verified_at'],
	programs: ['id', 'name', 'organization_ids', 'description', 'status', 'start_date', 'end_date', 'service_area', 'website'],
	policies: ['id', 'name', 'adopted_by', 'adopted_on', 'status', 'url', 'description'],
	funding: ['id', 'funder_id', 'recipient_id', 'program_id', 'title', 'amount', 'currency', 'fiscal_year', 'award_date', 'source_kind'],
	links: ['subject_type', 'subject_id', 'indicator_id', 'direction', 'note']
} as const satisfies Record<FileKind, readonly string[]>;

/** Optional in every file: `true` marks made-up sample records. */
export const SAMPLE_COLUMN = 'is_sample';

const DATE_COLUMNS: Record<FileKind, readonly string[]> = {
	organizations: ['verified_at'],
	programs: ['start_date', 'end_date'],
	policies: ['adopted_on'],
	funding: ['award_date'],
	links: []
};

/** 360Giving Data Standard column titles read by the import (the standard's other columns are accepted and left aside). */
export const GIVING_360 = {
	id: 'Identifier',
	title: 'Title',
	amount: 'Amount Awarded',
	currency: 'Currency',
	awardDate: 'Award Date',
	recipientId: 'Recipient Org:Identifier',
	recipientName: 'Recipient Org:Name',
	funderId: 'Funding Org:Identifier',
	funderName: 'Funding Org:Name'
} as const;

/** Read when present: 360Giving web addresses of the organizations. */
const GIVING_360_WEB = { recipient: 'Recipient Org:Web Address', funder: 'Funding Org:Web Address' } as const;

export interface Located<T> {
	record: T;
	line: number;
}

export interface ParsedDirectoryFile {
	file: string;
	kind: FileKind;
	format: 'sac2050' | '360giving';
	organizations: Located<Organization>[];
	programs: Located<Program>[];
	policies: Located<Policy>[];
	funding: Located<Funding>[];
	links: Located<ContributionLink>[];
	/** The header name of each field, for messages about references (360Giving names differ). */
	columnOf: Record<string, string>;
	/** How numeric dates were read, when the file has any that needed it. */
	dateOrder: DateOrder | null;
	errors: ParseIssue[];
	warnings: ParseIssue[];
}

export interface ParseOptions {
	/** How to read `01/02/2003` when the file does not decide it. */
	dateOrder?: DateOrder;
}

function emptyResult(file: string, kind: FileKind): ParsedDirectoryFile {
	return { file, kind, format: 'sac2050', organizations: [], programs: [], policies: [], funding: [], links: [], columnOf: {}, dateOrder: null, errors: [], warnings: [] };
}

function normalizedBody(text: string): string {
	const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	return withoutBom.includes('\r') ? withoutBom.replace(/\r\n?/g, '\n') : withoutBom;
}

function readRecords(file: string, body: string, errors: ParseIssue[]): RawRecord[] {
	const plain = readPlainCsvRecords(body);
	if (plain) return plain;
	const { records, skipped } = readRecordsWithCsvParse(body);
	const lastRecordLine = records.at(-1)?.line ?? 0;
	const lastTextLine = body.replace(/\s+$/, '').split('\n').length;
	for (const skip of skipped) errors.push(csvErrorIssue(file, skip, skip.line >= lastRecordLine && skip.line < lastTextLine));
	return records;
}

/** True when a header row is in the 360Giving layout. */
export function is360GivingHeader(names: readonly string[]): boolean {
	const set = new Set(names.map((n) => n.trim()));
	return set.has(GIVING_360.id) && set.has(GIVING_360.amount);
}

/** Reads one cell after another of a row, collecting the row's errors. */
class Row {
	readonly errors: ParseIssue[] = [];
	readonly line: number;
	private readonly file: string;
	private readonly cells: readonly string[];
	private readonly index: ReadonlyMap<string, number>;
	constructor(file: string, line: number, cells: readonly string[], index: ReadonlyMap<string, number>) {
		this.file = file;
		this.line = line;
		this.cells = cells;
		this.index = index;
	}

	text(column: string): string {
		const i = this.index.get(column);
		return i === undefined ? '' : (this.cells[i] ?? '').trim();
	}

	error(column: string, message: string, fix: string): void {
		this.errors.push({ file: this.file, line: this.line, column, message: `Line ${this.line}, column ${column}: ${message}`, fix });
	}

	required(column: string, what: string, fix: string): string {
		const value = this.text(column);
		if (value === '') this.error(column, `the ${what} is missing.`, fix);
		return value;
	}

	id(column: string, what: string): string {
		const value = this.required(column, what, `Write the ${what}: letters, digits and . _ : / - only, e.g. sacramento-food-bank.`);
		if (value !== '' && !ID_PATTERN.test(value)) {
			this.error(column, `"${value}" is not a valid id.`, 'Use letters, digits and . _ : / - only (no spaces or ;), starting with a letter or digit, at most 200 characters.');
		}
		return value;
	}

	optionalId(column: string, what: string): string | null {
		const value = this.text(column);
		if (value === '') return null;
		if (!ID_PATTERN.test(value)) this.error(column, `"${value}" is not a valid ${what}.`, 'Use letters, digits and . _ : / - only, or leave the cell empty.');
		return value;
	}

	parse<T>(column: string, parser: (text: string) => Parsed<T>, fallback: T): T {
		const result = parser(this.text(column));
		if (result.ok) return result.value;
		this.error(column, result.message, result.fix);
		return fallback;
	}

	date(column: string, order: DateOrder | null): string | null {
		const text = this.text(column);
		if (text === '') return null;
		return this.parse(column, (t) => parseDate(t, order), null);
	}

	oneOf<T extends string>(column: string, allowed: readonly T[], blankAllowed: boolean): T | '' {
		const value = this.text(column);
		if (value === '' && blankAllowed) return '';
		if ((allowed as readonly string[]).includes(value)) return value as T;
		const normalized = value.toLowerCase().replace(/[\s-]+/g, '_');
		if ((allowed as readonly string[]).includes(normalized)) return normalized as T;
		this.error(
			column,
			value === '' ? 'the value is missing.' : `"${value}" is not one of the allowed values.`,
			`Write one of: ${allowed.join(', ')}${blankAllowed ? ', or leave the cell empty' : ''}.`
		);
		return '';
	}

	list(column: string): string[] {
		return splitList(this.text(column));
	}

	sample(): boolean {
		return this.parse(SAMPLE_COLUMN, parseFlag, false);
	}
}

interface Table {
	index: Map<string, number>;
	rows: RawRecord[];
	header: string[];
	headerLine: number;
}

/** Header checks shared by every file: duplicates, missing and unknown columns, over-long rows. */
function readTable(result: ParsedDirectoryFile, body: string, expected: readonly string[], optional: readonly string[]): Table | null {
	const { file, errors, warnings } = result;
	const records = readRecords(file, body, errors);
	const headerRecord = records[0];
	if (!headerRecord) {
		errors.push({ file, line: null, column: null, message: 'The file is empty.', fix: `Start it with the header line ${expected.join(',')}, or delete the file.` });
		return null;
	}
	const header = headerRecord.cells.map((c) => c.trim());
	const index = new Map<string, number>();
	header.forEach((name, i) => {
		if (name === '') return;
		if (index.has(name)) {
			errors.push({ file, line: headerRecord.line, column: name, message: `Line ${headerRecord.line}: the column "${name}" appears twice.`, fix: 'Keep one column of that name and delete the other.' });
		} else index.set(name, i);
	});
	const missing = expected.filter((name) => !index.has(name));
	if (missing.length) {
		const lower = new Map([...index.keys()].map((name) => [name.toLowerCase(), name]));
		const hints = missing.map((m) => (lower.has(m.toLowerCase()) ? `"${lower.get(m.toLowerCase())}" should be written "${m}"` : null)).filter(Boolean);
		errors.push({
			file,
			line: headerRecord.line,
			column: missing[0]!,
			message: `Line ${headerRecord.line}: the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${hints.length ? ` (${hints.join('; ')})` : ''}.`,
			fix: `The header must name these columns, in any order: ${expected.join(',')}.`
		});
		return null;
	}
	const known = new Set([...expected, ...optional]);
	const unknown = [...index.keys()].filter((name) => !known.has(name));
	if (unknown.length && result.format === 'sac2050') {
		warnings.push({
			file,
			line: headerRecord.line,
			column: unknown[0]!,
			message: `Line ${headerRecord.line}: the column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not part of the format and ${unknown.length > 1 ? 'were' : 'was'} ignored.`,
			fix: `Remove ${unknown.length > 1 ? 'them' : 'it'}, or check the spelling against: ${expected.join(',')}${optional.length ? `, ${optional.join(',')}` : ''}.`
		});
	}
	const rows = records.slice(1);
	for (const row of rows) {
		const extra = row.cells.slice(header.length).filter((c) => c.trim() !== '');
		if (extra.length) {
			errors.push({
				file,
				line: row.line,
				column: null,
				message: `Line ${row.line} has ${row.cells.length} values but the header names ${header.length} columns.`,
				fix: 'Put a value that contains a comma in double quotes, or remove the extra values.'
			});
		}
	}
	return { index, rows, header, headerLine: headerRecord.line };
}

/** Works out the numeric date order of a file from all its date cells; reports a conflict or an ambiguity. */
function dateOrderOf(result: ParsedDirectoryFile, table: Table, columns: readonly string[], options: ParseOptions): DateOrder | null {
	const positions = columns.map((c) => table.index.get(c)).filter((i): i is number => i !== undefined);
	function* cells() {
		for (const row of table.rows) for (const i of positions) yield row.cells[i] ?? '';
	}
	const detected = detectDateOrder(cells());
	const where = columns.join(', ');
	if (detected.conflict) {
		result.errors.push({
			file: result.file,
			line: null,
			column: columns[0] ?? null,
			message: `The dates in ${where} mix day-first and month-first forms ("${detected.example}").`,
			fix: 'Write every date of the file in one form, best YYYY-MM-DD.'
		});
		return options.dateOrder ?? 'day-first';
	}
	if (detected.order) return detected.order;
	if (detected.ambiguous) {
		if (options.dateOrder) return options.dateOrder;
		result.errors.push({
			file: result.file,
			line: null,
			column: columns[0] ?? null,
			message: `The dates in ${where} (e.g. "${detected.example}") can be read day-first or month-first, and no date in the file tells which.`,
			fix: 'Run the import with --date-order day-first or --date-order month-first, or write the dates as YYYY-MM-DD.'
		});
		return 'day-first';
	}
	return null;
}

function finish<T>(result: ParsedDirectoryFile, row: Row, record: T, into: Located<T>[]): void {
	if (row.errors.length) result.errors.push(...row.errors);
	else into.push({ record, line: row.line });
}

function duplicateCheck(result: ParsedDirectoryFile, items: ReadonlyArray<Located<unknown>>, keyOf: (index: number) => string, column: string, what: string): void {
	const first = new Map<string, number>();
	items.forEach((item, i) => {
		const key = keyOf(i);
		const earlier = first.get(key);
		if (earlier === undefined) first.set(key, item.line);
		else {
			result.errors.push({
				file: result.file,
				line: item.line,
				column,
				message: `Line ${item.line}, column ${column}: ${what} "${key}" is already on line ${earlier}.`,
				fix: `Give each ${what.replace(/^the /, '')} its own id, or merge the two lines into one.`
			});
		}
	});
}

/** Parses one file of the exchange format; `kind` says which (from its name). */
export function parseDirectoryFile(kind: FileKind, text: string, file: string, options: ParseOptions = {}): ParsedDirectoryFile {
	const result = emptyResult(file, kind);
	const body = normalizedBody(text);
	if (body.trim() === '') {
		result.errors.push({ file, line: null, column: null, message: 'The file is empty.', fix: `Start it with the header line ${COLUMNS[kind].join(',')}, or delete the file.` });
		return result;
	}
	if (kind === 'funding') {
		const firstLine = body.slice(0, body.indexOf('\n') === -1 ? undefined : body.indexOf('\n'));
		if (is360GivingHeader(firstLine.split(',').map((c) => c.replace(/^"|"$/g, '')))) return parse360Giving(result, body, options);
	}
	const table = readTable(result, body, COLUMNS[kind], [SAMPLE_COLUMN]);
	if (!table) return result;
	for (const column of [...COLUMNS[kind], SAMPLE_COLUMN]) result.columnOf[column] = column;
	const order = dateOrderOf(result, table, DATE_COLUMNS[kind], options);
	result.dateOrder = order;
	for (const raw of table.rows) {
		const row = new Row(file, raw.line, raw.cells, table.index);
		switch (kind) {
			case 'organizations':
				finish(result, row, readOrganization(row, order), result.organizations);
				break;
			case 'programs':
				finish(result, row, readProgram(row, order), result.programs);
				break;
			case 'policies':
				finish(result, row, readPolicy(row, order), result.policies);
				break;
			case 'funding':
				finish(result, row, readFunding(row, order), result.funding);
				break;
			case 'links':
				finish(result, row, readLink(row), result.links);
				break;
		}
	}
	duplicateCheck(result, result.organizations, (i) => result.organizations[i]!.record.id, 'id', 'the organization id');
	duplicateCheck(result, result.programs, (i) => result.programs[i]!.record.id, 'id', 'the program id');
	duplicateCheck(result, result.policies, (i) => result.policies[i]!.record.id, 'id', 'the policy id');
	duplicateCheck(result, result.funding, (i) => result.funding[i]!.record.id, 'id', 'the funding id');
	duplicateCheck(result, result.links, (i) => linkKey(result.links[i]!.record).replace('|', ' → '), 'subject_id', 'the link');
	return result;
}

function readOrganization(row: Row, order: DateOrder | null): Organization {
	return {
		id: row.id('id', 'organization id'),
		name: row.required('name', 'name', "Write the organization's name."),
		kind: row.oneOf<OrganizationKind>('kind', ORGANIZATION_KINDS, true),
		mission: row.text('mission'),
		website: row.parse('website', parseWebAddress, ''),
		email: row.parse('email', parseEmail, ''),
		phone: row.text('phone'),
		serviceArea: row.list('service_area'),
		verifiedAt: row.date('verified_at', order),
		isSample: row.sample()
	};
}

function readProgram(row: Row, order: DateOrder | null): Program {
	const organizationIds = row.list('organization_ids');
	if (organizationIds.length === 0) row.error('organization_ids', 'no organization runs the program.', 'Write the id of at least one organization from organizations.csv; separate several with ;.');
	for (const id of organizationIds) {
		if (!ID_PATTERN.test(id)) row.error('organization_ids', `"${id}" is not a valid organization id.`, 'Separate several ids with ; (e.g. sacramento-food-bank;city-of-sacramento).');
	}
	if (new Set(organizationIds).size !== organizationIds.length) row.error('organization_ids', 'an organization is named twice.', 'Name each organization once.');
	const startDate = row.date('start_date', order);
	const endDate = row.date('end_date', order);
	if (startDate && endDate && endDate < startDate) row.error('end_date', `the program ends (${endDate}) before it starts (${startDate}).`, 'Check the two dates; the end date is the later one.');
	return {
		id: row.id('id', 'program id'),
		name: row.required('name', 'name', "Write the program's name."),
		organizationIds,
		description: row.text('description'),
		status: row.oneOf('status', PROGRAM_STATUSES, true),
		startDate,
		endDate,
		serviceArea: row.list('service_area'),
		website: row.parse('website', parseWebAddress, ''),
		isSample: row.sample()
	};
}

function readPolicy(row: Row, order: DateOrder | null): Policy {
	return {
		id: row.id('id', 'policy id'),
		name: row.required('name', 'name', "Write the policy's name."),
		adoptedBy: row.text('adopted_by'),
		adoptedOn: row.date('adopted_on', order),
		status: row.oneOf('status', POLICY_STATUSES, true),
		url: row.parse('url', parseWebAddress, ''),
		description: row.text('description'),
		isSample: row.sample()
	};
}

function readFunding(row: Row, order: DateOrder | null): Funding {
	const fiscalText = row.text('fiscal_year');
	const record: Funding = {
		id: row.id('id', 'funding id'),
		funderId: row.id('funder_id', 'funder organization id'),
		recipientId: row.id('recipient_id', 'recipient organization id'),
		programId: row.optionalId('program_id', 'program id'),
		title: row.text('title'),
		amount: row.parse('amount', parseAmount, 0),
		currency: row.parse('currency', parseCurrency, ''),
		fiscalYear: fiscalText === '' ? null : row.parse('fiscal_year', parseFiscalYear, null),
		awardDate: row.date('award_date', order),
		sourceKind: row.oneOf('source_kind', SOURCE_KINDS, true),
		isSample: row.sample()
	};
	if (fiscalText === '' && row.text('award_date') === '') {
		row.error('fiscal_year', 'neither a fiscal year nor an award date is given.', 'Write the fiscal year (e.g. 2024) or the award date (YYYY-MM-DD), so the funding counts in a year.');
	}
	return record;
}

function readLink(row: Row): ContributionLink {
	return {
		subjectType: row.oneOf<LinkSubjectType>('subject_type', LINK_SUBJECT_TYPES, false) as LinkSubjectType,
		subjectId: row.id('subject_id', 'subject id'),
		indicatorId: row.required('indicator_id', 'indicator id', 'Write the id of an indicator, e.g. unemployment (see sac2050 progress for the list).'),
		direction: row.oneOf('direction', LINK_DIRECTIONS, false),
		note: row.text('note'),
		isSample: row.sample()
	};
}

function parse360Giving(result: ParsedDirectoryFile, body: string, options: ParseOptions): ParsedDirectoryFile {
	result.format = '360giving';
	const table = readTable(result, body, Object.values(GIVING_360), []);
	if (!table) return result;
	const c = GIVING_360;
	Object.assign(result.columnOf, { id: c.id, funder_id: c.funderId, recipient_id: c.recipientId, amount: c.amount, currency: c.currency, award_date: c.awardDate });
	const order = dateOrderOf(result, table, [c.awardDate], options);
	result.dateOrder = order;
	const organizations = new Map<string, Located<Organization>>();
	const nameLine = new Map<string, number>();
	const nameOf = (row: Row, id: string, name: string, column: string, kind: OrganizationKind | '', web: string): void => {
		const existing = organizations.get(id);
		if (existing) {
			if (existing.record.name !== name) {
				result.warnings.push({
					file: result.file,
					line: row.line,
					column,
					message: `Line ${row.line}, column ${column}: the organization ${id} is named "${name}" here and "${existing.record.name}" on line ${nameLine.get(id)}; the first name is used.`,
					fix: 'Write the same name for the same identifier.'
				});
			}
			if (kind === 'funder') existing.record.kind = 'funder';
			if (!existing.record.website && web) existing.record.website = web;
			return;
		}
		nameLine.set(id, row.line);
		organizations.set(id, {
			line: row.line,
			record: { id, name, kind, mission: '', website: web, email: '', phone: '', serviceArea: [], verifiedAt: null, isSample: false }
		});
	};
	for (const raw of table.rows) {
		const row = new Row(result.file, raw.line, raw.cells, table.index);
		const record: Funding = {
			id: row.id(c.id, 'grant identifier'),
			funderId: row.id(c.funderId, 'funding organization identifier'),
			recipientId: row.id(c.recipientId, 'recipient organization identifier'),
			programId: null,
			title: row.text(c.title),
			amount: row.parse(c.amount, parseAmount, 0),
			currency: row.parse(c.currency, parseCurrency, ''),
			fiscalYear: null,
			awardDate: null,
			sourceKind: '',
			isSample: false
		};
		record.awardDate = row.text(c.awardDate) === '' ? null : row.date(c.awardDate, order);
		if (record.awardDate === null && row.text(c.awardDate) === '') row.error(c.awardDate, 'the award date is missing.', 'Write the date the grant was awarded (YYYY-MM-DD); 360Giving requires it.');
		const funderName = row.required(c.funderName, 'funding organization name', 'Write the name of the organization that awarded the grant.');
		const recipientName = row.required(c.recipientName, 'recipient organization name', 'Write the name of the organization that received the grant (grants to individuals are not imported).');
		const funderWeb = parseWebAddress(row.text(GIVING_360_WEB.funder));
		const recipientWeb = parseWebAddress(row.text(GIVING_360_WEB.recipient));
		if (row.errors.length === 0) {
			nameOf(row, record.funderId, funderName, c.funderName, 'funder', funderWeb.ok ? funderWeb.value : '');
			nameOf(row, record.recipientId, recipientName, c.recipientName, '', recipientWeb.ok ? recipientWeb.value : '');
		}
		finish(result, row, record, result.funding);
	}
	result.organizations = [...organizations.values()];
	duplicateCheck(result, result.funding, (i) => result.funding[i]!.record.id, c.id, 'the grant identifier');
	return result;
}

/** Ids the records of a file may refer to: in the database, or in files read before it. */
export interface KnownIds {
	organizations: ReadonlySet<string>;
	programs: ReadonlySet<string>;
	policies: ReadonlySet<string>;
	indicators: ReadonlySet<string>;
	/** Geography codes of the region (service areas); empty = not checked. */
	geographies: ReadonlySet<string>;
}

/** Unknown organizations, programs, policies, indicators and geographies a parsed file refers to. */
export function checkReferences(parsed: ParsedDirectoryFile, known: KnownIds): ParseIssue[] {
	const issues: ParseIssue[] = [];
	const organizations = new Set([...known.organizations, ...parsed.organizations.map((o) => o.record.id)]);
	const programs = new Set([...known.programs, ...parsed.programs.map((p) => p.record.id)]);
	const policies = new Set([...known.policies, ...parsed.policies.map((p) => p.record.id)]);
	const column = (field: string) => parsed.columnOf[field] ?? field;
	const unknown = (line: number, field: string, message: string, fix: string) =>
		issues.push({ file: parsed.file, line, column: column(field), message: `Line ${line}, column ${column(field)}: ${message}`, fix });
	const checkAreas = (line: number, codes: readonly string[]) => {
		if (known.geographies.size === 0) return;
		for (const code of codes) {
			if (!known.geographies.has(code)) {
				unknown(line, 'service_area', `"${code}" is not a geography of the region.`, `Use geography codes from the region pack, separated by ; (${[...known.geographies].slice(0, 8).join(', ')}${known.geographies.size > 8 ? ', …' : ''}).`);
			}
		}
	};
	const orgFix = 'Add the organization to organizations.csv (or import it first), or correct the id.';
	for (const { record, line } of parsed.organizations) checkAreas(line, record.serviceArea);
	for (const { record, line } of parsed.programs) {
		for (const id of record.organizationIds) if (!organizations.has(id)) unknown(line, 'organization_ids', `there is no organization "${id}".`, orgFix);
		checkAreas(line, record.serviceArea);
	}
	for (const { record, line } of parsed.funding) {
		if (!organizations.has(record.funderId)) unknown(line, 'funder_id', `there is no organization "${record.funderId}".`, orgFix);
		if (!organizations.has(record.recipientId)) unknown(line, 'recipient_id', `there is no organization "${record.recipientId}".`, orgFix);
		if (record.programId !== null && !programs.has(record.programId)) unknown(line, 'program_id', `there is no program "${record.programId}".`, 'Add the program to programs.csv, correct the id, or leave the cell empty.');
	}
	for (const { record, line } of parsed.links) {
		const subjects = record.subjectType === 'program' ? programs : record.subjectType === 'policy' ? policies : organizations;
		if (!subjects.has(record.subjectId)) unknown(line, 'subject_id', `there is no ${record.subjectType} "${record.subjectId}".`, `Add it to ${FILE_NAMES[record.subjectType === 'organization' ? 'organizations' : record.subjectType === 'program' ? 'programs' : 'policies']}, or correct the id or the subject_type.`);
		if (!known.indicators.has(record.indicatorId)) unknown(line, 'indicator_id', `there is no indicator "${record.indicatorId}".`, 'Use the id of an indicator of the portal (as in its address, /indicators/<id>).');
	}
	return issues;
}

// ─────────────────────────────── writing ───────────────────────────────

export function csvCell(text: string): string {
	return /[",\n\r]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The cells of each record in the format's columns: the one text form used to write files and to compare records. */
export const CELLS = {
	organizations: (o: Organization): string[] => [o.id, o.name, o.kind, o.mission, o.website, o.email, o.phone, joinList(o.serviceArea), o.verifiedAt ?? ''],
	programs: (p: Program): string[] => [p.id, p.name, joinList(p.organizationIds), p.description, p.status, p.startDate ?? '', p.endDate ?? '', joinList(p.serviceArea), p.website],
	policies: (p: Policy): string[] => [p.id, p.name, p.adoptedBy, p.adoptedOn ?? '', p.status, p.url, p.description],
	funding: (f: Funding): string[] => [f.id, f.funderId, f.recipientId, f.programId ?? '', f.title, formatAmount(f.amount), f.currency, f.fiscalYear === null ? '' : String(f.fiscalYear), f.awardDate ?? '', f.sourceKind],
	links: (l: ContributionLink): string[] => [l.subjectType, l.subjectId, l.indicatorId, l.direction, l.note]
} as const;

type RecordOf<K extends FileKind> = Parameters<(typeof CELLS)[K]>[0];

/**
 * One file of the format: the header, then one line per record in the order given; an
 * `is_sample` column only when some record is sample data. LF line ends.
 */
export function serializeDirectoryFile<K extends FileKind>(kind: K, records: ReadonlyArray<RecordOf<K>>): string {
	const cellsOf = CELLS[kind] as (record: RecordOf<K>) => string[];
	const withSample = records.some((r) => r.isSample);
	const lines = [[...COLUMNS[kind], ...(withSample ? [SAMPLE_COLUMN] : [])].join(',')];
	for (const record of records) {
		const cells = cellsOf(record).map(csvCell);
		if (withSample) cells.push(record.isSample ? 'true' : '');
		lines.push(cells.join(','));
	}
	return lines.join('\n') + '\n';
}
