import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	formatIssue,
	isDisaggregationColumn,
	isValidYear,
	OBSERVATION_ATTRIBUTE_COLUMNS,
	parseIndicatorCsv,
	parseNumericCell,
	serializeIndicatorCsv,
	yearOf
} from '../../src/lib/indicators/opensdg/data-csv.ts';
import type { ParsedDataFile, TidyRow } from '../../src/lib/indicators/opensdg/data-csv.ts';
import {
	metadataToRaw,
	parseIndicatorConfig,
	parseMetaMarkdown,
	parseMetaYaml,
	serializeIndicatorConfig,
	serializeMetaMarkdown,
	serializeMetaYaml
} from '../../src/lib/indicators/opensdg/metadata.ts';
import {
	classifyRepositoryPath,
	configPathFor,
	dataPathFor,
	indicatorIdFromConfigPath,
	indicatorIdFromDataPath,
	indicatorIdFromMetaPath,
	isValidIndicatorId,
	metaPathFor
} from '../../src/lib/indicators/opensdg/repository-layout.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../../shared/datasets/open-sdg-la-sample');

function readSample(relPath: string): string {
	return readFileSync(path.join(SAMPLE, relPath), 'utf8');
}

/** Counted without csv-parse: valid for the sample because none of its values spans lines. */
function countDataLines(text: string): number {
	const lines = text
		.replace(/^\uFEFF/, '')
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.filter((line) => line.trim() !== '');
	return lines.length - 1;
}

function withoutLines(rows: readonly TidyRow[]): Omit<TidyRow, 'line'>[] {
	return rows.map(({ line: _line, ...rest }) => rest);
}

function roundTrip(parsed: ParsedDataFile): ParsedDataFile {
	return parseIndicatorCsv(serializeIndicatorCsv(parsed.columns, parsed.rows), parsed.file);
}

/** Verified against the files (row counts also with Python's csv module). */
const LA_DATA: Record<
	string,
	{ rows: number; columns: string[]; blankValues: number; lineEnds: 'CRLF' | 'LF' | 'CR'; bom: boolean }
> = {
	'1-2-1': {
		rows: 210,
		columns: ['Year', 'Age', 'Gender', 'Race', 'Education Attainment', 'Employment Status', 'Units', 'Value'],
		blankValues: 3,
		lineEnds: 'CRLF',
		bom: false
	},
	'10-c-1': { rows: 105, columns: ['Year', 'Grade', 'Planet', 'Fruit', 'Value'], blankValues: 0, lineEnds: 'LF', bom: false },
	'11-1-1': {
		rows: 164,
		columns: [
			'Year',
			'Sheltered/Unsheltered',
			'Gender',
			'Race/Ethnicity',
			'Age',
			'Sexual Orientation',
			'Health/Disability',
			'Domestic Violence',
			'Units',
			'Value'
		],
		blankValues: 3,
		lineEnds: 'CRLF',
		bom: false
	},
	'11-1-2': { rows: 105, columns: ['Year', 'Grade', 'Planet', 'Fruit', 'Value'], blankValues: 0, lineEnds: 'LF', bom: false },
	'16-1-1': { rows: 90, columns: ['Year', 'Victim Gender', 'Units', 'Value'], blankValues: 0, lineEnds: 'CRLF', bom: false },
	'16-7-2': {
		rows: 34,
		columns: [
			'Year',
			'Persons Registered to Vote',
			'Primary vs. General Election',
			'Turnout of Registered vs. Eligible Voters',
			'Value'
		],
		blankValues: 0,
		lineEnds: 'CRLF',
		bom: true
	},
	'17-1-1': { rows: 88, columns: ['Year', 'Revenue Source', 'Value'], blankValues: 0, lineEnds: 'CRLF', bom: false },
	'3-d-2': { rows: 105, columns: ['Year', 'Grade', 'Planet', 'Fruit', 'Value'], blankValues: 0, lineEnds: 'LF', bom: false },
	'4-1-1': {
		rows: 55,
		columns: ['Year', 'Grade Level', 'Gender', 'Poverty Level', 'Units', 'Value'],
		blankValues: 0,
		lineEnds: 'CRLF',
		bom: false
	},
	'5-1-1': { rows: 164, columns: ['Year', 'City of LA Department', 'Gender', 'Units', 'Value'], blankValues: 0, lineEnds: 'CRLF', bom: false },
	'6-1-1': { rows: 8, columns: ['Year', 'Value'], blankValues: 0, lineEnds: 'CRLF', bom: false },
	'7-3-1': { rows: 93, columns: ['Year', 'Residential, Non-Residential', 'Value'], blankValues: 0, lineEnds: 'CRLF', bom: false },
	'8-3-1': {
		rows: 50,
		columns: [
			'Year',
			'Type of Business',
			'Businesses with or without Paid Employees',
			'Businesses with Paid Employees',
			'Number of Paid Employees',
			'Units',
			'Value'
		],
		blankValues: 0,
		lineEnds: 'CR',
		bom: false
	},
	'8-5-1': { rows: 90, columns: ['Year', 'Gender', 'Occupation', 'Value'], blankValues: 0, lineEnds: 'CRLF', bom: false }
};

const LA_IDS = Object.keys(LA_DATA).sort();

describe('the LA sample repository', () => {
	it('holds exactly the 14 data and 14 meta files this test knows', () => {
		const dataIds = readdirSync(path.join(SAMPLE, 'data')).map((name) => indicatorIdFromDataPath(`data/${name}`));
		const metaIds = readdirSync(path.join(SAMPLE, 'meta')).map((name) => indicatorIdFromMetaPath(`meta/${name}`));
		expect(dataIds.sort()).toEqual(LA_IDS);
		expect(metaIds.sort()).toEqual(LA_IDS);
	});

	it.each(LA_IDS)('data/indicator_%s.csv has the line ends and BOM this test expects', (id) => {
		const bytes = readFileSync(path.join(SAMPLE, dataPathFor(id)));
		const text = bytes.toString('latin1');
		const expected = LA_DATA[id];
		expect(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf).toBe(expected?.bom);
		const crlf = (text.match(/\r\n/g) ?? []).length;
		const cr = (text.match(/\r(?!\n)/g) ?? []).length;
		const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
		const style = crlf > 0 ? 'CRLF' : cr > 0 ? 'CR' : 'LF';
		expect(style).toBe(expected?.lineEnds);
		// Never mixed within one file.
		expect([crlf, cr, lf].filter((count) => count > 0)).toHaveLength(1);
	});
});

