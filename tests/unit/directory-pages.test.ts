import { describe, expect, it } from 'vitest';
import { organizationsQuery, parseOrganizationFilters, type FilterOptions } from '#lib/directory/server/page-data.ts';
import { directoryHref, formatAmount, formatDate, webHref, webText } from '#lib/directory/ui/labels.ts';
import { delocalizePath, localizePath } from '#lib/i18n/paths.ts';

const OPTIONS: FilterOptions = {
	areas: [{ id: 'education', name: 'Education', indicators: [{ id: '3rd-grade-reading', name: '3rd Grade Reading' }] }],
	otherIndicators: [{ id: 'loose', name: 'Loose' }],
	geographies: [{ code: '06067', name: 'Sacramento County' }]
};
const parse = (query: string) => parseOrganizationFilters(new URLSearchParams(query), OPTIONS);

describe('the organizations filter form read from the query string', () => {
	it('takes known values and leaves empty ones out', () => {
		const parsed = parse('kind=funder&area=education&indicator=loose&serviceArea=06067&q=%20reading%20&page=3');
		expect(parsed.filters).toEqual({ kind: 'funder', area: 'education', indicator: 'loose', serviceArea: '06067', q: 'reading' });
		expect(parsed.unknown).toEqual([]);
		expect(parsed.page).toBe(3);
		expect(parsed.filtered).toBe(true);
		expect(parse('kind=&q=').filtered).toBe(false);
		expect(parse('').filters).toEqual({});
	});

	it('reports values it does not know instead of ignoring them', () => {
		const parsed = parse('kind=charity&area=__proto__&indicator=toString&serviceArea=99999');
		expect(parsed.unknown).toEqual(['kind', 'area', 'indicator', 'serviceArea']);
		expect(parsed.chosen).toEqual({ kind: '', area: '', indicator: '', serviceArea: '', q: '' });
	});

	it('reads odd pages as the first and cuts long words', () => {
		for (const page of ['abc', '-1', '0', '1e5', '9999999']) expect(parse(`page=${page}`).page).toBe(1);
		expect(parse(`q=${'x'.repeat(500)}`).filters.q).toHaveLength(200);
	});

	it('writes the query of a page of results, the first page without a number', () => {
		const chosen = { kind: 'nonprofit', area: '', indicator: '', serviceArea: '06067', q: 'food & shelter' };
		expect(organizationsQuery(chosen)).toBe('?kind=nonprofit&serviceArea=06067&q=food+%26+shelter');
		expect(organizationsQuery(chosen, 2)).toBe('?kind=nonprofit&serviceArea=06067&q=food+%26+shelter&page=2');
		expect(organizationsQuery({ kind: '', area: '', indicator: '', serviceArea: '', q: '' })).toBe('');
	});
});

describe('addresses of directory records', () => {
	it('encodes each part of an id and keeps its slashes', () => {
		expect(directoryHref('organizations', 'US-EIN-68-0100001')).toBe('/organizations/US-EIN-68-0100001');
		expect(directoryHref('programs', 'GB-CHC-1234/east:2.0')).toBe('/programs/GB-CHC-1234/east%3A2%2E0');
		expect(directoryHref('policies', 'a b/c?d#e')).toBe('/policies/a%20b/c%3Fd%23e');
	});

	it('an id with a dot keeps the page language (it is not taken for a file)', () => {
		const href = directoryHref('programs', 'US-EIN-68-0100001/pantry.1');
		expect(localizePath(href, 'es', ['en', 'es'])).toBe(`/es${href}`);
		expect(delocalizePath(`/es${href}`, ['en', 'es'])).toBe(href);
		expect(decodeURIComponent(href.slice('/programs/'.length))).toBe('US-EIN-68-0100001/pantry.1');
	});
});

describe('web addresses of records', () => {
	it('links only http and https addresses', () => {
		expect(webHref('https://example.org/plan')).toBe('https://example.org/plan');
		expect(webHref('javascript:alert(1)')).toBeNull();
		expect(webHref('example.org')).toBeNull();
		expect(webText('https://river-city-reads.example.org/')).toBe('river-city-reads.example.org');
	});
});

describe('amounts and dates for the reader', () => {
	it('formats an amount in its own currency and language, cents only when there are some', () => {
		expect(formatAmount('en', 180000, 'USD')).toBe('$180,000');
		expect(formatAmount('en', 1000.5, 'GBP')).toBe('£1,000.50');
		expect(formatAmount('es', 180000, 'USD').replace(/\s/g, ' ')).toBe('180.000 US$');
		// Not a currency code: the number and the code as written.
		expect(formatAmount('en', 12, 'US$')).toBe('12 US$');
	});

	it('formats a date without shifting it by the time zone', () => {
		expect(formatDate('en', '2026-06-15')).toBe('June 15, 2026');
		expect(formatDate('es', '2023-05-18')).toBe('18 de mayo de 2023');
		expect(formatDate('en', 'not a date')).toBe('not a date');
	});
});
