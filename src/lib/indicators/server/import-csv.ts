import { createHash } from 'node:crypto';
import type { Db } from '#lib/server/db/connect.ts';
import { UserFacingError } from '#lib/server/errors.ts';
import { parseIndicatorCsv, type ParsedDataFile, type ParseIssue, type ParseOptions } from '../opensdg/data-csv.ts';
import { toObservationInputs } from './import-rows.ts';
import { recomputeProgress } from './progress-store.ts';
import { publishRevision, type RevisionSummary } from './store.ts';

/** Uploads larger than this are refused before they are parsed. */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;

export interface CsvValidation extends ParsedDataFile {
	checksum: string;
	bytes: number;
}

function size(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Validates a single-indicator CSV (a Year or Period column, any dimension columns, a Value
 * column) without touching the database: what the admin preview and `import csv` show.
 */
export function validateIndicatorCsv(content: Buffer | string, fileName: string, options: ParseOptions = {}, maxBytes = MAX_CSV_BYTES): CsvValidation {
	const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
	const checksum = createHash('sha256').update(bytes).digest('hex');
	if (bytes.length > maxBytes) {
		const issue: ParseIssue = {
			file: fileName,
			line: null,
			column: null,
			message: `The file is ${size(bytes.length)}, over the ${size(maxBytes)} limit for one upload.`,
			fix: 'Split it into smaller files, or import it as an Open SDG repository with "sac2050 import opensdg".'
		};
		return { file: fileName, numericValues: 0, columns: [], rows: [], errors: [issue], warnings: [], checksum, bytes: bytes.length };
	}
	return { ...parseIndicatorCsv(bytes.toString('utf8'), fileName, options), checksum, bytes: bytes.length };
}

/**
 * Publishes a validated CSV as the indicator's new revision, with its progress recomputed
 * in the same transaction. A file with any error publishes nothing.
 */
export async function publishIndicatorCsv(
	db: Db,
	indicatorId: string,
	validation: CsvValidation,
	options: { author: string; kind?: 'upload' | 'import'; note?: string }
): Promise<RevisionSummary> {
	if (validation.errors.length) {
		throw new UserFacingError(`${validation.file} has ${validation.errors.length} error(s); nothing was published. Fix them and upload again.`);
	}
	const indicator = await db.kysely.selectFrom('indicator').select('id').where('id', '=', indicatorId).executeTakeFirst();
	if (!indicator) {
		throw new UserFacingError(`There is no indicator "${indicatorId}": check the id (the last part of its page address, e.g. unemployment or 1-2-1).`);
	}
	return publishRevision(
		db,
		{
			indicatorId,
			kind: options.kind ?? 'upload',
			author: options.author,
			source: validation.file,
			checksum: validation.checksum,
			columns: validation.columns,
			rows: toObservationInputs(validation.rows),
			isSample: false,
			...(options.note ? { note: options.note } : {})
		},
		async (trx, id, rows) => {
			await recomputeProgress(trx, id, rows);
		}
	);
}