describe('parseIndicatorCsv on the LA sample', () => {
	it.each(LA_IDS)('data/indicator_%s.csv parses without errors, with the known columns and row count', (id) => {
		const file = dataPathFor(id);
		const text = readSample(file);
		const parsed = parseIndicatorCsv(text, file);
		const expected = LA_DATA[id];
		expect(parsed.errors).toEqual([]);
		expect(parsed.warnings).toEqual([]);
		expect(parsed.file).toBe(file);
		expect(parsed.columns).toEqual(expected?.columns);
		expect(parsed.rows).toHaveLength(expected?.rows ?? -1);
		expect(parsed.rows).toHaveLength(countDataLines(text));
		expect(parsed.rows.filter((row) => row.value === null)).toHaveLength(expected?.blankValues ?? -1);
		for (const row of parsed.rows) {
			expect(isValidYear(row.year)).toBe(true);
			expect(row.attributes).toEqual({});
			expect(row.progress).toBeUndefined();
			for (const [column, value] of Object.entries(row.dims)) {
				expect(parsed.columns).toContain(column);
				expect(value).toBe(value.trim());
				expect(value).not.toBe('');
			}
		}
		// Lines follow the file: no blank lines in the sample, so row i is on line i + 2.
		expect(parsed.rows.map((row) => row.line)).toEqual(parsed.rows.map((_, i) => i + 2));
	});

	it('reads the period years of 17-1-1 as written, counting as their first year', () => {
		const parsed = parseIndicatorCsv(readSample('data/indicator_17-1-1.csv'), 'data/indicator_17-1-1.csv');
		expect(parsed.rows[0]).toEqual({ line: 2, year: '2009-2010', value: 6884.79, dims: {}, attributes: {} });
		expect(parsed.rows[1]).toEqual({ line: 3, year: '2009-2010', value: 1418.87, dims: { 'Revenue Source': 'Property Tax' }, attributes: {} });
		expect(parsed.rows.at(-1)).toMatchObject({ line: 89, year: '2019-2020', value: 4268.71, dims: { 'Revenue Source': 'Other' } });
		const years = [...new Set(parsed.rows.map((row) => yearOf(row.year)))];
		expect(years).toEqual([2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019]);
	});

	it('strips the BOM of 16-7-2 from the Year header', () => {
		const parsed = parseIndicatorCsv(readSample('data/indicator_16-7-2.csv'), 'data/indicator_16-7-2.csv');
		expect(parsed.columns[0]).toBe('Year');
		expect(parsed.rows[0]).toEqual({
			line: 2,
			year: '2018',
			value: 85,
			dims: { 'Persons Registered to Vote': 'General Election' },
			attributes: {}
		});
	});

	it('reads the CR-only file 8-3-1 line by line, including quoted values with commas', () => {
		const parsed = parseIndicatorCsv(readSample('data/indicator_8-3-1.csv'), 'data/indicator_8-3-1.csv');
		expect(parsed.rows[15]).toEqual({
			line: 17,
			year: '2007',
			value: 138503,
			dims: { 'Type of Business': 'All Privately-Held', Units: 'Annual Revenue ($M, businesses with paid employees)' },
			attributes: {}
		});
		expect(parsed.rows.at(-1)).toEqual({
			line: 51,
			year: '2012',
			value: 43863,
			dims: { 'Type of Business': 'Publicly-Held', Units: 'Annual Payroll ($M)' },
			attributes: {}
		});
	});

	it('reads the quoted header with a comma of 7-3-1 and the quoted values of 8-5-1', () => {
		const energy = parseIndicatorCsv(readSample('data/indicator_7-3-1.csv'), 'data/indicator_7-3-1.csv');
		expect(energy.rows[0]).toEqual({ line: 2, year: '1990', value: 64746.17602, dims: {}, attributes: {} });
		expect(energy.rows.at(-1)).toEqual({ line: 94, year: '2020', value: 42736.77, dims: { 'Residential, Non-Residential': 'Non-Residential' }, attributes: {} });
		const earnings = parseIndicatorCsv(readSample('data/indicator_8-5-1.csv'), 'data/indicator_8-5-1.csv');
		expect(earnings.rows[3]).toEqual({
			line: 5,
			year: '2015',
			value: 56172,
			dims: { Occupation: 'Management, business, science, and arts' },
			attributes: {}
		});
	});

	it('keeps blank values as null (1-2-1 lines 77, 119, 203; 11-1-1 lines 110, 130, 133)', () => {
		const poverty = parseIndicatorCsv(readSample('data/indicator_1-2-1.csv'), 'data/indicator_1-2-1.csv');
		expect(poverty.rows.filter((row) => row.value === null).map((row) => row.line)).toEqual([77, 119, 203]);
		expect(poverty.rows.find((row) => row.line === 77)).toEqual({
			line: 77,
			year: '2015',
			value: null,
			dims: { Race: 'Native Hawaiian and Other Pacific Islander', Units: 'Percent by Race' },
			attributes: {}
		});
		const homeless = parseIndicatorCsv(readSample('data/indicator_11-1-1.csv'), 'data/indicator_11-1-1.csv');
		expect(homeless.rows.filter((row) => row.value === null).map((row) => row.line)).toEqual([110, 130, 133]);
	});

	it('finds the same placeholder data in 3-d-2, 10-c-1 and 11-1-2', () => {
		const [a, b, c] = ['3-d-2', '10-c-1', '11-1-2'].map((id) => parseIndicatorCsv(readSample(dataPathFor(id)), dataPathFor(id)));
		expect(withoutLines(a?.rows ?? [])).toEqual(withoutLines(b?.rows ?? []));
		expect(withoutLines(a?.rows ?? [])).toEqual(withoutLines(c?.rows ?? []));
	});

	it.each(LA_IDS)('data/indicator_%s.csv survives parse → serialize → parse unchanged', (id) => {
		const parsed = parseIndicatorCsv(readSample(dataPathFor(id)), dataPathFor(id));
		const written = serializeIndicatorCsv(parsed.columns, parsed.rows);
		expect(written).not.toContain('\r');
		expect(written.endsWith('\n')).toBe(true);
		const again = parseIndicatorCsv(written, parsed.file);
		expect(again.errors).toEqual([]);
		expect(again.warnings).toEqual([]);
		expect(again.columns).toEqual(parsed.columns);
		expect(withoutLines(again.rows)).toEqual(withoutLines(parsed.rows));
		// Writing the re-read rows gives the same text: the writer is stable.
		expect(serializeIndicatorCsv(again.columns, again.rows)).toBe(written);
	});
});

