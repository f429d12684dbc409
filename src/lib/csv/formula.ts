/**
 * CSV formula injection (OWASP): a spreadsheet program runs a cell that starts with `=`,
 * `+`, `-` or `@` (and, after a tab or carriage return, what follows) as a formula, so a
 * downloaded file could fetch a link or run a command when a resident opens it. Every text
 * cell Sac2050 writes to a CSV goes through `neutraliseFormula`: such a cell gets a leading
 * apostrophe, which spreadsheets read as "this is text". Numbers are written as numbers and
 * never pass through here, so -2.5 stays a number.
 *
 * The round trip stays exact: `restoreFormula` (used by every CSV reader) takes the
 * apostrophe off again. A text that already starts with apostrophes before such a character
 * (`'=x`) gets one more, so that restoring gives it back unchanged. Pure.
 */

/** A cell a spreadsheet would read as a formula, after any apostrophes this module added. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;
const APOSTROPHE = 39;

/** The text as a spreadsheet-safe CSV cell (before quoting). */
export function neutraliseFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text `neutraliseFormula` was given, from a cell it wrote (other cells come back as they are). */
export function restoreFormula(cell: string): string {
	return cell.charCodeAt(0) === APOSTROPHE && NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
