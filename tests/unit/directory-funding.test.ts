import { describe, expect, it } from 'vitest';
import { currenciesOf, fundingReaching, isVerificationStale, totalsBy, totalsByYear, undated, type FundingFacts } from '#lib/directory/funding.ts';

const record = (id: string, over: Partial<FundingFacts>): FundingFacts => ({
	id,
	programId: null,
	recipientId: 'org',
	amount: 100,
	currency: 'USD',
	fiscalYear: 2024,
	awardDate: null,
	sourceKind: 'state',
	...over
});

describe('an indicator’s funding', () => {
	const linked = { programs: new Set(['p1', 'p2']), organizations: new Set(['org']) };

	it('counts records of linked programs, and records without a program whose recipient is linked', () => {
		const records = [
			record('a', { programId: 'p1' }),
			record('b', { programId: 'p2', recipientId: 'other' }),
			record('c', {}),
			// The recipient is linked, but the record is for a program that is not.
			record('d', { programId: 'p9' }),
			record('e', { recipientId: 'other' })
		];
		expect(fundingReaching(records, linked).map((r) => r.id)).toEqual(['a', 'b', 'c']);
	});

	it('counts a record once however many links reach it, even when it is read twice', () => {
		const a = record('a', { programId: 'p1' });
		expect(fundingReaching([a, a], linked)).toHaveLength(1);
	});

	it('sums per year (fiscal year, else the award date’s year) and keeps currencies apart', () => {
		const totals = totalsByYear([
			record('a', { amount: 0.1 }),
			record('b', { amount: 0.2 }),
			record('c', { fiscalYear: null, awardDate: '2023-06-30', amount: 5 }),
			record('d', { currency: 'EUR', amount: 7 }),
			record('e', { fiscalYear: null, awardDate: null, amount: 1000 })
		]);
		expect(totals).toEqual([
			{ year: 2023, amount: 5, currency: 'USD' },
			{ year: 2024, amount: 7, currency: 'EUR' },
			{ year: 2024, amount: 0.3, currency: 'USD' }
		]);
		expect(undated([record('e', { fiscalYear: null, awardDate: null })])).toHaveLength(1);
	});

	it('sums by any key, largest first within a currency, and names the most-used currency first', () => {
		const totals = totalsBy([record('a', { sourceKind: 'state', amount: 10 }), record('b', { sourceKind: 'federal', amount: 30 }), record('c', { sourceKind: 'state', amount: 5 }), record('d', { currency: 'GBP', amount: 1 })], (r) => r.sourceKind);
		expect(totals).toEqual([
			{ key: 'state', amount: 1, currency: 'GBP', records: 1 },
			{ key: 'federal', amount: 30, currency: 'USD', records: 1 },
			{ key: 'state', amount: 15, currency: 'USD', records: 2 }
		]);
		expect(currenciesOf(totals)).toEqual(['USD', 'GBP']);
	});
});

describe('verification', () => {
	const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
	it('is possibly out of date after the period, on the day after it ends', () => {
		expect(isVerificationStale('2025-12-08', day('2026-12-08'), 12)).toBe(false);
		expect(isVerificationStale('2025-12-08', day('2026-12-09'), 12)).toBe(true);
		expect(isVerificationStale('2026-06-01', day('2026-12-08'), 6)).toBe(true);
		expect(isVerificationStale('2026-06-01', day('2026-12-08'), 7)).toBe(false);
	});
	it('ends a period that starts on the 31st on the last day of the shorter month', () => {
		expect(isVerificationStale('2026-03-31', day('2026-04-30'), 1)).toBe(false);
		expect(isVerificationStale('2026-03-31', day('2026-05-01'), 1)).toBe(true);
	});
	it('treats a record never verified as possibly out of date', () => {
		expect(isVerificationStale(null, day('2026-12-08'), 12)).toBe(true);
	});
});