describe('parseIndicatorCsv on crafted files', () => {
	const file = 'data/indicator_9-9-9.csv';

	it('reports an empty file (0 bytes, whitespace, BOM only) as one error', () => {
		for (const text of ['', '   \n\r\n', '\uFEFF', '\uFEFF\r\n']) {
			const parsed = parseIndicatorCsv(text, file);
			expect(parsed.errors).toHaveLength(1);
			expect(parsed.errors[0]).toMatchObject({ file, line: null, column: null });
			expect(parsed.errors[0]?.message).toContain('file is empty');
			expect(parsed.errors[0]?.fix).not.toBe('');
			expect(parsed.rows).toEqual([]);
			expect(parsed.warnings).toEqual([]);
		}
	});

	it('warns about a header-only file, without an error', () => {
		const parsed = parseIndicatorCsv('Year,Gender,Value\r\n', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.columns).toEqual(['Year', 'Gender', 'Value']);
		expect(parsed.rows).toEqual([]);
		expect(parsed.warnings).toHaveLength(1);
		expect(parsed.warnings[0]?.message).toContain('no data rows');
	});

	it('names the file, line 1 and the fix when Value is missing', () => {
		const parsed = parseIndicatorCsv('Year,Gender,Amount\n2015,Female,3\n', file);
		expect(parsed.rows).toEqual([]);
		expect(parsed.errors).toHaveLength(1);
		const error = parsed.errors[0];
		expect(error).toMatchObject({ file, line: 1, column: 'Value' });
		expect(error?.message).toBe('The header (line 1) has no Value column. Columns found: Year, Gender, Amount.');
		expect(error?.fix).toContain('Add a column named Value');
		expect(formatIssue(error ?? { file: '', line: null, column: null, message: '', fix: '' })).toBe(
			`${file}, line 1, column Value: The header (line 1) has no Value column. Columns found: Year, Gender, Amount. ${error?.fix}`
		);
	});

	it('reports a missing Year column, and hints at semicolons', () => {
		const missing = parseIndicatorCsv('Gender,Value\nFemale,3\n', file);
		expect(missing.errors.map((e) => [e.line, e.column])).toEqual([[1, 'Year']]);
		const semicolons = parseIndicatorCsv('Year;Value\n2015;3\n', file);
		expect(semicolons.errors).toHaveLength(2);
		expect(semicolons.errors[0]?.fix).toContain('semicolons');
	});

	it('matches Year and Value case-insensitively and says so', () => {
		const parsed = parseIndicatorCsv(' year , VALUE ,units\n2015,3,Percent\n', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.columns).toEqual(['Year', 'Value', 'Units']);
		expect(parsed.rows).toEqual([{ line: 2, year: '2015', value: 3, dims: { Units: 'Percent' }, attributes: {} }]);
		expect(parsed.warnings.map((w) => w.column)).toEqual(['Year', 'Value', 'Units']);
	});

	it('names line, column, the text and the fix for a non-numeric value', () => {
		const parsed = parseIndicatorCsv('Year,Gender,Value\n2015,Female,3\n2016,Female,about 4\n2017,Female,N/A\n2018,Female,12%\n', file);
		expect(parsed.rows.map((row) => row.line)).toEqual([2]);
		expect(parsed.errors.map((e) => [e.line, e.column])).toEqual([
			[3, 'Value'],
			[4, 'Value'],
			[5, 'Value']
		]);
		expect(parsed.errors[0]?.message).toBe('Line 3, column Value: "about 4" is not a number.');
		expect(parsed.errors[0]?.fix).toContain('plain number');
		expect(parsed.errors[1]?.fix).toContain('empty');
		expect(parsed.errors[2]?.fix).toContain('% sign');
	});

	it('rejects a year that does not start with four digits', () => {
		const parsed = parseIndicatorCsv('Year,Value\nFY2015,1\n15,2\n20155,3\n,4\n2015-16,5\n', file);
		expect(parsed.errors.map((e) => [e.line, e.column])).toEqual([
			[2, 'Year'],
			[3, 'Year'],
			[4, 'Year'],
			[5, 'Year']
		]);
		expect(parsed.errors[0]?.message).toBe('Line 2, column Year: "FY2015" is not a year.');
		expect(parsed.errors[3]?.message).toBe('Line 5, column Year: the year is missing.');
		expect(parsed.rows).toEqual([{ line: 6, year: '2015-16', value: 5, dims: {}, attributes: {} }]);
	});

	it('accepts year ranges and periods', () => {
		const parsed = parseIndicatorCsv('Year,Value\n2009-2010,1\n2015-16,2\n2015-Q1,3\n2015/16,4\n 2020 ,5\n', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows.map((row) => row.year)).toEqual(['2009-2010', '2015-16', '2015-Q1', '2015/16', '2020']);
		expect(parsed.rows.map((row) => yearOf(row.year))).toEqual([2009, 2015, 2015, 2015, 2020]);
	});

	it('reports rows with a wrong number of values by line', () => {
		const parsed = parseIndicatorCsv('Year,Occupation,Value\n2015,Sales,3\n2015,Management, business,4\n2016,5\n2017,Sales,6,,\n', file);
		expect(parsed.errors.map((e) => e.line)).toEqual([3, 4]);
		expect(parsed.errors[0]?.message).toBe('Line 3 has 4 values but the header (line 1) has 3 columns.');
		expect(parsed.errors[0]?.fix).toContain('double quotes');
		expect(parsed.errors[1]?.message).toBe('Line 4 has 2 values but the header (line 1) has 3 columns.');
		// Trailing empty values are ignored, with a warning.
		expect(parsed.rows.map((row) => row.line)).toEqual([2, 5]);
		expect(parsed.warnings.map((w) => w.line)).toEqual([5]);
	});

	it('reports two different values for one observation naming both lines; drops exact repeats with a warning', () => {
		const parsed = parseIndicatorCsv('Year,Gender,Units,Value\n2015,Female,Percent,1\n2015,Male,Percent,2\n2015, Female ,Percent,3\n2015,,Percent,4\n2015,,Percent,4\n', file);
		expect(parsed.errors).toHaveLength(1);
		expect(parsed.errors[0]?.message).toBe('Lines 2 and 4 are the same observation (Year 2015, Gender "Female", Units "Percent") with different values (1 and 3).');
		expect(parsed.errors[0]?.line).toBe(4);
		expect(parsed.warnings.map((w) => w.message)).toEqual(['Lines 5 and 6 are the same observation (Year 2015, Units "Percent"), written twice; line 6 is skipped.']);
		expect(parsed.rows.map((row) => row.line)).toEqual([2, 3, 5]);
	});

	it('drops a blank-value row that repeats a row with a value, whichever comes first', () => {
		const parsed = parseIndicatorCsv('Year,Gender,Value\n2015,Female,1\n2016,Female,\n2015,Female,\n2016,Female,2\n', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.warnings.map((w) => w.message)).toEqual([
			'Lines 2 and 4 are the same observation (Year 2015, Gender "Female"); line 4 has no value and is skipped.',
			'Lines 3 and 5 are the same observation (Year 2016, Gender "Female"); line 3 has no value and is skipped.'
		]);
		expect(parsed.rows.map((row) => [row.line, row.value])).toEqual([
			[2, 1],
			[5, 2]
		]);
	});

	it('keeps the first or the last of two different values when asked, with a warning per pair', () => {
		const text = 'Year,COMMENT_OBS,Value\n2015,,1\n2015,,2\n2015,revised,3\n2016,,4\n';
		const first = parseIndicatorCsv(text, file, { duplicates: 'keep-first' });
		expect(first.errors).toEqual([]);
		expect(first.rows.map((r) => r.value)).toEqual([1, 4]);
		expect(first.warnings).toHaveLength(2);
		expect(first.warnings[0]?.message).toContain('line 2 is kept, line 3 is skipped');
		const last = parseIndicatorCsv(text, file, { duplicates: 'keep-last' });
		expect(last.rows.map((r) => [r.line, r.value, r.attributes])).toEqual([
			[4, 3, { COMMENT_OBS: 'revised' }],
			[5, 4, {}]
		]);
		expect(last.warnings[1]?.message).toContain('line 4 is kept, line 3 is skipped');
		// Same value, other comment: different content, so an error by default.
		expect(parseIndicatorCsv('Year,COMMENT_OBS,Value\n2015,,1\n2015,x,1\n', file).errors).toHaveLength(1);
	});

	it('counts the numeric values, so a file without any reads as non-statistical', () => {
		const words = parseIndicatorCsv('Year,Value\nThis is a non-statistical indicator,\n', file);
		expect(words.numericValues).toBe(0);
		expect(parseIndicatorCsv('Year,Value\n2015,\n2016,2\n', file).numericValues).toBe(1);
	});

	it('reads Inf and Infinity as non-finite numbers and writes them back', () => {
		const parsed = parseIndicatorCsv('Year,Value\n2015,Inf\n2016,-infinity\n2017,1\n', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows.map((r) => r.value)).toEqual([Infinity, -Infinity, 1]);
		expect(serializeIndicatorCsv(parsed.columns, parsed.rows)).toBe('Year,Value\n2015,Inf\n2016,-Inf\n2017,1\n');
	});

	it("takes a repository's observation attributes as attributes, not disaggregations", () => {
		const text = 'Year,Sex,NOTE_A,Value\n2015,Female,x,1\n2015,Female,y,1\n';
		expect(parseIndicatorCsv(text, file).rows[0]?.dims).toEqual({ Sex: 'Female', NOTE_A: 'x' });
		const settings = { nonDisaggregation: ['Year', 'Value'], observationAttributes: ['NOTE_A'] };
		const parsed = parseIndicatorCsv(text, file, { columns: settings });
		expect(parsed.rows[0]?.dims).toEqual({ Sex: 'Female' });
		expect(parsed.rows[0]?.attributes).toEqual({ NOTE_A: 'x' });
		expect(parsed.errors).toHaveLength(1);
		// Numbered comment columns are observation attributes by default.
		expect(parseIndicatorCsv('Year,COMMENT_OBS_0,Value\n2015,a,1\n', file).rows[0]?.attributes).toEqual({ COMMENT_OBS_0: 'a' });
	});

	it('reads a CR-only file with correct line numbers', () => {
		const parsed = parseIndicatorCsv('Year,Value\r2015,1\r\r2016,2\r', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows).toEqual([
			{ line: 2, year: '2015', value: 1, dims: {}, attributes: {} },
			{ line: 4, year: '2016', value: 2, dims: {}, attributes: {} }
		]);
	});

	it('reads a BOM and a quoted header containing a comma', () => {
		const parsed = parseIndicatorCsv('\uFEFF"Year","Residential, Non-Residential",Value\r\n1990,,64746.17602\r\n1990,"Residential",1.5\r\n', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.columns).toEqual(['Year', 'Residential, Non-Residential', 'Value']);
		expect(parsed.rows[1]).toEqual({ line: 3, year: '1990', value: 1.5, dims: { 'Residential, Non-Residential': 'Residential' }, attributes: {} });
	});

	it('accepts thousands separators and stray spaces in values', () => {
		const parsed = parseIndicatorCsv('Year,Value\n2015,"1,234"\n2016, "1,234,567.5" \n2017,  -42 \n2018,1e3\n2019,\n2020,"12,34"\n', file);
		expect(parsed.rows.map((row) => row.value)).toEqual([1234, 1234567.5, -42, 1000, null]);
		expect(parsed.errors.map((e) => [e.line, e.column])).toEqual([[7, 'Value']]);
		expect(parsed.errors[0]?.fix).toContain('decimal separator');
		expect(parseNumericCell(' 0.5 ')).toBe(0.5);
		expect(parseNumericCell('.5')).toBe(0.5);
		expect(parseNumericCell('1,23')).toBeUndefined();
		expect(parseNumericCell('Infinity')).toBe(Infinity);
		expect(parseNumericCell(' -inf ')).toBe(-Infinity);
		expect(parseNumericCell('INF')).toBe(Infinity);
		expect(parseNumericCell('Infinit')).toBeUndefined();
		expect(parseNumericCell('-')).toBeUndefined();
		expect(parseNumericCell('')).toBeNull();
	});

	it('skips blank lines and lines of empty values, keeping line numbers', () => {
		const parsed = parseIndicatorCsv('\nYear,Value\n\n2015,1\n,\n   \n2016,2', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows.map((row) => [row.line, row.year])).toEqual([
			[4, '2015'],
			[7, '2016']
		]);
		expect(parsed.warnings.map((w) => w.line)).toEqual([5]);
	});

	it('counts the line a multi-line quoted value starts on', () => {
		const parsed = parseIndicatorCsv('Year,COMMENT_OBS,Value\n2015,"first\nsecond",1\n2016,,2\n', file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows).toEqual([
			{ line: 2, year: '2015', value: 1, dims: {}, attributes: { COMMENT_OBS: 'first\nsecond' } },
			{ line: 4, year: '2016', value: 2, dims: {}, attributes: {} }
		]);
	});

	it('reports an unclosed quote and a quote followed by text, with their line', () => {
		const unclosed = parseIndicatorCsv('Year,Gender,Value\n2015,Female,1\n2016,"Female,2\n2017,Male,3\n', file);
		expect(unclosed.rows.map((row) => row.line)).toEqual([2]);
		expect(unclosed.errors).toHaveLength(1);
		expect(unclosed.errors[0]?.line).toBe(3);
		expect(unclosed.errors[0]?.message).toContain('never closed');
		const stray = parseIndicatorCsv('Year,Gender,Value\n2015,"Fem"ale,1\n2016,Male,2\n', file);
		expect(stray.errors).toHaveLength(1);
		expect(stray.errors[0]?.line).toBe(2);
		expect(stray.errors[0]?.message).toContain('Nothing after this point could be read');
	});

	it('drops an unnamed empty column with a warning, and rejects an unnamed column with values', () => {
		const trailing = parseIndicatorCsv('Year,Value,\n2015,1,\n2016,2,\n', file);
		expect(trailing.errors).toEqual([]);
		expect(trailing.columns).toEqual(['Year', 'Value']);
		expect(trailing.rows).toHaveLength(2);
		expect(trailing.warnings).toHaveLength(1);
		const unnamed = parseIndicatorCsv('Year,,Value\n2015,Female,1\n', file);
		expect(unnamed.errors.map((e) => e.message)).toEqual(['Line 1: column 2 has no name but holds values.']);
	});

	it('rejects two columns with the same name', () => {
		const parsed = parseIndicatorCsv('Year,Gender,gender,Value\n2015,Female,Male,1\n', file);
		expect(parsed.errors.map((e) => e.message)).toEqual(['Line 1: columns 2 and 3 are both named "gender".']);
		const twice = parseIndicatorCsv('Year,Gender,Gender ,Value\n2015,Female,Male,1\n', file);
		expect(twice.errors.map((e) => e.message)).toEqual(['Line 1: columns 2 and 3 are both named "Gender".']);
		expect(twice.rows).toEqual([]);
	});

	it('sorts Units, Series, GeoCode and disaggregations into dims, attributes apart, and reads Progress', () => {
		const parsed = parseIndicatorCsv(
			'Year,Series,Units,GeoCode,Gender,COMMENT_OBS,OBS_STATUS,Value,Progress\n2015,SI_POV,Percent,06037,Female,estimate,E,12.5,-3\n2016,SI_POV,Percent,,,,,13,\n',
			file
		);
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows).toEqual([
			{
				line: 2,
				year: '2015',
				value: 12.5,
				progress: -3,
				dims: { Series: 'SI_POV', Units: 'Percent', GeoCode: '06037', Gender: 'Female' },
				attributes: { COMMENT_OBS: 'estimate', OBS_STATUS: 'E' }
			},
			{ line: 3, year: '2016', value: 13, progress: null, dims: { Series: 'SI_POV', Units: 'Percent' }, attributes: {} }
		]);
		expect(roundTrip(parsed).rows.map(({ line: _l, ...rest }) => rest)).toEqual(withoutLines(parsed.rows));
	});

	it('classifies columns', () => {
		expect(OBSERVATION_ATTRIBUTE_COLUMNS).toEqual(
			expect.arrayContaining(['COMMENT_OBS', 'OBS_STATUS', 'UNIT_MULT', 'UNIT_MEASURE', 'COMMENT_TS', 'TIME_DETAIL', 'TIME_COVERAGE', 'NATURE', 'SOURCE_DETAIL', 'REPORTING_TYPE'])
		);
		for (const name of ['Year', 'Value', 'Units', 'Series', 'GeoCode', 'Progress', 'COMMENT_OBS', 'obs_status', ' units ']) {
			expect(isDisaggregationColumn(name), name).toBe(false);
		}
		for (const name of ['Gender', 'Age', 'Residential, Non-Residential', 'Unit']) expect(isDisaggregationColumn(name), name).toBe(true);
	});

	it('yearOf takes the first four digits', () => {
		expect(yearOf('2015')).toBe(2015);
		expect(yearOf('2015-16')).toBe(2015);
		expect(yearOf('2009-2010')).toBe(2009);
		expect(() => yearOf('FY15')).toThrow(/not a year/);
	});

	it('round-trips values that need quoting and numbers that need care', () => {
		const rows: TidyRow[] = [
			{ line: 0, year: '2015', value: 0.1 + 0.2, dims: { Occupation: 'Sales, office' }, attributes: { COMMENT_OBS: 'said "about"' } },
			{ line: 0, year: '2016', value: -0, dims: { Occupation: 'two\nlines' }, attributes: {} },
			{ line: 0, year: '2017', value: 1e21, dims: {}, attributes: {} },
			{ line: 0, year: '2018', value: 5e-7, dims: {}, attributes: {} },
			{ line: 0, year: '2019', value: null, dims: {}, attributes: {} },
			{ line: 0, year: '2020', value: 123456789.123456, dims: {}, attributes: {} }
		];
		const columns = ['Year', 'Occupation', 'COMMENT_OBS', 'Value'];
		const text = serializeIndicatorCsv(columns, rows);
		expect(text.split('\n')[1]).toBe('2015,"Sales, office","said ""about""",0.30000000000000004');
		const parsed = parseIndicatorCsv(text, file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.columns).toEqual(columns);
		expect(withoutLines(parsed.rows)).toEqual(withoutLines(rows));
		expect(Object.is(parsed.rows[1]?.value, -0)).toBe(true);
	});

	it('refuses to write rows that would lose values', () => {
		const row: TidyRow = { line: 0, year: '2015', value: 1, dims: { Gender: 'Female' }, attributes: {} };
		expect(() => serializeIndicatorCsv(['Year', 'Value'], [row])).toThrow(/Gender/);
		expect(() => serializeIndicatorCsv(['Year', 'Gender'], [row])).toThrow(/Value/);
		expect(() => serializeIndicatorCsv(['Year', 'Gender', 'Value'], [{ ...row, value: Number.NaN }])).toThrow(/NaN/);
	});
});

