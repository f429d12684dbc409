import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPlainCsvRecords, readRecordsWithCsvParse, type RawRecord } from '../../src/lib/indicators/opensdg/data-csv.ts';

const SAMPLE_DATA = path.resolve(import.meta.dirname, '../../../shared/datasets/open-sdg-la-sample/data');

/** Every reader of the cells trims them, so the two readers must agree on the trimmed cells. */
function trimmed(records: readonly RawRecord[]): Array<{ cells: string[]; line: number }> {
	return records.map((r) => ({ cells: r.cells.map((c) => c.trim()), line: r.line }));
}

function normalized(text: string): string {
	return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

/**
 * csv-parse counts a line of only non-ASCII white space (a no-break space) wrongly: the line
 * number of the records after it is one too small. The fast reader counts it.
 */
const MISCOUNTED_BY_CSV_PARSE = /(^|\n)[^\S\n]*[^\S\n\x00-\x7f][^\S\n]*(?=\n)/;

/** Asserts that the fast reader either gives up or reads exactly what csv-parse reads. */
function expectSameAsCsvParse(body: string): 'read' | 'gave up' {
	const fast = readPlainCsvRecords(body);
	const reference = readRecordsWithCsvParse(body);
	if (fast === null) return 'gave up';
	expect(reference.skipped, JSON.stringify(body)).toEqual([]);
	if (MISCOUNTED_BY_CSV_PARSE.test(body)) {
		expect(trimmed(fast).map((r) => r.cells), JSON.stringify(body)).toEqual(trimmed(reference.records).map((r) => r.cells));
	} else {
		expect(trimmed(fast), JSON.stringify(body)).toEqual(trimmed(reference.records));
	}
	return 'read';
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('the fast CSV record reader', () => {
	it.each([
		['plain lines', 'Year,Value\n2015,1\n2016,2\n'],
		['no final line break', 'Year,Value\n2015,1\n2016,2'],
		['quoted values with commas and doubled quotes', 'Year,"Units, per 100",COMMENT_OBS,Value\n2015,"Rate, per 100","He said ""no"", twice",1\n'],
		['a quoted value over several lines', 'Year,Note,Value\n2015,"first\n\nsecond",1\n2016,x,2\n'],
		['blank and white-space lines', 'Year,Value\n\n2015,1\n   \n\t\n2016,2\n\n\n'],
		['spaces around quoted values', 'Year,Units,Value\n 2015 ,  "a b"  ,\t3\n'],
		['empty quoted values and trailing commas', 'Year,Units,Value,\n2015,"",1,\n2016,,,\n'],
		['only commas', 'Year,Value\n,\n2015,1\n'],
		['non-ASCII text', 'Year,Región,Value\n2015,Región de Los Ángeles,1\n2016,"Ñuñoa, Santiago",2\n']
	])('reads %s as csv-parse does', (_name, text) => {
		expect(expectSameAsCsvParse(normalized(text))).toBe('read');
	});

	it.each([
		['an unclosed quote', 'Year,Value\n2015,"1\n2016,2\n'],
		['text after a closing quote', 'Year,Value\n2015,"1"x\n'],
		['a quote inside an unquoted value', 'Year,Height,Value\n2015,5" tall,1\n'],
		['a second byte-order mark', '\ufeff\ufeffYear,Value\n2015,1\n']
	])('leaves %s to csv-parse', (_name, text) => {
		expect(readPlainCsvRecords(normalized(text))).toBeNull();
	});

	it('skips a line of no-break spaces and counts it', () => {
		const body = 'Year,Value\n\u00a0\u00a0\n2015,1\n';
		expect(expectSameAsCsvParse(body)).toBe('read');
		expect(readPlainCsvRecords(body)).toEqual([
			{ cells: ['Year', 'Value'], line: 1 },
			{ cells: ['2015', '1'], line: 3 }
		]);
	});

	it('reads every file of the Los Angeles sample as csv-parse does', () => {
		const files = readdirSync(SAMPLE_DATA).filter((f) => f.endsWith('.csv'));
		expect(files.length).toBeGreaterThan(10);
		for (const file of files) {
			const body = normalized(readFileSync(path.join(SAMPLE_DATA, file), 'utf8'));
			if (body.trim() === '') continue;
			expect(expectSameAsCsvParse(body), file).toBe('read');
		}
	});

	it('agrees with csv-parse on 3,000 random texts, or gives up', () => {
		const pieces = ['a', 'b', '12', '2015', ' ', '\t', ',', ',', '\n', '\n', '"', '""', '\u00a0', 'é', '\n\n'];
		const next = random(2050);
		let read = 0;
		for (let n = 0; n < 3000; n++) {
			let text = '';
			const length = 1 + Math.floor(next() * 30);
			for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
			if (expectSameAsCsvParse(text) === 'read') read++;
		}
		// Most random texts have no stray quote and are read by the fast path.
		expect(read).toBeGreaterThan(500);
	});

	it('reads well-formed random files with quoted values', () => {
		const next = random(7);
		const words = ['Los Angeles', 'a, b', 'say "hi"', 'two\nlines', '', ' padded ', '1,234', 'Región'];
		const quote = (text: string) => (/[",\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
		for (let n = 0; n < 200; n++) {
			const lines = ['Year,Units,Note,Value'];
			const rows = 1 + Math.floor(next() * 20);
			for (let r = 0; r < rows; r++) {
				const cell = () => quote(words[Math.floor(next() * words.length)]!);
				lines.push([2000 + r, cell(), cell(), Math.round(next() * 1000)].join(','));
			}
			expect(expectSameAsCsvParse(lines.join('\n') + (next() < 0.5 ? '\n' : ''))).toBe('read');
		}
	});
});
