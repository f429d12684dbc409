/**
 * Cell values of the directory exchange format as people and published files write them:
 * amounts (`$1,234.50`, ` 1 234 `), ISO 4217 currencies, dates (ISO 8601, or day-first /
 * month-first such as `26/03/2001 00:00`, the order worked out per file), fiscal years.
 * Each parser returns the value or an error message with its fix.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; fix: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string, fix: string): Parsed<never> => ({ ok: false, message, fix });

/** Amounts above this are typing mistakes, and would not survive a round trip as plain digits. */
export const MAX_AMOUNT = 1e15;

const SPACES = /[\s\u00a0\u2009\u202f]/g;
const GROUPED_BY_COMMA = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const GROUPED_BY_SPACE = /^\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?:\.\d+)?$/;
const PLAIN = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const AMOUNT_FIX = 'Write the amount as a plain positive number such as 1234.50 (a $ sign and thousands separators like 1,234 or 1 234 are allowed), and the currency in the currency column.';

/** `$1,234.50`, `1234.5`, ` 1 234 `, `US$ 500` → a non-negative number. */
export function parseAmount(text: string): Parsed<number> {
	let t = text.trim();
	if (t === '') return bad('the amount is missing.', AMOUNT_FIX);
	if (/^[-−–(]|^[$£€¥]\s*[-−(]/.test(t) || /\)$/.test(t)) {
		return bad(`"${text.trim()}" is negative.`, 'Amounts are never negative: write the amount awarded or budgeted as a positive number; a repayment or cut is a note, not a negative amount.');
	}
	t = t.replace(/^(?:US\$|\$|£|€|¥)\s*/, '').trim();
	let digits: string | null = null;
	if (PLAIN.test(t)) digits = t;
	else if (GROUPED_BY_COMMA.test(t)) digits = t.replaceAll(',', '');
	else if (GROUPED_BY_SPACE.test(t)) digits = t.replace(SPACES, '');
	if (digits === null) return bad(`"${text.trim()}" is not an amount.`, AMOUNT_FIX);
	const value = Number(digits);
	if (!Number.isFinite(value) || value >= MAX_AMOUNT) return bad(`"${text.trim()}" is too large to be an amount.`, AMOUNT_FIX);
	return ok(value);
}

/** The shortest text that reads back as the same amount (`1234.5`). */
export function formatAmount(value: number): string {
	return String(value);
}

let currencies: Set<string> | undefined;
/** The ISO 4217 codes the runtime knows (ICU's list, current and historic). */
export function isCurrencyCode(code: string): boolean {
	currencies ??= new Set(Intl.supportedValuesOf('currency'));
	return currencies.has(code);
}

/** `USD`, `usd` → `USD`. */
export function parseCurrency(text: string): Parsed<string> {
	const code = text.trim().toUpperCase();
	if (code === '') return bad('the currency is missing.', 'Write the ISO 4217 code of the currency, e.g. USD.');
	if (!/^[A-Z]{3}$/.test(code) || !isCurrencyCode(code)) {
		return bad(`"${text.trim()}" is not an ISO 4217 currency code.`, 'Write the three-letter ISO 4217 code, e.g. USD for US dollars, EUR, GBP.');
	}
	return ok(code);
}

export type DateOrder = 'day-first' | 'month-first';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const DATE_FIX = 'Write the date as YYYY-MM-DD (e.g. 2001-03-26), or as the file\'s other dates are written.';

function daysIn(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

function checked(text: string, year: number, month: number, day: number, time: Array<string | undefined>): Parsed<string> {
	const [h, m, s] = time.map((t) => (t === undefined ? 0 : Number(t)));
	if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || h! > 23 || m! > 59 || s! > 59) {
		return bad(`"${text}" is not a date that exists.`, 'Check the day and month (e.g. February has 28 days, 29 in a leap year).');
	}
	return ok(`${pad(year, 4)}-${pad(month)}-${pad(day)}`);
}

/**
 * The first two numbers of every `dd/mm/yyyy`-style date in `cells` decide the file's order: a
 * first number above 12 means day-first, a second above 12 month-first. `ambiguous` when the
 * file has such dates but none decides; `conflict` when both orders occur.
 */
export function detectDateOrder(cells: Iterable<string>): { order: DateOrder | null; ambiguous: boolean; conflict: boolean; example: string | null } {
	let dayFirst: string | null = null;
	let monthFirst: string | null = null;
	let undecided: string | null = null;
	for (const cell of cells) {
		const match = NUMERIC_DATE.exec(cell.trim());
		if (!match) continue;
		const a = Number(match[1]);
		const b = Number(match[3]);
		if (a > 12 && b <= 12) dayFirst ??= cell.trim();
		else if (b > 12 && a <= 12) monthFirst ??= cell.trim();
		else if (a !== b) undecided ??= cell.trim();
	}
	if (dayFirst && monthFirst) return { order: null, ambiguous: false, conflict: true, example: `${dayFirst}" and "${monthFirst}` };
	if (dayFirst) return { order: 'day-first', ambiguous: false, conflict: false, example: dayFirst };
	if (monthFirst) return { order: 'month-first', ambiguous: false, conflict: false, example: monthFirst };
	return { order: null, ambiguous: undecided !== null, conflict: false, example: undecided };
}

/**
 * A date cell → `YYYY-MM-DD` (a time of day is dropped). Numeric day/month forms need the
 * file's `order`; without one they are read only when day and month are the same number.
 */
export function parseDate(text: string, order: DateOrder | null): Parsed<string> {
	const t = text.trim();
	const iso = ISO_DATE.exec(t);
	if (iso) return checked(t, Number(iso[1]), Number(iso[2]), Number(iso[3]), [iso[4], iso[5], iso[6]]);
	const numeric = NUMERIC_DATE.exec(t);
	if (numeric) {
		const a = Number(numeric[1]);
		const b = Number(numeric[3]);
		const year = Number(numeric[4]);
		const time = [numeric[5], numeric[6], numeric[7]];
		if (order === null && a !== b) {
			return bad(`"${t}" can be read day-first or month-first.`, 'Write the date as YYYY-MM-DD, or run the import with --date-order day-first or --date-order month-first.');
		}
		return order === 'month-first' ? checked(t, year, a, b, time) : checked(t, year, b, a, time);
	}
	return bad(`"${t}" is not a date.`, DATE_FIX);
}

/** `2024`, `FY2024`, `FY 2024` → 2024. */
export function parseFiscalYear(text: string): Parsed<number> {
	const match = /^(?:FY\s?)?(\d{4})$/i.exec(text.trim());
	const year = match ? Number(match[1]) : NaN;
	if (!match || year < 1800 || year > 2200) {
		return bad(`"${text.trim()}" is not a fiscal year.`, 'Write the fiscal year as four digits, the year it ends in (e.g. 2024 for July 2023 – June 2024).');
	}
	return ok(year);
}

/** `a; b;;c ` → ['a', 'b', 'c']. */
export function splitList(text: string): string[] {
	return text
		.split(';')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

export function joinList(values: readonly string[]): string {
	return values.join(';');
}

const TRUE = new Set(['1', 'true', 'yes', 'y']);
const FALSE = new Set(['', '0', 'false', 'no', 'n']);

export function parseFlag(text: string): Parsed<boolean> {
	const t = text.trim().toLowerCase();
	if (TRUE.has(t)) return ok(true);
	if (FALSE.has(t)) return ok(false);
	return bad(`"${text.trim()}" is not true or false.`, 'Write true for sample (made-up) records, or leave the cell empty.');
}

export function parseWebAddress(text: string): Parsed<string> {
	const t = text.trim();
	if (t === '') return ok('');
	try {
		const url = new URL(t);
		if (url.protocol === 'http:' || url.protocol === 'https:') return ok(t);
	} catch {
		// reported below
	}
	return bad(`"${t}" is not a web address.`, 'Write the full address starting with https:// (e.g. https://example.org), or leave the cell empty.');
}

export function parseEmail(text: string): Parsed<string> {
	const t = text.trim();
	if (t === '' || /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(t)) return ok(t);
	return bad(`"${t}" is not an e-mail address.`, 'Write one address such as info@example.org, or leave the cell empty.');
}
