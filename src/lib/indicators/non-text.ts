/**
 * What a data file is when it is not CSV text, said in the reader's language: a data steward
 * who picked the chart image, the PDF report or the workbook instead of the data is told so
 * in those words ("The file is a PNG image, not a CSV file") and what to use instead, never
 * shown a parse error over binary bytes. One description serves the command line (English),
 * the CSV reader and the back-office upload (the page's language).
 */
import { m } from '#lib/paraglide/messages.js';
import type { Locale } from '#lib/paraglide/runtime.js';

export type DocumentFormat = 'pdf' | 'word' | 'text' | 'presentation' | 'ebook' | 'rich-text';

/** A file that is not CSV text: recognised from its first bytes, or from the null characters no CSV holds. */
export type NonTextKind =
	| { kind: 'spreadsheet'; format: 'excel' | 'opendocument' }
	| { kind: 'archive'; ext: string }
	| { kind: 'image'; format: string }
	| { kind: 'document'; format: DocumentFormat }
	| { kind: 'media'; medium: 'audio' | 'video'; ext: string }
	| { kind: 'other'; ext: string; mime: string }
	| { kind: 'utf-16' }
	| { kind: 'binary' };

const SPREADSHEETS = new Set(['xlsx', 'xls', 'cfb']);
const ARCHIVES = new Set(['zip', 'gz', 'tar', '7z', 'rar', 'bz2', 'xz', 'zst']);
const DOCUMENTS: Record<string, DocumentFormat> = { pdf: 'pdf', docx: 'word', doc: 'word', odt: 'text', pptx: 'presentation', odp: 'presentation', epub: 'ebook', rtf: 'rich-text' };

/** The kind of a file whose first bytes name a known format (file-type's `ext` and `mime`). */
export function kindOfFormat(format: { ext: string; mime: string }): NonTextKind {
	const { ext, mime } = format;
	if (SPREADSHEETS.has(ext)) return { kind: 'spreadsheet', format: 'excel' };
	if (ext === 'ods') return { kind: 'spreadsheet', format: 'opendocument' };
	if (ARCHIVES.has(ext)) return { kind: 'archive', ext };
	if (mime.startsWith('image/')) return { kind: 'image', format: ext === 'jpg' ? 'JPEG' : ext.toUpperCase() };
	const document = DOCUMENTS[ext];
	if (document) return { kind: 'document', format: document };
	if (mime.startsWith('audio/') || mime.startsWith('video/')) return { kind: 'media', medium: mime.startsWith('audio/') ? 'audio' : 'video', ext };
	return { kind: 'other', ext, mime };
}

/**
 * The kind of a file read as UTF-8 that holds null characters, which no CSV does; null for
 * text. UTF-16 ("Unicode text" in spreadsheet programs) has a null next to every Latin
 * letter; an .xlsx workbook is a zip file (starts with PK), an .xls one an OLE file.
 */
export function nullCharacterKind(text: string): NonTextKind | null {
	if (text.indexOf('\0') === -1) return null;
	if (text.startsWith('PK\u0003\u0004') || text.startsWith('\uFFFD\uFFFD\u0011')) return { kind: 'spreadsheet', format: 'excel' };
	const head = text.replace(/^\uFFFD\uFFFD/, '').slice(0, 400);
	let nullsAtEven = 0;
	let nullsAtOdd = 0;
	for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) (i % 2 === 0 ? nullsAtEven++ : nullsAtOdd++);
	return Math.max(nullsAtEven, nullsAtOdd) >= head.length / 4 ? { kind: 'utf-16' } : { kind: 'binary' };
}

/** "a PNG image", "an Excel workbook", in the reader's language. */
export function nameOfKind(kind: NonTextKind, locale: Locale): string {
	const o = { locale };
	switch (kind.kind) {
		case 'spreadsheet':
			return kind.format === 'excel' ? m.file_kind_excel({}, o) : m.file_kind_opendocument_spreadsheet({}, o);
		case 'archive':
			return m.file_kind_archive({ ext: kind.ext }, o);
		case 'image':
			// English writes "an AVIF image" but "a PNG image"; other languages ignore the difference.
			return /^[AEIO]/.test(kind.format) ? m.file_kind_image_vowel({ format: kind.format }, o) : m.file_kind_image({ format: kind.format }, o);
		case 'document':
			return {
				pdf: m.file_kind_pdf,
				word: m.file_kind_word,
				text: m.file_kind_text_document,
				presentation: m.file_kind_presentation,
				ebook: m.file_kind_ebook,
				'rich-text': m.file_kind_rich_text
			}[kind.format]({}, o);
		case 'media':
			return kind.medium === 'audio' ? m.file_kind_audio({ ext: kind.ext }, o) : m.file_kind_video({ ext: kind.ext }, o);
		case 'other':
			return m.file_kind_other({ ext: kind.ext, mime: kind.mime }, o);
		case 'utf-16':
			return m.file_kind_utf16({}, o);
		case 'binary':
			return m.file_kind_binary({}, o);
	}
}

/** What went wrong and what to do instead, in the reader's language. */
export function describeNonText(kind: NonTextKind, locale: Locale): { message: string; fix: string } {
	const o = { locale };
	switch (kind.kind) {
		case 'utf-16':
			return { message: m.not_csv_utf16({}, o), fix: m.not_csv_fix_save_utf8({}, o) };
		case 'binary':
			return { message: m.not_csv_null_characters({}, o), fix: m.not_csv_fix_export_utf8({}, o) };
		case 'spreadsheet':
			return { message: m.not_csv_file({ what: nameOfKind(kind, locale) }, o), fix: m.not_csv_fix_save_sheet({}, o) };
		case 'archive':
			return { message: m.not_csv_file({ what: nameOfKind(kind, locale) }, o), fix: m.not_csv_fix_unpack({}, o) };
		default:
			return { message: m.not_csv_file({ what: nameOfKind(kind, locale) }, o), fix: m.not_csv_fix_pick_data({}, o) };
	}
}
