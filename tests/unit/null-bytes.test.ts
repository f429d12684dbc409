import { describe, expect, it } from 'vitest';
import { nullByteInForm, nullByteInUrl } from '#lib/server/input/null-bytes.ts';
import { parseIndicatorCsv } from '#lib/indicators/opensdg/data-csv.ts';
import { nullCharacterKind } from '#lib/indicators/non-text.ts';

const kindOf = (text: string) => nullCharacterKind(text)?.kind ?? null;

const url = (path: string) => new URL(`http://localhost${path}`);

describe('null characters in requests', () => {
	it('finds %00 in the path, a parameter name or value', () => {
		expect(nullByteInUrl(url('/indicators/%00'))).toEqual({ in: 'path' });
		expect(nullByteInUrl(url('/indicators/a%00b/chart.svg'))).toEqual({ in: 'path' });
		expect(nullByteInUrl(url('/reset-password?token=%00'))).toEqual({ in: 'query', name: 'token' });
		expect(nullByteInUrl(url('/search?q%00x=1'))).toEqual({ in: 'query', name: 'qx' });
		expect(nullByteInUrl(url('/search?q=%2500'))).toBeNull();
		expect(nullByteInUrl(url('/indicators/unemployment?Sex=Female'))).toBeNull();
	});

	it('finds a null character in a text field, not in a file', () => {
		const form = new FormData();
		form.set('name', 'Jobs');
		expect(nullByteInForm(form)).toBeNull();
		form.set('file', new File(['\0\0'], 'x.csv'));
		expect(nullByteInForm(form)).toBeNull();
		form.set('description', 'a\0b');
		expect(nullByteInForm(form)).toEqual({ in: 'form', name: 'description' });
	});
});

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]).toString('utf8');

describe('files that are not UTF-8 text', () => {
	it('tells UTF-16, an Excel workbook and other binary data apart', () => {
		expect(kindOf('Year,Value\n2015,1\n')).toBeNull();
		expect(kindOf(utf16le('Year,Value\n2015,1\n'))).toBe('utf-16');
		expect(kindOf(Buffer.from('Year,Value\n2015,1\n', 'utf16le').toString('utf8'))).toBe('utf-16');
		const be = Buffer.from('Year,Value\n', 'utf16le').swap16();
		expect(kindOf(Buffer.concat([Buffer.from([0xfe, 0xff]), be]).toString('utf8'))).toBe('utf-16');
		expect(kindOf(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]).toString('utf8'))).toBe('spreadsheet');
		expect(kindOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]).toString('utf8'))).toBe('spreadsheet');
		expect(kindOf('Year,Value\n2015,1\0\n')).toBe('binary');
	});

	it('a UTF-16 CSV is one error saying what the file is and what to do', () => {
		const parsed = parseIndicatorCsv(utf16le('Year,Value\n2015,1\n'), 'upload.csv');
		expect(parsed.rows).toEqual([]);
		expect(parsed.errors).toHaveLength(1);
		expect(parsed.errors[0]!.message).toContain('UTF-16');
		expect(parsed.errors[0]!.fix).toContain('CSV UTF-8');
	});
});
