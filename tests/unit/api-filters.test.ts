import { describe, expect, it } from 'vitest';
import { ApiError, dataFilters, parseQuery } from '#lib/api/http.ts';
import { FundingQuery, OrganizationsQuery } from '#lib/api/directory-schemas.ts';
import { DataQuery } from '#lib/api/schemas.ts';
import { filterObservations } from '#lib/api/server/indicators.ts';
import type { StoredObservation } from '#lib/indicators/server/store.ts';

function obs(period: string, value: number, dims: Record<string, string>): StoredObservation {
	return { period, year: Number(period), value, dims, attributes: {}, line: 1, seriesKey: JSON.stringify(dims) };
}

const columns = ['Year', 'Sex', 'Value'];
const data = [obs('2015', 1, {}), obs('2015', 2, { Sex: 'Female' }), obs('2016', 3, { Sex: 'Male' })];

function filtersOf(query: string): Record<string, string[]> {
	return dataFilters(new URL(`http://localhost/api/v1/indicators/x/data.json${query}`), DataQuery);
}

function refusal(run: () => unknown): ApiError {
	try {
		run();
	} catch (error) {
		if (error instanceof ApiError) return error;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('dimension filters named like object built-ins', () => {
	for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf']) {
		it(`?${name}=x is an unknown dimension (400), not a crash`, () => {
			const filters = filtersOf(`?${name}=x&${name}=y`);
			expect(Object.keys(filters)).toEqual([name]);
			expect(filters[name]).toEqual(['x', 'y']);
			const error = refusal(() => filterObservations('x', columns, data, filters));
			expect(error.status).toBe(400);
			expect(error.code).toBe('unknown_dimension');
			expect(error.parameter).toBe(name);
		});
	}

	it('a row without a dimension counts as blank, even for a dimension named like a built-in', () => {
		const withBuiltIn = [obs('2015', 1, {}), obs('2016', 2, { constructor: 'a' })];
		const rows = filterObservations('x', ['Year', 'constructor', 'Value'], withBuiltIn, filtersOf('?constructor='));
		expect(rows.map((r) => r.value)).toEqual([1]);
	});

	it('real dimensions still filter', () => {
		expect(filterObservations('x', columns, data, filtersOf('?Sex=Female&Sex=Male')).map((r) => r.value)).toEqual([2, 3]);
		expect(refusal(() => filtersOf(`?=x`)).status).toBe(400);
		expect(refusal(() => filtersOf(`?Sex=${'a'.repeat(501)}`)).parameter).toBe('Sex');
	});
});

describe('directory query parameters', () => {
	const query = <S extends Parameters<typeof parseQuery>[1]>(path: string, schema: S) => parseQuery(new URL(`http://localhost/api/v1/${path}`), schema);

	it('reads the filters it knows and ignores others', () => {
		expect(query('funding.json?fiscal_year=2024&source_kind=state&other=x', FundingQuery)).toEqual({ fiscal_year: '2024', source_kind: 'state' });
		expect(query('organizations?kind=funder&page=3', OrganizationsQuery)).toEqual({ kind: 'funder', page: 3 });
		expect(query('organizations', OrganizationsQuery)).toEqual({ page: 1 });
	});

	for (const [path, parameter] of [
		['funding.json?fiscal_year=abc', 'fiscal_year'],
		['funding.json?fiscal_year=24', 'fiscal_year'],
		['funding.json?source_kind=lottery', 'source_kind'],
		['funding.json?indicator=', 'indicator'],
		['funding.json?organization=a&organization=b', 'organization'],
		['organizations?kind=charity', 'kind'],
		['organizations?page=0', 'page'],
		['organizations?page=x', 'page'],
		[`organizations?q=${'a'.repeat(201)}`, 'q']
	] as const) {
		it(`${path.slice(0, 60)} is a 400 naming ${parameter}`, () => {
			const schema = path.startsWith('funding') ? FundingQuery : OrganizationsQuery;
			const error = refusal(() => query(path, schema));
			expect([error.status, error.parameter]).toEqual([400, parameter]);
			expect(error.message).toContain(parameter);
		});
	}
});
