/**
 * The data upload and revision screens' own rules: pure functions (no I/O), unit-tested.
 * What a preview shows of a validated file, when an upload is too large, when a staged
 * upload has expired, and the row-by-row difference between two revisions.
 */
import { asDuplicatePolicy, type DuplicatePolicy, type ParsedDataFile, type ParseIssue, type TidyRow } from '#lib/indicators/opensdg/data-csv.ts';
import { seriesKey, type Dims } from '#lib/indicators/series-key.ts';
import { MAX_CSV_BYTES } from '#lib/indicators/server/import-csv.ts';
import { seriesLabel } from './series-label.ts';

export { seriesLabel };

/** Rows shown in the preview; the rest are counted. */
export const PREVIEW_ROWS = 50;

/** The form fields and multipart framing around the file: a request may exceed the file limit by this much. */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * The largest request body the server reads for an upload. `sac2050 serve` sets adapter-node's
 * BODY_SIZE_LIMIT to this (unless set), so a larger request is refused — by the upload's own
 * check, which names the file limit — before any of its body is read.
 */
export const UPLOAD_BODY_LIMIT = MAX_CSV_BYTES + FORM_OVERHEAD_BYTES;

/** A staged upload waits this long for Publish or Cancel, then is deleted. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

/** "20 MB", "512 KB", "900 bytes": sizes as people read them, in the unit the limit is named in. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) {
		const mb = bytes / 1024 / 1024;
		return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
	}
	if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
	return `${bytes} bytes`;
}

/** Whether a request announcing `contentLength` bytes is too large to hold a file within `maxFileBytes`. */
export function requestTooLarge(contentLength: string | null | undefined, maxFileBytes = MAX_CSV_BYTES): boolean {
	if (!contentLength) return false;
	const length = Number(contentLength);
	return Number.isFinite(length) && length > maxFileBytes + FORM_OVERHEAD_BYTES;
}

/**
 * The upload form's choice for two rows of one observation with different values: absent or
 * empty → 'error' (the default); error, keep-first, keep-last as sent; anything else →
 * undefined, which the form refuses.
 */
export function duplicatesFromForm(value: FormDataEntryValue | null): DuplicatePolicy | undefined {
	if (value === null || value === '') return 'error';
	return asDuplicatePolicy(value);
}

/** Draft ids are 32 random bytes, base64url: anything else is not looked up. */
export function isDraftId(value: string): boolean {
	return /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function isDraftExpired(createdAt: string, now: number, ttlMs = DRAFT_TTL_MS): boolean {
	const created = Date.parse(createdAt);
	return !Number.isFinite(created) || now - created > ttlMs;
}

/** The oldest creation time a live draft may have, as stored (ISO text). */
export function draftCutoff(now: number, ttlMs = DRAFT_TTL_MS): string {
	return new Date(now - ttlMs).toISOString();
}

/** One series found in a file: its dimension values, how many rows, which years. */
export interface SeriesFound {
	key: string;
	dims: Dims;
	rows: number;
	firstPeriod: string;
	lastPeriod: string;
}

export interface PreviewRow {
	line: number;
	period: string;
	value: number | null;
	/** One cell per dimension column of the file, in `dimensionColumns` order ('' when blank). */
	dims: string[];
	/** Attribute values (COMMENT_OBS, …), joined. */
	attributes: string;
}

export interface UploadPreview {
	/** Dimension columns (Units, Series, GeoCode, disaggregations) in file order. */
	dimensionColumns: string[];
	rows: PreviewRow[];
	totalRows: number;
	series: SeriesFound[];
	errors: ParseIssue[];
	warnings: ParseIssue[];
	/** Only a file without a single error, and with at least one row, may be published. */
	canPublish: boolean;
}

/**
 * Issues as an editor reads down the file: those about the whole file first, then by line
 * (checks that run later, such as duplicates, do not end up last); the order is kept within a line.
 */
export function inLineOrder(issues: readonly ParseIssue[]): ParseIssue[] {
	return issues
		.map((issue, at) => ({ issue, at }))
		.sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.at - b.at)
		.map(({ issue }) => issue);
}

