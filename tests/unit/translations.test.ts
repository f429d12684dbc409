import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { translationCompleteness } from '../../src/lib/i18n/completeness.ts';
import { LANGUAGE_CODES } from '../../src/lib/i18n/languages.ts';

const MESSAGES = path.resolve(import.meta.dirname, '../../messages');
type Variants = [{ declarations: string[]; selectors: string[]; match: Record<string, string> }];
const read = (code: string): Record<string, string | Variants> => JSON.parse(fs.readFileSync(path.join(MESSAGES, `${code}.json`), 'utf8'));
const placeholders = (text: string) => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();

const base = read('en');

describe('interface translations (messages/*.json)', () => {
	it('has a catalog for every language Sac2050 offers, and no other', () => {
		const files = fs.readdirSync(MESSAGES).filter((name) => name.endsWith('.json')).map((name) => name.replace('.json', ''));
		expect(files.sort()).toEqual([...LANGUAGE_CODES].sort());
		const settings = JSON.parse(fs.readFileSync(path.resolve(MESSAGES, '../project.inlang/settings.json'), 'utf8'));
		expect([...settings.locales].sort()).toEqual([...LANGUAGE_CODES].sort());
	});

	it.each(LANGUAGE_CODES.filter((code) => code !== 'en'))('%s: only known keys, the same placeholders, the plural forms of the language', (code) => {
		const catalog = read(code);
		const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
		for (const [key, text] of Object.entries(catalog)) {
			if (key === '$schema') continue;
			const source = base[key];
			expect(source, `${code}: "${key}" is not in en.json`).toBeDefined();
			if (typeof source === 'string') {
				expect(typeof text, `${code}: ${key}`).toBe('string');
				expect(placeholders(text as string), `${code}: ${key}`).toEqual(placeholders(source));
				expect((text as string).trim(), `${code}: ${key} is empty`).not.toBe('');
			} else {
				const [variants] = text as Variants;
				expect(variants.declarations, `${code}: ${key}`).toEqual(source![0].declarations);
				expect(variants.selectors, `${code}: ${key}`).toEqual(source![0].selectors);
				const forms = Object.keys(variants.match).map((variant) => variant.split('=')[1]);
				// Every form the language's plural rule can pick has its text.
				for (const category of categories) expect(forms, `${code}: ${key} lacks "${category}"`).toContain(category);
			}
		}
	});

	it('counts how much of the base catalog a language has', () => {
		expect(translationCompleteness({ $schema: 'x', a: 'A', b: 'B', c: [{}] }, { $schema: 'x', a: 'Á', b: '  ', c: [{}] })).toEqual({ done: 2, total: 3 });
		expect(translationCompleteness({ a: 'A' }, {})).toEqual({ done: 0, total: 1 });
	});
});
