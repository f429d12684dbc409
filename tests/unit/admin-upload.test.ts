import { describe, expect, it } from 'vitest';
import { parseIndicatorCsv } from '#lib/indicators/opensdg/data-csv.ts';
import { MAX_CSV_BYTES } from '#lib/indicators/server/import-csv.ts';
import { diffObservations } from '#lib/indicators/server/store.ts';
import { seriesKey } from '#lib/indicators/series-key.ts';
import {
	diffRevisionRows,
	draftCutoff,
	DRAFT_TTL_MS,
	duplicatesFromForm,
	formatBytes,
	FORM_OVERHEAD_BYTES,
	isDraftExpired,
	inLineOrder,
	isDraftId,
	pageOf,
	previewOf,
	requestTooLarge,
	seriesLabel,
	UPLOAD_BODY_LIMIT,
	type DiffInput
} from '#lib/admin/upload/preview.ts';
import { cleanFileName } from '#lib/admin/upload/server/drafts.ts';

describe('duplicates choice of the upload form', () => {
	it('defaults to error, takes the three choices as written and refuses anything else', () => {
		expect(duplicatesFromForm(null)).toBe('error');
		expect(duplicatesFromForm('')).toBe('error');
		for (const choice of ['error', 'keep-first', 'keep-last'] as const) expect(duplicatesFromForm(choice)).toBe(choice);
		for (const other of ['keep-latest', 'Keep-Last', ' keep-last', 'constructor']) expect(duplicatesFromForm(other)).toBeUndefined();
		expect(duplicatesFromForm(new File(['keep-last'], 'x.txt'))).toBeUndefined();
	});
});

describe('upload size limit', () => {
	it('names sizes in the unit people read', () => {
		expect(formatBytes(MAX_CSV_BYTES)).toBe('20 MB');
		expect(formatBytes(MAX_CSV_BYTES + 1024 * 1024 + 1)).toBe('21.0 MB');
		expect(formatBytes(512 * 1024)).toBe('512 KB');
		expect(formatBytes(1500)).toBe('2 KB');
		expect(formatBytes(900)).toBe('900 bytes');
	});

	it('refuses a request only when it cannot hold a file within the limit', () => {
		expect(requestTooLarge(null)).toBe(false);
		expect(requestTooLarge('')).toBe(false);
		expect(requestTooLarge('nonsense')).toBe(false);
		expect(requestTooLarge(String(MAX_CSV_BYTES))).toBe(false);
		expect(requestTooLarge(String(MAX_CSV_BYTES + FORM_OVERHEAD_BYTES))).toBe(false);
		expect(requestTooLarge(String(MAX_CSV_BYTES + FORM_OVERHEAD_BYTES + 1))).toBe(true);
		expect(requestTooLarge(String(1000 + FORM_OVERHEAD_BYTES + 1), 1000)).toBe(true);
		// The server's body limit is exactly what the upload check lets through.
		expect(UPLOAD_BODY_LIMIT).toBe(MAX_CSV_BYTES + FORM_OVERHEAD_BYTES);
	});
});

describe('drafts', () => {
	it('accepts only well-formed random ids', () => {
		expect(isDraftId('a'.repeat(43))).toBe(true);
		expect(isDraftId('A-_0'.repeat(10) + 'abc')).toBe(true);
		expect(isDraftId('a'.repeat(42))).toBe(false);
		expect(isDraftId('../'.repeat(14) + 'a')).toBe(false);
		expect(isDraftId("' or 1=1 --" + 'a'.repeat(32))).toBe(false);
	});

	it('expires after the waiting time', () => {
		const now = Date.parse('2026-12-01T12:00:00Z');
		expect(isDraftExpired('2026-12-01T11:00:00.000Z', now)).toBe(false);
		expect(isDraftExpired(new Date(now - DRAFT_TTL_MS - 1).toISOString(), now)).toBe(true);
		expect(isDraftExpired('not a date', now)).toBe(true);
		expect(draftCutoff(now)).toBe('2026-11-30T12:00:00.000Z');
		// Stored ISO text compares in time order, which the purge query relies on.
		expect(new Date(now - DRAFT_TTL_MS - 1).toISOString() < draftCutoff(now)).toBe(true);
	});

	it('keeps only the name of an uploaded file', () => {
		expect(cleanFileName('C:\\Users\\me\\energy.csv')).toBe('energy.csv');
		expect(cleanFileName('/tmp/x/energy.csv')).toBe('energy.csv');
		expect(cleanFileName('ener\u0000gy\n.csv')).toBe('energy.csv');
		expect(cleanFileName('   ')).toBe('upload.csv');
		expect(cleanFileName('a'.repeat(300) + '.csv')).toHaveLength(200);
	});
});

describe('issues in the order of the file', () => {
	const issue = (line: number | null, message: string) => ({ file: 'a.csv', line, column: null, message, fix: '' });

	it('puts whole-file issues first, then lines top to bottom, keeping the order within a line', () => {
		const found = [issue(9, 'nine'), issue(3, 'three, first'), issue(null, 'whole file'), issue(3, 'three, second'), issue(1, 'header')];
		expect(inLineOrder(found).map((i) => i.message)).toEqual(['whole file', 'header', 'three, first', 'three, second', 'nine']);
		expect(found[0]!.message).toBe('nine');
	});

	it('is what the preview lists', () => {
		const preview = previewOf({ rows: [], errors: [issue(7, 'late check'), issue(2, 'early line')], warnings: [issue(5, 'b'), issue(4, 'a')] });
		expect(preview.errors.map((i) => i.line)).toEqual([2, 7]);
		expect(preview.warnings.map((i) => i.line)).toEqual([4, 5]);
	});
});

