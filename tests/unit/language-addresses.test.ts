import { describe, expect, it } from 'vitest';
import { delocalizePath, isLocalizablePath, localizeLinks, localizePath, splitLocalePath } from '../../src/lib/i18n/paths.ts';
import { chooseLocale, parseAcceptLanguage } from '../../src/lib/i18n/languages.ts';

const LOCALES = ['en', 'es', 'zh', 'vi', 'hmn', 'ru'] as const;

describe('language prefixes in addresses', () => {
	it('splits a public page address into its language and the route', () => {
		expect(splitLocalePath('/es/indicators/unemployment', LOCALES)).toEqual({ locale: 'es', path: '/indicators/unemployment' });
		expect(splitLocalePath('/hmn', LOCALES)).toEqual({ locale: 'hmn', path: '/' });
		expect(splitLocalePath('/zh/', LOCALES)).toEqual({ locale: 'zh', path: '/' });
		expect(splitLocalePath('/indicators/unemployment', LOCALES)).toBeUndefined();
		// Only the languages given count: a region without Russian has no /ru/ pages.
		expect(splitLocalePath('/ru/areas/health', ['en', 'es'])).toBeUndefined();
		expect(splitLocalePath('/esx/areas', LOCALES)).toBeUndefined();
	});

	it('never puts a language on the back office, the API, embeds, the language switch or files', () => {
		for (const path of ['/admin', '/admin/indicators', '/api/v1/indicators', '/embed/indicators/x', '/language/es', '/_app/x.js', '/favicon.svg', '/indicators/x/chart.svg', '//evil.example/x']) {
			expect(isLocalizablePath(path), path).toBe(false);
			expect(splitLocalePath(`/es${path}`, LOCALES), path).toBeUndefined();
		}
		expect(isLocalizablePath('/administration')).toBe(true);
		expect(isLocalizablePath('/')).toBe(true);
	});

	it('adds or replaces the language of a page link, keeping query and fragment', () => {
		expect(localizePath('/', 'es', LOCALES)).toBe('/es');
		expect(localizePath('/indicators/8-5-1?Gender=Female#chart', 'zh', LOCALES)).toBe('/zh/indicators/8-5-1?Gender=Female#chart');
		expect(localizePath('/es/areas/health', 'ru', LOCALES)).toBe('/ru/areas/health');
		expect(localizePath('/es', 'en', LOCALES)).toBe('/en');
		expect(localizePath('/api/v1/indicators', 'es', LOCALES)).toBe('/api/v1/indicators');
		expect(localizePath('?page=2', 'es', LOCALES)).toBe('?page=2');
		expect(delocalizePath('/vi/places/06067', LOCALES)).toBe('/places/06067');
		expect(delocalizePath('/places/06067', LOCALES)).toBe('/places/06067');
	});

	it('rewrites every same-site page link and form address of a page, and nothing else', () => {
		const html = [
			'<a href="/">Home</a>',
			'<a class="x" href="/areas/health?x=1&amp;y=2">Health</a>',
			'<form method="get" action="/search">',
			'<a href="/admin">Back office</a>',
			'<a href="https://example.org/">Elsewhere</a>',
			'<a href="#main">Skip</a>',
			'<link rel="stylesheet" href="/_app/immutable/a.css">',
			'<a href="/zh/indicators/x" hreflang="zh">中文</a>',
			'<p>write href="/areas" in text</p>'
		].join('');
		expect(localizeLinks(html, 'es', LOCALES)).toBe(
			[
				'<a href="/es">Home</a>',
				'<a class="x" href="/es/areas/health?x=1&amp;y=2">Health</a>',
				'<form method="get" action="/es/search">',
				'<a href="/admin">Back office</a>',
				'<a href="https://example.org/">Elsewhere</a>',
				'<a href="#main">Skip</a>',
				'<link rel="stylesheet" href="/_app/immutable/a.css">',
				'<a href="/zh/indicators/x" hreflang="zh">中文</a>',
				'<p>write href="/areas" in text</p>'
			].join('')
		);
	});
});

describe('the language of a response', () => {
	const enabled = ['en', 'es', 'zh', 'ru'] as const;

	it('reads Accept-Language by weight, then order, leaving q=0 and junk out', () => {
		expect(parseAcceptLanguage('fr;q=0.5, es-MX, en;q=0.8, de;q=0, *;q=0.1')).toEqual(['es-mx', 'en', 'fr', '*']);
		expect(parseAcceptLanguage('')).toEqual([]);
		expect(parseAcceptLanguage('<script>, ;;;, en')).toEqual(['en']);
	});

	it('takes the address first, then the remembered choice, then the browser, then the default', () => {
		expect(chooseLocale({ path: 'zh', cookie: 'es', acceptLanguage: 'ru' }, enabled, 'en')).toBe('zh');
		expect(chooseLocale({ cookie: 'es', acceptLanguage: 'ru' }, enabled, 'en')).toBe('es');
		expect(chooseLocale({ acceptLanguage: 'ru-RU,ru;q=0.9' }, enabled, 'en')).toBe('ru');
		expect(chooseLocale({}, enabled, 'en')).toBe('en');
	});

	it('never chooses a language the region does not offer', () => {
		expect(chooseLocale({ path: 'vi', cookie: 'hmn', acceptLanguage: 'vi, es;q=0.5' }, enabled, 'en')).toBe('es');
		expect(chooseLocale({ acceptLanguage: 'zh-TW' }, enabled, 'en')).toBe('zh');
		expect(chooseLocale({ acceptLanguage: 'zh-Hans-CN' }, enabled, 'en')).toBe('zh');
		expect(chooseLocale({ acceptLanguage: 'fr' }, ['es', 'en'], 'es')).toBe('es');
	});
});
