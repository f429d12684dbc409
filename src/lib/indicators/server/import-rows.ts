import { PROGRESS_COLUMN, yearOf, type TidyRow } from '../opensdg/data-csv.ts';
import type { ObservationInput, StoredObservation } from './store.ts';

/**
 * Parsed Open SDG rows as the observations a revision stores. A `Progress` value (Open
 * SDG's stand-in value for the progress calculation) is kept with the row's attributes.
 */
export function toObservationInputs(rows: readonly TidyRow[]): ObservationInput[] {
	const years = new Map<string, number>();
	const calendarYear = (period: string) => {
		let year = years.get(period);
		if (year === undefined) years.set(period, (year = yearOf(period)));
		return year;
	};
	return rows.map((r) => ({
		period: r.year,
		year: calendarYear(r.year),
		value: r.value,
		dims: r.dims,
		attributes: r.progress === undefined || r.progress === null ? r.attributes : { ...r.attributes, [PROGRESS_COLUMN]: String(r.progress) },
		line: r.line
	}));
}

/** Stored observations back as Open SDG rows, for export. */
export function toTidyRows(observations: readonly StoredObservation[], columns: readonly string[]): TidyRow[] {
	const hasProgress = columns.includes(PROGRESS_COLUMN);
	return observations.map((o) => {
		const { [PROGRESS_COLUMN]: progress, ...attributes } = o.attributes;
		const row: TidyRow = { line: o.line, year: o.period, value: o.value, dims: o.dims, attributes };
		if (hasProgress) row.progress = progress === undefined ? null : Number(progress);
		return row;
	});
}
