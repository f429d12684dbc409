import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chartPng } from '#lib/indicators/server/chart-image.ts';
import { describeFileKind, nonTextFileIssue } from '#lib/indicators/server/file-kind.ts';

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#1f6f5c"/></svg>';

describe('what an uploaded file is when it is not a CSV file', () => {
	it('names a PNG image (one the site itself drew) and says what to upload instead', async () => {
		const issue = await nonTextFileIssue(chartPng(svg, 40), 'chart.csv');
		expect(issue).toMatchObject({ file: 'chart.csv', line: null, column: null, message: 'The file is a PNG image, not a CSV file.' });
		expect(issue!.fix).toMatch(/CSV file that holds the data/);
	});

	it('names a PDF document and a compressed archive', async () => {
		const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
		expect((await nonTextFileIssue(pdf, 'report.csv'))?.message).toBe('The file is a PDF document, not a CSV file.');
		const gz = zlib.gzipSync('Year,Value\n2020,1\n');
		const archive = await nonTextFileIssue(gz, 'data.csv.gz');
		expect(archive?.message).toBe('The file is a compressed archive (.gz), not a CSV file.');
		expect(archive?.fix).toMatch(/Unpack it/);
	});

	it('leaves text alone: a CSV, one with a byte-order mark, and UTF-16 (the CSV reader names that)', async () => {
		expect(await nonTextFileIssue(Buffer.from('Year,Value\n2020,1.5\n'), 'ok.csv')).toBeUndefined();
		expect(await nonTextFileIssue(Buffer.from('\uFEFFYear,Value\n2020,1.5\n'), 'bom.csv')).toBeUndefined();
		expect(await nonTextFileIssue(Buffer.from('\uFEFFYear,Value\n2020,1.5\n', 'utf16le'), 'utf16.csv')).toBeUndefined();
		expect(await nonTextFileIssue(Buffer.alloc(0), 'empty.csv')).toBeUndefined();
	});

	it('gives spreadsheets the advice to save the sheet as CSV', () => {
		for (const kind of [
			{ ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
			{ ext: 'cfb', mime: 'application/x-cfb' }
		]) {
			const { what, fix } = describeFileKind(kind);
			expect(what).toBe('an Excel workbook');
			expect(fix).toMatch(/CSV UTF-8/);
		}
		expect(describeFileKind({ ext: 'ods', mime: 'application/vnd.oasis.opendocument.spreadsheet' }).what).toBe('an OpenDocument spreadsheet');
		expect(describeFileKind({ ext: 'jpg', mime: 'image/jpeg' }).what).toBe('a JPEG image');
		expect(describeFileKind({ ext: 'mp4', mime: 'video/mp4' }).what).toBe('a video file (.mp4)');
		expect(describeFileKind({ ext: 'sqlite', mime: 'application/x-sqlite3' }).what).toBe('a .sqlite file (application/x-sqlite3)');
	});
});
