import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { neutraliseFormula, restoreFormula } from '#lib/csv/formula.ts';
import { parseIndicatorCsv, serializeIndicatorCsv, type TidyRow } from '#lib/indicators/opensdg/data-csv.ts';

// OWASP "CSV Injection": cells starting with these are read as formulas by spreadsheet programs.
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];
const ATTACKS = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(1)', '=cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1'];
const TRICKY = [...ATTACKS, "'=x", "''=x", "'plain", "'", "''", 'plain', 'a=b', 'Female', '', '-', "'-", '06067', '2015-16'];

describe('neutraliseFormula (OWASP CSV injection rule)', () => {
	for (const start of FORMULA_STARTS) {
		it(`a text cell starting with ${JSON.stringify(start)} gets a leading apostrophe`, () => {
			expect(neutraliseFormula(`${start}1+1`)).toBe(`'${start}1+1`);
		});
	}

	it('leaves other text alone', () => {
		for (const text of ['Female', 'a=b', "O'Brien", '06067', '', 'x+1']) expect(neutraliseFormula(text)).toBe(text);
	});

	it('restoreFormula gives back exactly what was neutralised, including texts that start with apostrophes', () => {
		for (const text of TRICKY) expect(restoreFormula(neutraliseFormula(text)), JSON.stringify(text)).toBe(text);
		expect(neutraliseFormula("'=x")).toBe("''=x");
	});
});

function row(year: string, value: number | null, dims: Record<string, string>, attributes: Record<string, string> = {}): TidyRow {
	return { line: 0, year, value, dims, attributes };
}

describe('Open SDG CSV written for people', () => {
	// A carriage return inside a value is a line end to the reader (as in every file it reads), so it is not stored.
	const rows = ATTACKS.filter((attack) => !attack.includes('\r')).map((attack, i) => row(String(2000 + i), i % 2 ? -2.5 * i : 1.5 * i, { '=Gender': attack }, { COMMENT_OBS: attack }));
	rows.push(row('2020', -7, { '=Gender': "'=x" }, { COMMENT_OBS: "'plain" }));
	const columns = ['Year', '=Gender', 'COMMENT_OBS', 'Value'];
	const csv = serializeIndicatorCsv(columns, rows);

	it('has no text cell a spreadsheet would run, while negative values stay numbers', () => {
		const cells = parse(csv, { relax_column_count: true }) as string[][];
		const valueIndex = cells[0]!.indexOf('Value');
		for (const line of cells) {
			line.forEach((cell, index) => {
				if (index === valueIndex) return;
				expect(FORMULA_STARTS.some((start) => cell.startsWith(start)), `cell ${JSON.stringify(cell)}`).toBe(false);
			});
		}
		expect(cells.slice(1).map((line) => line[valueIndex])).toEqual(rows.map((r) => String(r.value)));
		expect(cells.slice(1).some((line) => line[valueIndex]!.startsWith('-'))).toBe(true);
	});

	it('reads back exactly as written (the Open SDG round trip)', () => {
		const parsed = parseIndicatorCsv(csv, 'data/indicator_x.csv');
		expect(parsed.errors).toEqual([]);
		expect(parsed.columns).toEqual(columns);
		expect(parsed.rows.map((r) => ({ ...r, line: 0 }))).toEqual(rows);
		expect(serializeIndicatorCsv(parsed.columns, parsed.rows)).toBe(csv);
	});
});