describe('preview', () => {
	const csv = ['Year,Units,GeoCode,Value,COMMENT_OBS', '2015,percent,06067,10.5,', '2016,percent,06067,11,estimate', '2015,percent,06061,9,', '2017,percent,06067,twelve,'].join('\n');

	it('shows the rows, the series found and every error with line and column', () => {
		const preview = previewOf(parseIndicatorCsv(csv, 'energy.csv'));
		expect(preview.totalRows).toBe(3);
		expect(preview.dimensionColumns).toEqual(['Units', 'GeoCode']);
		expect(preview.rows[1]).toEqual({ line: 3, period: '2016', value: 11, dims: ['percent', '06067'], attributes: 'estimate' });
		expect(preview.series.map((s) => [seriesLabel(s.dims), s.rows, s.firstPeriod, s.lastPeriod])).toEqual([
			['Units: percent, GeoCode: 06067', 2, '2015', '2016'],
			['Units: percent, GeoCode: 06061', 1, '2015', '2015']
		]);
		expect(preview.errors).toHaveLength(1);
		expect(preview.errors[0]).toMatchObject({ line: 5, column: 'Value' });
		expect(preview.errors[0]!.fix).toMatch(/number/);
		expect(preview.canPublish).toBe(false);
	});

	it('allows publishing a file without errors, and caps the rows shown', () => {
		const lines = ['Year,Value', ...Array.from({ length: 120 }, (_, i) => `${1900 + i},${i}`)];
		const preview = previewOf(parseIndicatorCsv(lines.join('\n'), 'long.csv'), 50);
		expect(preview.canPublish).toBe(true);
		expect(preview.rows).toHaveLength(50);
		expect(preview.totalRows).toBe(120);
		expect(preview.series).toHaveLength(1);
		expect(seriesLabel(preview.series[0]!.dims)).toBe('');
	});

	it('does not allow publishing a file without rows', () => {
		expect(previewOf(parseIndicatorCsv('Year,Value\n', 'empty.csv')).canPublish).toBe(false);
	});
});

describe('revision diff', () => {
	const row = (dims: Record<string, string>, period: string, value: number | null, attributes: Record<string, string> = {}): DiffInput => ({
		seriesKey: seriesKey(dims),
		dims,
		period,
		value,
		attributes
	});
	const a = { GeoCode: '06067' };
	const b = { GeoCode: '06061' };
	const before = [row(a, '2015', 1), row(a, '2016', 2), row(b, '2015', 3), row(b, '2016', 4, { COMMENT_OBS: 'x' })];
	const after = [row(a, '2015', 1), row(a, '2016', 2.5), row(b, '2016', 4, { COMMENT_OBS: 'y' }), row(b, '2017', 5), row({}, '2017', 6)];

	it('lists each added, removed and changed row', () => {
		const diff = diffRevisionRows(before, after);
		expect([diff.added, diff.removed, diff.changed]).toEqual([2, 1, 2]);
		expect(diff.changes).toEqual([
			{ kind: 'changed', series: 'GeoCode: 06067', period: '2016', before: { value: 2, attributes: '' }, after: { value: 2.5, attributes: '' } },
			{ kind: 'removed', series: 'GeoCode: 06061', period: '2015', before: { value: 3, attributes: '' }, after: null },
			{ kind: 'changed', series: 'GeoCode: 06061', period: '2016', before: { value: 4, attributes: 'COMMENT_OBS: x' }, after: { value: 4, attributes: 'COMMENT_OBS: y' } },
			{ kind: 'added', series: 'GeoCode: 06061', period: '2017', before: null, after: { value: 5, attributes: '' } },
			{ kind: 'added', series: '', period: '2017', before: null, after: { value: 6, attributes: '' } }
		]);
	});

	it('agrees with the counts stored with each revision', () => {
		const counts = diffObservations(
			before,
			before.map((r) => r.seriesKey),
			after,
			after.map((r) => r.seriesKey)
		);
		const diff = diffRevisionRows(before, after);
		expect({ added: diff.added, removed: diff.removed, changed: diff.changed }).toEqual(counts);
		expect(diffRevisionRows([], after)).toMatchObject({ added: 5, removed: 0, changed: 0 });
		expect(diffRevisionRows(after, after).changes).toEqual([]);
	});

	it('pages a long list', () => {
		const items = Array.from({ length: 250 }, (_, i) => i);
		expect(pageOf(items, 1, 100)).toMatchObject({ page: 1, pages: 3 });
		expect(pageOf(items, 3, 100).items).toHaveLength(50);
		expect(pageOf(items, 9, 100).page).toBe(3);
		expect(pageOf(items, Number('x'), 100).page).toBe(1);
		expect(pageOf([], 1, 100)).toEqual({ items: [], page: 1, pages: 1 });
	});
});
