/**
 * The indicator chart as files: a standalone SVG document and a PNG. Both come from the same
 * drawing the page shows (`chartSvgMarkup` in ../chart.ts); nothing is drawn twice.
 */

import { Resvg } from '@resvg/resvg-js';
import { chartSvgMarkup } from '../chart.ts';
import type { ChartModel } from '../chart.ts';

/** A complete SVG file: XML declaration, xmlns, fixed width/height, white background. */
export function chartSvgDocument(model: ChartModel): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${chartSvgMarkup(model, { idPrefix: 'chart', standalone: true })}\n`;
}

/**
 * Render an SVG document to PNG, `width` pixels wide (height follows the aspect ratio).
 * Text uses the system fonts, DejaVu Sans when the named families are missing.
 * Throws if the SVG cannot be parsed.
 */
export function chartPng(svg: string, width = 1200): Buffer {
	const resvg = new Resvg(svg, {
		fitTo: { mode: 'width', value: Math.max(1, Math.round(width)) },
		background: '#ffffff',
		font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }
	});
	return resvg.render().asPng();
}
