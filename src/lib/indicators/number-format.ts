/**
 * One rounding rule for an indicator's values wherever they appear (chart, map, table,
 * progress panel): as many decimal places as its data is written with, at most three.
 */
export const MAX_DECIMALS = 3;

/** Decimal places a value is written with, at most MAX_DECIMALS. */
export function decimalsOf(value: number): number {
	for (let d = 0; d < MAX_DECIMALS; d++) {
		const scaled = value * 10 ** d;
		if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return d;
	}
	return MAX_DECIMALS;
}

/** The decimal places of the most precise finite value (0 for none). */
export function dataDecimals(values: Iterable<number | null | undefined>): number {
	let decimals = 0;
	for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) decimals = Math.max(decimals, decimalsOf(v));
	return decimals;
}