/** What the preview page shows of a validated file. */
export function previewOf(parsed: Pick<ParsedDataFile, 'rows' | 'errors' | 'warnings'>, limit = PREVIEW_ROWS): UploadPreview {
	const dimensionColumns: string[] = [];
	const seen = new Set<string>();
	const series = new Map<string, SeriesFound>();
	const byDims = new Map<Dims, string>();
	for (const row of parsed.rows) {
		for (const name of Object.keys(row.dims)) {
			if (!seen.has(name)) {
				seen.add(name);
				dimensionColumns.push(name);
			}
		}
		let key = byDims.get(row.dims);
		if (key === undefined) byDims.set(row.dims, (key = seriesKey(row.dims)));
		const found = series.get(key);
		if (!found) series.set(key, { key, dims: row.dims, rows: 1, firstPeriod: row.year, lastPeriod: row.year });
		else {
			found.rows++;
			if (row.year < found.firstPeriod) found.firstPeriod = row.year;
			if (row.year > found.lastPeriod) found.lastPeriod = row.year;
		}
	}
	return {
		dimensionColumns,
		rows: parsed.rows.slice(0, limit).map((r: TidyRow) => ({
			line: r.line,
			period: r.year,
			value: r.value,
			dims: dimensionColumns.map((c) => r.dims[c] ?? ''),
			attributes: Object.values(r.attributes).join('; ')
		})),
		totalRows: parsed.rows.length,
		series: [...series.values()],
		errors: inLineOrder(parsed.errors),
		warnings: inLineOrder(parsed.warnings),
		canPublish: parsed.errors.length === 0 && parsed.rows.length > 0
	};
}


// ---- Revisions ------------------------------------------------------------------

/** The part of a stored observation a diff compares. */
export interface DiffInput {
	seriesKey: string;
	dims: Dims;
	period: string;
	value: number | null;
	attributes: Record<string, string>;
}

export interface RowChange {
	kind: 'added' | 'removed' | 'changed';
	series: string;
	period: string;
	before: { value: number | null; attributes: string } | null;
	after: { value: number | null; attributes: string } | null;
}

export interface RevisionDiff {
	added: number;
	removed: number;
	changed: number;
	/** Every change: removed and changed rows in the previous revision's order, then added rows in the new one's. */
	changes: RowChange[];
}

function attributesText(attributes: Record<string, string>): string {
	return Object.keys(attributes)
		.sort()
		.map((k) => `${k}: ${attributes[k]}`)
		.join('; ');
}

/**
 * The rows added, removed and changed from `before` to `after`. A row is its series and
 * period; it changed when its value or attributes did — the same rule as the counts stored
 * with each revision (diffObservations), so the list and the counts agree.
 */
export function diffRevisionRows(before: readonly DiffInput[], after: readonly DiffInput[]): RevisionDiff {
	const identity = (r: DiffInput) => `${r.seriesKey}\u0000${r.period}`;
	const next = new Map<string, DiffInput>();
	for (const r of after) next.set(identity(r), r);
	const matched = new Set<string>();
	const changes: RowChange[] = [];
	let removed = 0;
	let changed = 0;
	for (const r of before) {
		const id = identity(r);
		const now = next.get(id);
		const was = { value: r.value, attributes: attributesText(r.attributes) };
		if (!now) {
			removed++;
			changes.push({ kind: 'removed', series: seriesLabel(r.dims), period: r.period, before: was, after: null });
			continue;
		}
		matched.add(id);
		const is = { value: now.value, attributes: attributesText(now.attributes) };
		if (was.value !== is.value || was.attributes !== is.attributes) {
			changed++;
			changes.push({ kind: 'changed', series: seriesLabel(r.dims), period: r.period, before: was, after: is });
		}
	}
	let added = 0;
	for (const r of after) {
		if (matched.has(identity(r))) continue;
		added++;
		changes.push({ kind: 'added', series: seriesLabel(r.dims), period: r.period, before: null, after: { value: r.value, attributes: attributesText(r.attributes) } });
	}
	return { added, removed, changed, changes };
}

/** One page of `items`: `page` is clamped to 1..pages. */
export function pageOf<T>(items: readonly T[], page: number, perPage: number): { items: T[]; page: number; pages: number } {
	const pages = Math.max(1, Math.ceil(items.length / perPage));
	const current = Number.isInteger(page) ? Math.min(Math.max(page, 1), pages) : 1;
	return { items: items.slice((current - 1) * perPage, current * perPage), page: current, pages };
}
