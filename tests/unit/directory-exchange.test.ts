import { describe, expect, it } from 'vitest';
import { checkReferences, parseDirectoryFile, serializeDirectoryFile, type KnownIds } from '../../src/lib/directory/exchange.ts';
import { formatIssue } from '../../src/lib/indicators/opensdg/data-csv.ts';
import { detectDateOrder, parseAmount, parseCurrency, parseDate, parseFiscalYear } from '../../src/lib/directory/values.ts';
import { fundingYear } from '../../src/lib/directory/model.ts';

describe('amounts as people write them', () => {
	it.each([
		['$1,234.50', 1234.5],
		['1234.5', 1234.5],
		[' 1 234 ', 1234],
		['1\u00a0234\u00a0567', 1234567],
		['US$ 500', 500],
		['0', 0],
		['.75', 0.75],
		['12,345,678', 12345678]
	])('%j → %d', (text, value) => {
		expect(parseAmount(text)).toEqual({ ok: true, value });
	});

	it.each([
		['-5', /negative/],
		['(1,200)', /negative/],
		['$-3', /negative/],
		['twelve', /not an amount/],
		['1,23', /not an amount/],
		['1.234,50', /not an amount/],
		['12 USD', /not an amount/],
		['', /missing/],
		['1e20', /not an amount|too large/]
	])('%j is an error', (text, message) => {
		const parsed = parseAmount(text);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) {
			expect(parsed.message).toMatch(message);
			expect(parsed.fix).not.toBe('');
		}
	});
});

describe('currencies', () => {
	it.each([
		['USD', 'USD'],
		['eur', 'EUR'],
		[' GBP ', 'GBP']
	])('%j → %s', (text, code) => expect(parseCurrency(text)).toEqual({ ok: true, value: code }));
	it.each(['US$', 'XYZ', 'dollars', ''])('%j is refused', (text) => expect(parseCurrency(text).ok).toBe(false));
});

describe('dates', () => {
	it.each([
		['2001-03-26', null, '2001-03-26'],
		['2001-03-26T00:00:00', null, '2001-03-26'],
		['2001-03-26T10:30:00+01:00', null, '2001-03-26'],
		['2001-03-26 10:30', null, '2001-03-26'],
		['26/03/2001 00:00', 'day-first', '2001-03-26'],
		['26/03/2001', 'day-first', '2001-03-26'],
		['3/26/2001', 'month-first', '2001-03-26'],
		['03/04/2001', 'month-first', '2001-03-04'],
		['03/04/2001', 'day-first', '2001-04-03'],
		['05/05/2001', null, '2001-05-05'],
		['29/02/2024', 'day-first', '2024-02-29']
	] as const)('%j (%s) → %s', (text, order, date) => {
		expect(parseDate(text, order)).toEqual({ ok: true, value: date });
	});

	it.each([
		['2001-02-30', null, /does not exist|not a date that exists/],
		['2001-13-01', null, /not a date that exists/],
		['29/02/2023', 'day-first', /not a date that exists/],
		['26/03/2001', 'month-first', /not a date that exists/],
		['03/04/2001', null, /day-first or month-first/],
		['26 March 2001', null, /not a date/],
		['2001-03-26T25:00', null, /not a date that exists/]
	] as const)('%j (%s) is an error', (text, order, message) => {
		const parsed = parseDate(text, order);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.message).toMatch(message);
	});

	it.each([
		[['26/03/2001', '01/02/2001'], 'day-first', false, false],
		[['03/26/2001', '01/02/2001'], 'month-first', false, false],
		[['01/02/2001', '2001-05-01'], null, true, false],
		[['05/05/2001', '2001-05-01'], null, false, false],
		[['26/03/2001', '03/26/2001'], null, false, true]
	] as const)('the order of %j is %s', (cells, order, ambiguous, conflict) => {
		expect(detectDateOrder(cells)).toMatchObject({ order, ambiguous, conflict });
	});

	it.each([
		['2024', 2024],
		['FY2024', 2024],
		['fy 2023', 2023]
	])('fiscal year %j → %d', (text, year) => expect(parseFiscalYear(text)).toEqual({ ok: true, value: year }));
	it.each(['24', '2023-24', 'next year'])('fiscal year %j is refused', (text) => expect(parseFiscalYear(text).ok).toBe(false));

	it('counts funding in its fiscal year, else the year of its award date', () => {
		expect(fundingYear({ fiscalYear: 2024, awardDate: '2023-08-01' })).toBe(2024);
		expect(fundingYear({ fiscalYear: null, awardDate: '2023-08-01' })).toBe(2023);
		expect(fundingYear({ fiscalYear: null, awardDate: null })).toBeNull();
	});
});

const ORGS = `id,name,kind,mission,website,email,phone,service_area,verified_at
food-bank,Sacramento Food Bank,nonprofit,"Feed people; end hunger",https://example.org,info@example.org,916-555-0100,06067;06061,2025-01-15
city,City of Sacramento,public agency,,,,,06067,
`;

