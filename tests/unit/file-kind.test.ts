import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chartPng } from '#lib/indicators/server/chart-image.ts';
import { identifyNonText, nonTextFileIssue } from '#lib/indicators/server/file-kind.ts';
import { describeNonText, kindOfFormat, nameOfKind } from '#lib/indicators/non-text.ts';
import { parseIndicatorCsv } from '#lib/indicators/opensdg/data-csv.ts';

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#1f6f5c"/></svg>';
const utf16 = Buffer.from('\uFEFFYear,Value\n2020,1.5\n', 'utf16le');

describe('what an uploaded file is when it is not a CSV file', () => {
	it('names a PNG image (one the site itself drew) and says what to use instead', async () => {
		const issue = await nonTextFileIssue(chartPng(svg, 40), 'chart.csv');
		expect(issue).toMatchObject({ file: 'chart.csv', line: null, column: null, message: 'The file is a PNG image, not a CSV file.' });
		expect(issue!.fix).toMatch(/CSV file that holds the data/);
	});

	it('says the same in Spanish for the back office', async () => {
		const issue = await nonTextFileIssue(chartPng(svg, 40), 'chart.csv', 'es');
		expect(issue?.message).toBe('El archivo es una imagen PNG, no un archivo CSV.');
		expect(issue?.fix).toMatch(/^Elija el archivo CSV que contiene los datos/);
		expect((await nonTextFileIssue(utf16, 'u.csv', 'es'))?.message).toMatch(/^El archivo está guardado como UTF-16/);
	});

	it('names a PDF document and a compressed archive', async () => {
		const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
		expect((await nonTextFileIssue(pdf, 'report.csv'))?.message).toBe('The file is a PDF document, not a CSV file.');
		const gz = zlib.gzipSync('Year,Value\n2020,1\n');
		const archive = await nonTextFileIssue(gz, 'data.csv.gz');
		expect(archive?.message).toBe('The file is a compressed archive (.gz), not a CSV file.');
		expect(archive?.fix).toMatch(/Unpack it/);
	});

	it('names text saved as UTF-16 and other null-holding data, as the CSV reader does', async () => {
		const issue = await nonTextFileIssue(utf16, 'utf16.csv');
		expect(issue?.message).toMatch(/^The file is saved as UTF-16/);
		const parsed = parseIndicatorCsv(utf16.toString('utf8'), 'utf16.csv');
		expect(parsed.errors).toEqual([issue]);
		expect((await identifyNonText(Buffer.from('Year,Value\n2015,1\0\n')))?.kind).toBe('binary');
	});

	it('leaves text alone: a CSV, one with a byte-order mark, an empty file', async () => {
		expect(await nonTextFileIssue(Buffer.from('Year,Value\n2020,1.5\n'), 'ok.csv')).toBeUndefined();
		expect(await nonTextFileIssue(Buffer.from('\uFEFFYear,Value\n2020,1.5\n'), 'bom.csv')).toBeUndefined();
		expect(await nonTextFileIssue(Buffer.from('Año,Valor\n2020,"1,5"\n'), 'accents.csv')).toBeUndefined();
		expect(await nonTextFileIssue(Buffer.alloc(0), 'empty.csv')).toBeUndefined();
	});

	it('gives spreadsheets the advice to save the sheet as CSV, and names other kinds', () => {
		for (const format of [
			{ ext: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
			{ ext: 'cfb', mime: 'application/x-cfb' }
		]) {
			const { message, fix } = describeNonText(kindOfFormat(format), 'en');
			expect(message).toBe('The file is an Excel workbook, not a CSV file.');
			expect(fix).toMatch(/CSV UTF-8/);
		}
		const name = (ext: string, mime: string) => nameOfKind(kindOfFormat({ ext, mime }), 'en');
		expect(name('ods', 'application/vnd.oasis.opendocument.spreadsheet')).toBe('an OpenDocument spreadsheet');
		expect(name('jpg', 'image/jpeg')).toBe('a JPEG image');
		expect(name('avif', 'image/avif')).toBe('an AVIF image');
		expect(name('mp4', 'video/mp4')).toBe('a video file (.mp4)');
		expect(name('sqlite', 'application/x-sqlite3')).toBe('a .sqlite file (application/x-sqlite3)');
		expect(nameOfKind(kindOfFormat({ ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }), 'es')).toBe('un documento de Word');
	});
});
