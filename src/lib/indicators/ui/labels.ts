import { m } from '#lib/paraglide/messages.js';

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

/** "Sex: Female, GeoCode: 06067", or the headline's name. */
export function describeSelection(selection: Record<string, string>, headline: string): string {
	const parts = Object.entries(selection)
		.filter(([, value]) => value !== '')
		.map(([name, value]) => `${name}: ${value}`);
	return parts.length ? parts.join(', ') : headline;
}