const known: KnownIds = {
	organizations: new Set(['city']),
	programs: new Set(['tutoring']),
	policies: new Set(),
	indicators: new Set(['unemployment']),
	geographies: new Set(['06067', '06061'])
};

describe('exchange files', () => {
	it('reads organizations with lists, normalized kinds and dates', () => {
		const parsed = parseDirectoryFile('organizations', ORGS, 'organizations.csv');
		expect(parsed.errors).toEqual([]);
		expect(parsed.organizations.map((o) => o.record)).toEqual([
			{ id: 'food-bank', name: 'Sacramento Food Bank', kind: 'nonprofit', mission: 'Feed people; end hunger', website: 'https://example.org', email: 'info@example.org', phone: '916-555-0100', serviceArea: ['06067', '06061'], verifiedAt: '2025-01-15', isSample: false },
			{ id: 'city', name: 'City of Sacramento', kind: 'public_agency', mission: '', website: '', email: '', phone: '', serviceArea: ['06067'], verifiedAt: null, isSample: false }
		]);
		expect(parsed.organizations.map((o) => o.line)).toEqual([2, 3]);
	});

	it('writes what it reads', () => {
		for (const [kind, text] of [
			['organizations', ORGS],
			['funding', 'id,funder_id,recipient_id,program_id,title,amount,currency,fiscal_year,award_date,source_kind,is_sample\ng1,city,food-bank,,"Pantry, north",1234.5,USD,2024,,local,true\n']
		] as const) {
			const parsed = parseDirectoryFile(kind, text, `${kind}.csv`);
			expect(parsed.errors).toEqual([]);
			const written = serializeDirectoryFile(kind, (kind === 'organizations' ? parsed.organizations : parsed.funding).map((r) => r.record) as never);
			const again = parseDirectoryFile(kind, written, `${kind}.csv`);
			expect(again.organizations).toEqual(parsed.organizations);
			expect(again.funding).toEqual(parsed.funding);
		}
	});

	const FUNDING_HEADER = 'id,funder_id,recipient_id,program_id,title,amount,currency,fiscal_year,award_date,source_kind';
	it.each([
		['a negative amount', `g1,city,food-bank,,,-5,USD,2024,,`, 'line 2, column amount', /negative/],
		['a non-numeric amount', `g1,city,food-bank,,,lots,USD,2024,,`, 'line 2, column amount', /not an amount/],
		['an unknown currency', `g1,city,food-bank,,,5,XXY,2024,,`, 'line 2, column currency', /ISO 4217/],
		['a date that does not exist', `g1,city,food-bank,,,5,USD,,2024-02-30,`, 'line 2, column award_date', /not a date that exists/],
		['no year at all', `g1,city,food-bank,,,5,USD,,,`, 'line 2, column fiscal_year', /neither a fiscal year nor an award date/],
		['an unknown source kind', `g1,city,food-bank,,,5,USD,2024,,lottery`, 'line 2, column source_kind', /Write one of: federal, state, local, philanthropy, private/],
		['a duplicate id', `g1,city,food-bank,,,5,USD,2024,,\ng1,city,food-bank,,,6,USD,2024,,`, 'line 3, column id', /already on line 2/],
		['an id with a space', `g 1,city,food-bank,,,5,USD,2024,,`, 'line 2, column id', /not a valid id/],
		['too many values', `g1,city,food-bank,,,5,USD,2024,,,extra`, 'line 2', /has 11 values/]
	])('%s is an error naming file, line, column and the fix', (_, body, where, message) => {
		const parsed = parseDirectoryFile('funding', `${FUNDING_HEADER}\n${body}\n`, 'funding.csv');
		expect(parsed.errors.length).toBeGreaterThan(0);
		const issue = parsed.errors[0]!;
		expect(formatIssue(issue)).toMatch(message);
		expect(issue.fix.length).toBeGreaterThan(10);
		expect(formatIssue(issue).toLowerCase()).toContain(`funding.csv: ${where}`);
	});

	it('names missing columns and warns about unknown ones', () => {
		const missing = parseDirectoryFile('links', 'subject_type,subject_id,Indicator_ID,note\n', 'links.csv');
		expect(missing.errors[0]!.message).toMatch(/lacks the columns indicator_id, direction \("Indicator_ID" should be written "indicator_id"\)/);
		const extra = parseDirectoryFile('links', 'subject_type,subject_id,indicator_id,direction,note,colour\n', 'links.csv');
		expect(extra.errors).toEqual([]);
		expect(extra.warnings[0]!.message).toMatch(/"colour" is not part of the format/);
	});

	it('works out the date order per file and reports an ambiguous file', () => {
		const header = 'id,name,adopted_by,adopted_on,status,url,description';
		const dayFirst = parseDirectoryFile('policies', `${header}\np1,A,,26/03/2001,,,\np2,B,,01/02/2003,,,\n`, 'policies.csv');
		expect(dayFirst.errors).toEqual([]);
		expect(dayFirst.dateOrder).toBe('day-first');
		expect(dayFirst.policies.map((p) => p.record.adoptedOn)).toEqual(['2001-03-26', '2003-02-01']);
		const ambiguous = parseDirectoryFile('policies', `${header}\np1,A,,01/02/2003,,,\n`, 'policies.csv');
		expect(ambiguous.errors[0]!.message).toMatch(/can be read day-first or month-first/);
		expect(ambiguous.errors[0]!.fix).toMatch(/--date-order/);
		const resolved = parseDirectoryFile('policies', `${header}\np1,A,,01/02/2003,,,\n`, 'policies.csv', { dateOrder: 'month-first' });
		expect(resolved.policies[0]!.record.adoptedOn).toBe('2003-01-02');
		const mixed = parseDirectoryFile('policies', `${header}\np1,A,,26/03/2001,,,\np2,B,,03/26/2001,,,\n`, 'policies.csv');
		expect(mixed.errors[0]!.message).toMatch(/mix day-first and month-first/);
	});

	it('reads a 360Giving file as it is and names its organizations', () => {
		const text = [
			'Identifier,Title,Description,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Recipient Org:Charity Number,Funding Org:Identifier,Funding Org:Name,Last Modified',
			'360G-ex-1,Food pantry,"Weekly pantry, north area",USD,"$12,500.00",26/03/2021 00:00,US-EIN-11-1111111,River Pantry,,US-EIN-99-9999999,Valley Foundation,2021-04-01T00:00:00Z',
			'360G-ex-2,Tutoring,,USD, 7 500 ,01/04/2021 00:00,US-EIN-22-2222222,Reading Partners Sac,,US-EIN-99-9999999,Valley Foundation,2021-04-01T00:00:00Z'
		].join('\r\n');
		const parsed = parseDirectoryFile('funding', text, 'funding.csv');
		expect(parsed.errors).toEqual([]);
		expect(parsed.format).toBe('360giving');
		expect(parsed.dateOrder).toBe('day-first');
		expect(parsed.funding.map((f) => [f.record.id, f.record.amount, f.record.awardDate, f.record.funderId, f.record.recipientId])).toEqual([
			['360G-ex-1', 12500, '2021-03-26', 'US-EIN-99-9999999', 'US-EIN-11-1111111'],
			['360G-ex-2', 7500, '2021-04-01', 'US-EIN-99-9999999', 'US-EIN-22-2222222']
		]);
		expect(parsed.organizations.map((o) => [o.record.id, o.record.name, o.record.kind])).toEqual([
			['US-EIN-99-9999999', 'Valley Foundation', 'funder'],
			['US-EIN-11-1111111', 'River Pantry', ''],
			['US-EIN-22-2222222', 'Reading Partners Sac', '']
		]);
		expect(checkReferences(parsed, known)).toEqual([]);
	});

	it('names the 360Giving column of an error', () => {
		const text = 'Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Funding Org:Identifier,Funding Org:Name\nx-1,T,USD,-10,2021-02-30,r,R,f,F\n';
		const parsed = parseDirectoryFile('funding', text, 'grants.csv');
		expect(parsed.errors.map((e) => e.column)).toEqual(['Amount Awarded', 'Award Date']);
	});

	it('reports unknown organizations, programs, indicators and geographies', () => {
		const programs = parseDirectoryFile('programs', 'id,name,organization_ids,description,status,start_date,end_date,service_area,website\np1,P,city;nobody,,active,2024-01-01,2023-01-01,06067;99999,\n', 'programs.csv');
		expect(programs.errors.map((e) => e.column)).toEqual(['end_date']);
		const ok = parseDirectoryFile('programs', 'id,name,organization_ids,description,status,start_date,end_date,service_area,website\np1,P,city;nobody,,active,,,06067;99999,\n', 'programs.csv');
		expect(checkReferences(ok, known).map((i) => formatIssue(i))).toEqual([
			expect.stringMatching(/^programs\.csv: Line 2, column organization_ids: there is no organization "nobody"\. Add the organization/),
			expect.stringMatching(/column service_area: "99999" is not a geography of the region/)
		]);
		const links = parseDirectoryFile('links', 'subject_type,subject_id,indicator_id,direction,note\nprogram,tutoring,reading,increase,\npolicy,general-plan,unemployment,decrease,\n', 'links.csv');
		expect(links.errors).toEqual([]);
		expect(checkReferences(links, known).map((i) => [i.line, i.column, i.message])).toEqual([
			[2, 'indicator_id', 'Line 2, column indicator_id: there is no indicator "reading".'],
			[3, 'subject_id', 'Line 3, column subject_id: there is no policy "general-plan".']
		]);
	});

	it('refuses an empty file and a file that is not CSV', () => {
		expect(parseDirectoryFile('organizations', '', 'organizations.csv').errors[0]!.message).toBe('The file is empty.');
		const broken = parseDirectoryFile('organizations', 'id,name,kind,mission,website,email,phone,service_area,verified_at\na,"unclosed,,,,,,,\n', 'organizations.csv');
		expect(broken.errors[0]!.message).toMatch(/never closed/);
	});
});
