import type { Dims } from '#lib/indicators/series-key.ts';

/** "Units: percent, GeoCode: 06067"; '' for the headline series (no dimension values). */
export function seriesLabel(dims: Dims): string {
	return Object.entries(dims)
		.filter(([, v]) => v !== '')
		.map(([k, v]) => `${k}: ${v}`)
		.join(', ');
}
