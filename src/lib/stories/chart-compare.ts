/**
 * An embedded chart's values then (when the story was published) and now, period by period.
 * Pure, unit-tested.
 */

export interface ChartPoint {
	period: string;
	year: number;
	value: number;
}

export interface ComparedRow {
	period: string;
	/** The value when the story was published; null when that period had none (or no snapshot). */
	then: number | null;
	now: number | null;
}

/** Every period of either set, in time order, with both values; `changed` when any differs. */
export function comparePoints(then: readonly ChartPoint[] | undefined, now: readonly ChartPoint[]): { rows: ComparedRow[]; changed: boolean } {
	const periods = new Map<string, { year: number; then: number | null; now: number | null }>();
	for (const p of then ?? []) periods.set(p.period, { year: p.year, then: p.value, now: null });
	for (const p of now) {
		const row = periods.get(p.period);
		if (row) row.now = p.value;
		else periods.set(p.period, { year: p.year, then: null, now: p.value });
	}
	const rows = [...periods.entries()]
		.sort(([a, x], [b, y]) => x.year - y.year || a.localeCompare(b))
		.map(([period, r]) => ({ period, then: r.then, now: r.now }));
	const changed = then !== undefined && rows.some((r) => r.then !== r.now);
	return { rows, changed };
}
