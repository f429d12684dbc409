import { describe, expect, it } from 'vitest';
import { chartFileHeaders, chartFileHref, chartFileLanguage, LANGUAGE_PARAMETER, NEGOTIATED_LANGUAGE_VARY } from '#lib/indicators/chart-files.ts';
import { isSvgContentType, isSvgPath, SVG_CONTENT_SECURITY_POLICY } from '#lib/server/http/svg-policy.ts';

const LOCALES = ['en', 'es'] as const;

describe('chart file addresses', () => {
	it('names the language in the address, after the view', () => {
		expect(chartFileHref('/indicators/8-5-1/chart.svg', 'Sex=Female&Sex=Male&compare=Sex', 'es')).toBe('/indicators/8-5-1/chart.svg?Sex=Female&Sex=Male&compare=Sex&lang=es');
		expect(chartFileHref('/indicators/8-5-1/chart.png', '', 'en')).toBe('/indicators/8-5-1/chart.png?lang=en');
	});

	it('replaces a language already in the query rather than naming two', () => {
		const href = chartFileHref('/x/chart.svg', 'lang=en&GeoCode=06067', 'es');
		expect(new URL(href, 'http://localhost').searchParams.getAll(LANGUAGE_PARAMETER)).toEqual(['es']);
	});

	it('takes the language from the address when it is one of the site’s, else the visitor’s', () => {
		expect(chartFileLanguage(new URLSearchParams('lang=es'), 'en', LOCALES)).toEqual({ locale: 'es', fromAddress: true });
		expect(chartFileLanguage(new URLSearchParams(''), 'es', LOCALES)).toEqual({ locale: 'es', fromAddress: false });
		for (const odd of ['lang=fr', 'lang=', 'lang=ES', 'lang=toString', 'lang=__proto__']) {
			expect(chartFileLanguage(new URLSearchParams(odd), 'en', LOCALES), odd).toEqual({ locale: 'en', fromAddress: false });
		}
	});
});

describe('chart file headers', () => {
	it('varies on what chose the language only when the address did not name it', () => {
		const named = chartFileHeaders('8-5-1', 'svg', { locale: 'es', fromAddress: true });
		expect(named).toMatchObject({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'Content-Language': 'es', 'Cache-Control': 'public, max-age=300' });
		expect(named).not.toHaveProperty('Vary');
		const negotiated = chartFileHeaders('8-5-1', 'png', { locale: 'en', fromAddress: false });
		expect(negotiated).toMatchObject({ 'Content-Type': 'image/png', 'Content-Language': 'en', Vary: NEGOTIATED_LANGUAGE_VARY });
		expect(NEGOTIATED_LANGUAGE_VARY.split(', ')).toEqual(['Accept-Language', 'Cookie']);
	});

	it('names the file after the indicator', () => {
		expect(chartFileHeaders('8-5-1', 'png', { locale: 'en', fromAddress: true })['Content-Disposition']).toBe('inline; filename="8-5-1-chart.png"');
		expect(chartFileHeaders('a"b', 'svg', { locale: 'en', fromAddress: true })['Content-Disposition']).toBe('inline; filename="a_b-chart.svg"');
	});
});

describe('SVG responses', () => {
	it('allow nothing: no script, style, image, font or connection, no framing', () => {
		const directives = new Map(SVG_CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/) as [string, ...string[]]).map(([name, ...values]) => [name, values]));
		expect(directives.get('default-src')).toEqual(["'none'"]);
		expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
		for (const loosened of ['script-src', 'style-src', 'img-src', 'font-src', 'connect-src']) expect(directives.has(loosened), loosened).toBe(false);
	});

	it('are recognised by content type and static files by name', () => {
		expect(isSvgContentType('image/svg+xml; charset=utf-8')).toBe(true);
		expect(isSvgContentType('image/svg+xml')).toBe(true);
		expect(isSvgContentType('IMAGE/SVG+XML')).toBe(true);
		for (const other of ['text/html; charset=utf-8', 'image/png', 'image/svg+xmlx', '', null, undefined]) expect(isSvgContentType(other), String(other)).toBe(false);
		expect(isSvgPath('/favicon.svg')).toBe(true);
		expect(isSvgPath('/_app/immutable/assets/icon.SVG')).toBe(true);
		expect(isSvgPath('/indicators/8-5-1/chart.svg')).toBe(true);
		expect(isSvgPath('/indicators/8-5-1')).toBe(false);
		expect(isSvgPath('/favicon.svg.html')).toBe(false);
	});
});