describe('metadata on the LA sample', () => {
	it.each(LA_IDS)('meta/%s.md parses without errors or warnings', (id) => {
		const file = metaPathFor(id);
		const parsed = parseMetaMarkdown(readSample(file), file);
		expect(parsed.errors).toEqual([]);
		expect(parsed.warnings).toEqual([]);
		const meta = parsed.metadata;
		expect(meta.id).toBe(id);
		expect(meta.raw['indicator']).toBe(id.replaceAll('-', '.'));
		expect(meta.name).toBe(String(meta.raw['indicator_name']).trim());
		expect(meta.published).toBe(true);
		expect(['complete', 'notstarted']).toContain(meta.reporting_status);
		expect(['line', 'bar']).toContain(meta.graph_type);
		expect(meta.auto_progress_calculation).toBeUndefined();
		expect(meta.progress_calculation_options).toBeUndefined();
	});

	it('normalizes the fields of meta/1-2-1.md', () => {
		const { metadata } = parseMetaMarkdown(readSample('meta/1-2-1.md'), 'meta/1-2-1.md');
		expect(metadata).toMatchObject({
			id: '1-2-1',
			name: 'Proportion of population living below the national poverty line, by sex and age',
			unit: 'Percentage',
			graph_type: 'bar',
			graph_title: 'Proportion of population living below the national poverty line, by sex and age',
			reporting_status: 'complete',
			data_non_statistical: false,
			source_name: 'United States Census Bureau',
			source_url: 'https://factfinder.census.gov'
		});
		expect(metadata.description).toMatch(/^The Census Bureau determines poverty status/);
		expect(metadata.content).toBeUndefined();
		expect(metadata.sources?.map((s) => [s.index, s.active])).toEqual([
			[1, true],
			[2, false],
			[3, false],
			[4, false],
			[5, false],
			[6, false]
		]);
		// "Link to source" in source_url_3 is link text, not an address.
		expect(metadata.sources?.[2]?.url).toBeUndefined();
		expect(metadata.raw['source_url_3']).toBe('Link to source');
	});

	it('picks the first shown source that names an organisation or address', () => {
		const voters = parseMetaMarkdown(readSample('meta/16-7-2.md'), 'meta/16-7-2.md').metadata;
		expect([voters.source_name, voters.source_url]).toEqual(['World Council on City Data', 'http://open.dataforcities.org/']);
		const business = parseMetaMarkdown(readSample('meta/8-3-1.md'), 'meta/8-3-1.md').metadata;
		expect([business.source_name, business.source_url]).toEqual(['World Council on City Data', 'http://open.dataforcities.org/']);
		const women = parseMetaMarkdown(readSample('meta/5-1-1.md'), 'meta/5-1-1.md').metadata;
		expect([women.source_name, women.source_url]).toEqual([undefined, undefined]);
	});

	it('keeps the Markdown body as content', () => {
		const women = parseMetaMarkdown(readSample('meta/5-1-1.md'), 'meta/5-1-1.md').metadata;
		expect(women.content?.startsWith('**Non-Statistical Indicator**\n\n## Relevant Policies')).toBe(true);
		expect(women.data_non_statistical).toBe(true);
		expect(women.raw['tags']).toEqual(['Non-Statistical']);
		expect(women.raw['International Organization for Standardization (ISO) 37120 Alignment']).toMatch(/^Aligns to WCCD/);
		const rent = parseMetaMarkdown(readSample('meta/11-1-2.md'), 'meta/11-1-2.md').metadata;
		expect(rent.content).toContain('<iframe');
		const blood = parseMetaMarkdown(readSample('meta/3-d-2.md'), 'meta/3-d-2.md').metadata;
		expect(blood.raw['tags']).toBeNull();
	});

	it.each(LA_IDS)('meta/%s.md survives parse → serialize → parse unchanged', (id) => {
		const file = metaPathFor(id);
		const parsed = parseMetaMarkdown(readSample(file), file);
		const markdown = serializeMetaMarkdown(parsed.metadata);
		const again = parseMetaMarkdown(markdown, file);
		expect(again.errors).toEqual([]);
		expect(again.metadata).toEqual(parsed.metadata);
		const yaml = parseMetaYaml(serializeMetaYaml(parsed.metadata.raw), metaPathFor(id, 'yml'));
		expect(yaml.errors).toEqual([]);
		expect(yaml.metadata.raw).toEqual(parsed.metadata.raw);
	});
});

