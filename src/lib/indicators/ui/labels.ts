import { m } from '#lib/paraglide/messages.js';
import { GEOCODE_COLUMN, SERIES_COLUMN, UNITS_COLUMN } from '../columns.ts';

/** The visitor-facing name of a progress status of the published measure. */
export function progressStatusText(status: string): string {
	switch (status) {
		case 'target_achieved':
			return m.status_target_achieved();
		case 'substantial_progress':
			return m.status_substantial_progress();
		case 'moderate_progress':
			return m.status_moderate_progress();
		case 'limited_progress':
			return m.status_limited_progress();
		case 'deterioration':
			return m.status_deterioration();
		case 'not_available':
		case '':
			return m.status_not_available();
		default:
			// A manual status from imported metadata, shown as written.
			return status.replaceAll('_', ' ');
	}
}

export function reportingStatusText(status: string): string {
	return status === 'complete' ? m.reporting_complete() : status === 'inprogress' ? m.reporting_inprogress() : m.reporting_notstarted();
}

/** Names of places by GeoCode, for dimension values that are places. */
export type PlaceNames = Readonly<Record<string, string>>;

/** A dimension's name as a reader sees it: "Place" for GeoCode, others as the data names them. */
export function dimensionText(name: string): string {
	// Open SDG's own column names are the data's words, not a reader's.
	if (name === GEOCODE_COLUMN) return m.ind_dimension_place();
	if (name === UNITS_COLUMN) return m.ind_dimension_units();
	if (name === SERIES_COLUMN) return m.ind_dimension_series();
	return name;
}

/** A dimension value as a reader sees it: a place by its name ("Yolo County"), others as written. */
export function dimensionValueText(name: string, value: string, places: PlaceNames): string {
	return name === GEOCODE_COLUMN ? (places[value] ?? value) : value;
}

/** "Sex: Female, Place: Yolo County", or the headline's name. */
export function describeSelection(selection: Record<string, string>, headline: string, places: PlaceNames = {}): string {
	const parts = Object.entries(selection)
		.filter(([, value]) => value !== '')
		.map(([name, value]) => `${dimensionText(name)}: ${dimensionValueText(name, value, places)}`);
	return parts.length ? parts.join(', ') : headline;
}
