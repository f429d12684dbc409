/**
 * Tells a data file that is not CSV text from its bytes, never from its name: first the
 * formats file-type recognises by their first bytes (PNG, PDF, workbooks, archives…), then
 * the null characters no CSV holds (UTF-16 text, other binary data). What it is and what to
 * do instead is worded by `describeNonText` (src/lib/indicators/non-text.ts).
 */
import { fileTypeFromBuffer } from 'file-type';
import type { Locale } from '#lib/paraglide/runtime.js';
import type { ParseIssue } from '../opensdg/data-csv.ts';
import { describeNonText, kindOfFormat, nullCharacterKind, type NonTextKind } from '../non-text.ts';

/** What the file is when it is not CSV text; undefined for text (even text that is not a valid CSV). */
export async function identifyNonText(bytes: Uint8Array): Promise<NonTextKind | undefined> {
	const format = await fileTypeFromBuffer(bytes);
	// file-type recognises a few text formats by their first characters; those are left to the CSV reader.
	if (format && !format.mime.startsWith('text/') && format.ext !== 'xml' && format.ext !== 'svg') return kindOfFormat(format);
	return nullCharacterKind(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) ?? undefined;
}

/** An issue naming what the file is when it is not CSV text, in `locale`; undefined for text. */
export async function nonTextFileIssue(bytes: Uint8Array, fileName: string, locale: Locale = 'en'): Promise<ParseIssue | undefined> {
	const kind = await identifyNonText(bytes);
	if (!kind) return undefined;
	return { file: fileName, line: null, column: null, ...describeNonText(kind, locale) };
}
