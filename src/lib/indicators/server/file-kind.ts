/**
 * What an uploaded data file is when it is not a CSV file at all: a data steward who picked
 * the chart image or the PDF report instead of the data is told so in those words ("The
 * file is a PNG image, not a CSV file"), not shown a parse error over binary bytes. The
 * file's kind comes from its first bytes (file-type), never from its name.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { ParseIssue } from '../opensdg/data-csv.ts';

const SPREADSHEETS = new Set(['xlsx', 'xls', 'cfb', 'ods']);
const ARCHIVES = new Set(['zip', 'gz', 'tar', '7z', 'rar', 'bz2', 'xz', 'zst']);
const DOCUMENTS: Record<string, string> = { pdf: 'a PDF document', docx: 'a Word document', doc: 'a Word document', odt: 'a text document', pptx: 'a PowerPoint presentation', epub: 'an e-book', rtf: 'a rich-text document' };

/** The kind named in words, and what to do instead. */
export function describeFileKind(kind: { ext: string; mime: string }): { what: string; fix: string } {
	const saveAsCsv = 'Open it in the spreadsheet program and save the sheet as "CSV UTF-8 (comma delimited)", then upload that file.';
	const pickData = 'Choose the CSV file that holds the data (Year, any disaggregation columns, Value) and upload that instead.';
	if (SPREADSHEETS.has(kind.ext)) return { what: kind.ext === 'ods' ? 'an OpenDocument spreadsheet' : 'an Excel workbook', fix: saveAsCsv };
	if (ARCHIVES.has(kind.ext)) {
		return {
			what: `a compressed archive (.${kind.ext})`,
			fix: 'Unpack it and upload the CSV file inside; a whole Open SDG data repository is imported with "sac2050 import opensdg".'
		};
	}
	if (kind.mime.startsWith('image/')) return { what: `${kind.ext === 'jpg' ? 'a JPEG' : `a ${kind.ext.toUpperCase()}`} image`, fix: pickData };
	if (DOCUMENTS[kind.ext]) return { what: DOCUMENTS[kind.ext]!, fix: pickData };
	if (kind.mime.startsWith('audio/') || kind.mime.startsWith('video/')) return { what: `a ${kind.mime.split('/')[0]} file (.${kind.ext})`, fix: pickData };
	return { what: `a .${kind.ext} file (${kind.mime})`, fix: pickData };
}

/** An issue naming what the file is when its first bytes say it is a known non-text format; undefined for text. */
export async function nonTextFileIssue(bytes: Uint8Array, fileName: string): Promise<ParseIssue | undefined> {
	const kind = await fileTypeFromBuffer(bytes);
	// file-type recognises a few text formats by their first characters; those are left to the CSV reader.
	if (!kind || kind.mime.startsWith('text/') || kind.ext === 'xml' || kind.ext === 'svg') return undefined;
	const { what, fix } = describeFileKind(kind);
	return { file: fileName, line: null, column: null, message: `The file is ${what}, not a CSV file.`, fix };
}
