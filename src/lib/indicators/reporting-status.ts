/**
 * The reporting status a reader sees: what the indicator's Open SDG metadata sets, else
 * derived from what is published — real data means reporting is complete, sample data or
 * none means it has not started. Pure.
 */
import type { StoredOpenSdgMetadata } from './server/indicator-upsert.ts';

/** Whether the imported metadata files themselves set `reporting_status`. */
export function metadataSetsReportingStatus(stored: StoredOpenSdgMetadata): boolean {
	return [stored.meta?.raw, stored.config?.raw].some((raw) => raw !== undefined && typeof raw['reporting_status'] === 'string' && raw['reporting_status'].trim() !== '');
}

export function effectiveReportingStatus(input: { stored: string; setByMetadata: boolean; hasData: boolean; isSample: boolean }): string {
	if (input.setByMetadata) return input.stored;
	return input.hasData && !input.isSample ? 'complete' : 'notstarted';
}
