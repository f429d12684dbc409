import { describe, expect, it } from 'vitest';
import { dataDecimals, decimalsOf } from '#lib/indicators/number-format.ts';

describe('one rounding rule for an indicator’s values', () => {
	it('counts the decimals a value is written with, at most three', () => {
		expect([decimalsOf(2), decimalsOf(2.5), decimalsOf(2.48), decimalsOf(0.1 + 0.2), decimalsOf(1 / 3), decimalsOf(-4.25)]).toEqual([0, 1, 2, 1, 3, 2]);
	});
	it('takes the most precise finite value of the data', () => {
		expect(dataDecimals([2.5, 3, null, Infinity, 4.75])).toBe(2);
		expect(dataDecimals([])).toBe(0);
	});
});
