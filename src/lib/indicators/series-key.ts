/** A series is its indicator plus its Units, Series, GeoCode and disaggregation values. */
export type Dims = Record<string, string>;

/** Canonical, order-independent key of a series' dimension values ('{}' for the headline). */
export function seriesKey(dims: Dims): string {
	let empty = true;
	for (const _ in dims) {
		empty = false;
		break;
	}
	if (empty) return '{}';
	const sorted: Dims = {};
	for (const name of Object.keys(dims).sort()) {
		const value = dims[name];
		if (value !== undefined && value !== '') sorted[name] = value;
	}
	return JSON.stringify(sorted);
}