describe('metadata on crafted files', () => {
	const file = 'indicator-config/9-9-9.yml';

	it('reads progress options tolerantly', () => {
		const parsed = parseIndicatorConfig(
			[
				'reporting_status: In Progress',
				"auto_progress_calculation: 'true'",
				'progress_calculation_options:',
				'  - direction: Positive',
				"    base_year: '2015'",
				"    target: '1,000'",
				'    target_year: 2050',
				'    unit: Percent',
				'    series: 2',
				'    disaggregation:',
				'      - field: Gender',
				'        value: Female',
				'  - direction: negative',
				'    limit: 100',
				'    disaggregation: { Age: 15-24 }',
				'  - group:',
				'      - { series: A, target: 0 }',
				'      - series: B',
				'  -',
				''
			].join('\n'),
			file
		);
		expect(parsed.errors).toEqual([]);
		// As published, only "positive" exactly is positive: "Positive" is read as negative, with a warning.
		expect(parsed.warnings.map((w) => w.message)).toEqual(['Line 4: progress_calculation_options[entry 1].direction is "Positive"; it is read as negative (lower is better).']);
		expect(parsed.metadata).toMatchObject({
			id: '9-9-9',
			reporting_status: 'inprogress',
			auto_progress_calculation: true,
			progress_calculation_options: [
				{ direction: 'negative', base_year: 2015, target: 1000, target_year: 2050, unit: 'Percent', series: '2', disaggregation: [{ field: 'Gender', value: 'Female' }] },
				{ direction: 'negative', limit: 100, disaggregation: [{ field: 'Age', value: '15-24' }] },
				{ group: [{ series: 'A', target: 0 }, { series: 'B' }] },
				{}
			]
		});
	});

	it('reports wrong progress options with their line, as errors only when the calculation is on', () => {
		const lines = ['progress_calculation_options:', '  - direction: up', '    target: about 5', '    base_yaer: 2015', '    disaggregation:', '      - field: Gender', ''];
		const on = parseIndicatorConfig(['auto_progress_calculation: true', ...lines].join('\n'), file);
		expect(on.errors.map((e) => [e.line, e.column])).toEqual([
			[4, 'progress_calculation_options[entry 1].target'],
			[7, 'progress_calculation_options[entry 1].disaggregation[entry 1]']
		]);
		expect(on.warnings.map((w) => [w.line, w.column])).toEqual([
			[3, 'progress_calculation_options[entry 1].direction'],
			[5, 'progress_calculation_options[entry 1].base_yaer']
		]);
		expect(on.warnings[0]?.fix).toContain('positive (higher is better)');
		expect(on.metadata.progress_calculation_options).toEqual([{ direction: 'negative' }]);

		// Calculation off (or not a yes/no): the options are not read, so they reject nothing.
		const off = parseIndicatorConfig(['auto_progress_calculation: maybe', ...lines].join('\n'), file);
		expect(off.errors.map((e) => [e.line, e.column])).toEqual([[1, 'auto_progress_calculation']]);
		expect(off.optionErrors.map((e) => e.line)).toEqual([4, 7]);
		expect(off.metadata.auto_progress_calculation).toBeUndefined();
	});

	it('reports YAML syntax errors with the file line, also inside front matter', () => {
		const config = parseIndicatorConfig('graph_type: line\nprogress_calculation_options: [\n  target: 5\n', file);
		expect(config.errors.length).toBeGreaterThan(0);
		expect(config.errors[0]?.line).toBeGreaterThanOrEqual(2);
		expect(config.errors[0]?.message).toMatch(/^Line \d+: the metadata is not valid YAML/);
		expect(config.metadata.raw).toEqual({});
		const markdown = parseMetaMarkdown('\uFEFF---\r\nindicator_name: x\r\ngraph_title: "unclosed\r\n---\r\nBody\r\n', 'meta/9-9-9.md');
		expect(markdown.errors).toHaveLength(1);
		expect(markdown.errors[0]?.line).toBe(3);
		expect(markdown.errors[0]?.fix).toContain('quote');
	});

	it('handles front matter that is missing, unclosed or empty', () => {
		const none = parseMetaMarkdown('Just a page.\n', 'meta/9-9-9.md');
		expect(none.errors).toEqual([]);
		expect(none.warnings).toHaveLength(1);
		expect(none.metadata).toEqual({ id: '9-9-9', content: 'Just a page.\n', raw: {} });
		const unclosed = parseMetaMarkdown('---\nindicator_name: x\n', 'meta/9-9-9.md');
		expect(unclosed.errors.map((e) => [e.line, e.message])).toEqual([[1, 'Line 1: the metadata block opened with "---" is never closed.']]);
		const empty = parseMetaMarkdown('---\n---\n', 'meta/9-9-9.md');
		expect(empty.errors).toEqual([]);
		expect(empty.metadata).toEqual({ id: '9-9-9', raw: {} });
		const blank = parseMetaYaml('', 'meta/9-9-9.yml');
		expect(blank.errors).toEqual([]);
		expect(blank.warnings).toHaveLength(1);
	});

	it('warns about duplicate keys and an id that disagrees with the file name', () => {
		const parsed = parseMetaYaml('indicator_number: 1.3.1\ngraph_type: line\ngraph_type: bar\n', 'meta/1-2-1.yml');
		expect(parsed.errors).toEqual([]);
		expect(parsed.warnings.map((w) => w.line)).toEqual([3, 1]);
		expect(parsed.metadata.graph_type).toBe('bar');
		expect(parsed.metadata.id).toBe('1-2-1');
	});

	it('reads page_content of a .yml file as content, and a list root as an error', () => {
		const parsed = parseMetaYaml('indicator_name: Rent\npage_content: |\n  Some **text**.\n', 'meta/rent-burden.yml');
		expect(parsed.metadata).toMatchObject({ id: 'rent-burden', name: 'Rent', content: 'Some **text**.\n' });
		const list = parseMetaYaml('- a\n- b\n', 'meta/x.yml');
		expect(list.errors).toHaveLength(1);
	});

	it('writes edited fields back to the keys they came from, keeping the rest', () => {
		const source = readSample('meta/1-2-1.md');
		const { metadata } = parseMetaMarkdown(source, 'meta/1-2-1.md');
		const edited = {
			...metadata,
			name: 'Poverty rate',
			unit: undefined,
			auto_progress_calculation: true,
			progress_calculation_options: [{ direction: 'negative' as const, target: 10, target_year: 2050 }],
			source_url: 'https://data.census.gov',
			content: 'New body.\n'
		};
		const raw = metadataToRaw(edited, 'md');
		expect(raw['indicator_name']).toBe('Poverty rate');
		expect(raw['graph_title']).toBe(metadata.raw['graph_title']);
		expect('computation_units' in raw).toBe(false);
		expect(raw['source_url_1']).toBe('https://data.census.gov');
		expect(raw['page_content']).toBeUndefined();
		const again = parseMetaMarkdown(serializeMetaMarkdown(edited), 'meta/1-2-1.md').metadata;
		expect(again).toMatchObject({
			name: 'Poverty rate',
			auto_progress_calculation: true,
			progress_calculation_options: [{ direction: 'negative', target: 10, target_year: 2050 }],
			source_url: 'https://data.census.gov',
			content: 'New body.\n'
		});
		expect(again.unit).toBeUndefined();
		expect(again.raw['wccd_iso_37120_alignment']).toBe(metadata.raw['wccd_iso_37120_alignment']);

		const config = parseIndicatorConfig(serializeIndicatorConfig({ raw: {}, reporting_status: 'complete', graph_type: 'line', content: 'Body' }), file);
		expect(config.errors).toEqual([]);
		expect(config.metadata.raw).toEqual({ graph_type: 'line', reporting_status: 'complete', page_content: 'Body' });
	});

	it('writes YAML that YAML 1.1 readers read back as strings', () => {
		const text = serializeMetaYaml({ published: 'yes', date: '2019-01-01', sdg_goal: '1', sort: '01-02-01', flag: true });
		expect(text).toContain('published: "yes"');
		expect(text).toContain('date: "2019-01-01"');
		expect(text).toContain('sdg_goal: "1"');
		expect(text).toContain('flag: true');
		expect(parseMetaYaml(text, 'meta/x.yml').metadata.raw).toEqual({ published: 'yes', date: '2019-01-01', sdg_goal: '1', sort: '01-02-01', flag: true });
	});
});

