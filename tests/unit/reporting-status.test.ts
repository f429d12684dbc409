import { describe, expect, it } from 'vitest';
import { effectiveReportingStatus, metadataSetsReportingStatus } from '#lib/indicators/reporting-status.ts';

describe('the reporting status a reader sees', () => {
	it('is what the metadata sets, whatever is published', () => {
		expect(effectiveReportingStatus({ stored: 'notstarted', setByMetadata: true, hasData: true, isSample: false })).toBe('notstarted');
		expect(effectiveReportingStatus({ stored: 'notapplicable', setByMetadata: true, hasData: false, isSample: false })).toBe('notapplicable');
	});

	it('is derived from published data when the metadata does not set it', () => {
		expect(effectiveReportingStatus({ stored: 'notstarted', setByMetadata: false, hasData: true, isSample: false })).toBe('complete');
		expect(effectiveReportingStatus({ stored: 'notstarted', setByMetadata: false, hasData: true, isSample: true })).toBe('notstarted');
		expect(effectiveReportingStatus({ stored: 'complete', setByMetadata: false, hasData: false, isSample: false })).toBe('notstarted');
	});

	it('knows when the meta file or the indicator config sets it', () => {
		expect(metadataSetsReportingStatus({})).toBe(false);
		expect(metadataSetsReportingStatus({ meta: { format: 'md', raw: { reporting_status: 'complete' } } })).toBe(true);
		expect(metadataSetsReportingStatus({ meta: { format: 'md', raw: { reporting_status: ' ' } }, config: { raw: {} } })).toBe(false);
		expect(metadataSetsReportingStatus({ config: { raw: { reporting_status: 'inprogress' } } })).toBe(true);
	});
});