describe('repository layout', () => {
	it('reads ids from data, meta and config paths', () => {
		expect(indicatorIdFromDataPath('data/indicator_1-2-1.csv')).toBe('1-2-1');
		expect(indicatorIdFromDataPath('./data/indicator_10-c-1.CSV')).toBe('10-c-1');
		expect(indicatorIdFromDataPath('data\\goal-8\\indicator_unemployment.csv')).toBe('unemployment');
		expect(indicatorIdFromDataPath('data/1-2-1/values.csv')).toBeNull();
		expect(indicatorIdFromDataPath('data/indicator_1.2.1.csv')).toBeNull();
		expect(indicatorIdFromDataPath('meta/1-2-1.md')).toBeNull();
		expect(indicatorIdFromDataPath('indicator_1-2-1.csv')).toBeNull();
		expect(indicatorIdFromMetaPath('meta/1-2-1.md')).toBe('1-2-1');
		expect(indicatorIdFromMetaPath('meta/unemployment.yml')).toBe('unemployment');
		expect(indicatorIdFromMetaPath('meta/fr/1-2-1.md')).toBeNull();
		expect(indicatorIdFromMetaPath('meta/README.txt')).toBeNull();
		expect(indicatorIdFromConfigPath('indicator-config/10-c-1.yml')).toBe('10-c-1');
		expect(indicatorIdFromConfigPath('indicator-config/10-c-1.md')).toBeNull();
	});

	it('explains misnamed files', () => {
		expect(classifyRepositoryPath('data/indicator_1.2.1.csv')).toEqual({
			kind: 'invalid',
			path: 'data/indicator_1.2.1.csv',
			reason: '"1.2.1" is not a valid indicator id: use lowercase letters, digits and dashes only.',
			fix: 'Rename the file to data/indicator_1-2-1.csv.'
		});
		expect(classifyRepositoryPath('meta/Unemployment.md')).toMatchObject({ kind: 'invalid', fix: 'Rename the file to meta/unemployment.md.' });
		expect(classifyRepositoryPath('LICENSE')).toEqual({ kind: 'other', path: 'LICENSE' });
	});

	it('builds paths and validates ids', () => {
		expect(dataPathFor('1-2-1')).toBe('data/indicator_1-2-1.csv');
		expect(metaPathFor('10-c-1')).toBe('meta/10-c-1.md');
		expect(metaPathFor('10-c-1', 'yml')).toBe('meta/10-c-1.yml');
		expect(configPathFor('unemployment')).toBe('indicator-config/unemployment.yml');
		for (const id of ['1-2-1', '10-c-1', 'unemployment', 'air-quality-2']) expect(isValidIndicatorId(id), id).toBe(true);
		for (const id of ['', '1.2.1', 'Unemployment', '-1', '1--2', '1-2-', 'a_b', '../x']) expect(isValidIndicatorId(id), id).toBe(false);
		expect(() => dataPathFor('../etc')).toThrow(/not a valid indicator id/);
	});
});
