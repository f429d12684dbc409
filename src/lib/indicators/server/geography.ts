/**
 * Shapes for maps (server only: reads files).
 *
 * `regionFeatures(codes, regionDir)` returns one GeoJSON feature per GeoCode,
 * in the order asked, with `properties.code` and `properties.name` set:
 *
 *  - from the region pack's `geo/*.geojson` files, whose features carry the
 *    GeoCode in `properties.code` (or `GEOID`, or the feature id) — cities,
 *    tracts, ZIP code areas, districts, or a county shape the pack overrides;
 *  - otherwise, for 5-digit county FIPS codes, from us-atlas
 *    `counties-10m.json` (Census cartographic boundaries, already simplified
 *    for a 1:10,000,000 map: the six Sacramento-region counties draw in a few KB).
 *
 * Codes found in neither are left out; `buildChoropleth` then reports their
 * values as unmatched. Files are read once and kept in memory (a pack's
 * GeoJSON files are read again when one of them changes).
 *
 * GeoJSON files written by most tools follow RFC 7946 (outer rings
 * anticlockwise), while d3-geo reads rings on the sphere and wants outer
 * rings clockwise: shapes from files are rewound, or each would cover the
 * whole globe except itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { feature as topoFeature } from 'topojson-client';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry, Position } from 'geojson';
import type { GeometryObject, Topology } from 'topojson-specification';
import { featureCode } from '../map.ts';

export interface PlaceProperties {
	code: string;
	name: string;
}

export type PlaceFeature = Feature<Geometry, PlaceProperties>;

/**
 * The shapes of `codes`, in that order. `names` (code → name, e.g. from the
 * region pack's geographies) overrides the names in the shape files; without
 * it, us-atlas counties are named "<name> County" ("Parish" in Louisiana).
 */
export function regionFeatures(
	codes: string[],
	regionDir: string,
	names: Readonly<Record<string, string>> = {}
): FeatureCollection<Geometry, PlaceProperties> {
	const pack = packShapes(regionDir);
	const features: PlaceFeature[] = [];
	const seen = new Set<string>();
	for (const code of codes) {
		if (seen.has(code)) continue;
		seen.add(code);
		const found = pack.get(code) ?? (COUNTY_CODE.test(code) ? countyShape(code) : undefined);
		if (!found) continue;
		features.push({
			type: 'Feature',
			id: code,
			properties: { code, name: names[code] ?? found.name },
			geometry: found.geometry
		});
	}
	return { type: 'FeatureCollection', features };
}

interface Shape {
	name: string;
	geometry: Geometry;
}

const COUNTY_CODE = /^\d{5}$/;

// ───────────────────────────── us-atlas counties ─────────────────────────────

let atlas: { topology: Topology; byId: Map<string, GeometryObject<GeoJsonProperties>> } | undefined;

/** us-atlas shapes already turned into GeoJSON, by code: the atlas never changes while Sac2050 runs. */
const countyShapes = new Map<string, Shape | undefined>();

function countyShape(code: string): Shape | undefined {
	if (!countyShapes.has(code)) countyShapes.set(code, readCountyShape(code));
	return countyShapes.get(code);
}

function readCountyShape(code: string): Shape | undefined {
	if (!atlas) {
		const file = createRequire(import.meta.url).resolve('us-atlas/counties-10m.json');
		const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology;
		const counties = topology.objects['counties'];
		const byId = new Map<string, GeometryObject<GeoJsonProperties>>();
		if (counties && counties.type === 'GeometryCollection') {
			for (const g of counties.geometries) if (g.id !== undefined) byId.set(String(g.id), g);
		}
		atlas = { topology, byId };
	}
	const object = atlas.byId.get(code);
	if (!object) return undefined;
	const f = topoFeature(atlas.topology, object) as Feature<Geometry | null>;
	if (!f.geometry) return undefined;
	const props = (object.properties ?? {}) as Record<string, unknown>;
	const base = typeof props['name'] === 'string' ? props['name'] : code;
	return { name: countyName(code, base), geometry: f.geometry };
}

/** us-atlas names are bare ("Placer"); add what the Census calls the place. */
function countyName(code: string, base: string): string {
	const state = code.slice(0, 2);
	if (state === '22') return `${base} Parish`;
	if (state === '02' || state === '72' || code === '11001' || /City$/.test(base)) return base;
	if (['24', '29', '51'].includes(state) && Number(code.slice(2)) >= 500) return `${base} city`;
	return `${base} County`;
}

// ───────────────────────────── region pack GeoJSON ─────────────────────────────

const packCache = new Map<string, { signature: string; shapes: Map<string, Shape> }>();

function packShapes(regionDir: string): Map<string, Shape> {
	const dir = path.resolve(regionDir, 'geo');
	let files: string[];
	try {
		files = readdirSync(dir)
			.filter((f) => f.toLowerCase().endsWith('.geojson'))
			.sort();
	} catch {
		return new Map();
	}
	const signature = files.map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`).join('|');
	const cached = packCache.get(dir);
	if (cached && cached.signature === signature) return cached.shapes;

	const shapes = new Map<string, Shape>();
	for (const file of files) {
		let data: unknown;
		try {
			data = JSON.parse(readFileSync(path.join(dir, file), 'utf8').replace(/^\uFEFF/, ''));
		} catch (e) {
			throw new Error(`region/geo/${file} is not valid GeoJSON (${(e as Error).message}); export it again as GeoJSON`);
		}
		const collection = data as Partial<FeatureCollection>;
		if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
			throw new Error(`region/geo/${file} must be a GeoJSON FeatureCollection`);
		}
		for (const f of collection.features) {
			const code = featureCode(f);
			if (code === null || !f.geometry || shapes.has(code)) continue;
			const p = f.properties ?? {};
			const name = [p['name'], p['NAME'], p['NAMELSAD']].find((n): n is string => typeof n === 'string' && n !== '') ?? code;
			shapes.set(code, { name, geometry: rewind(f.geometry) });
		}
	}
	packCache.set(dir, { signature, shapes });
	return shapes;
}

/** Outer rings clockwise, holes anticlockwise (d3-geo's spherical convention). */
function rewind(geometry: Geometry): Geometry {
	switch (geometry.type) {
		case 'Polygon':
			return { ...geometry, coordinates: rewindPolygon(geometry.coordinates) };
		case 'MultiPolygon':
			return { ...geometry, coordinates: geometry.coordinates.map(rewindPolygon) };
		case 'GeometryCollection':
			return { ...geometry, geometries: geometry.geometries.map(rewind) };
		default:
			return geometry;
	}
}

function rewindPolygon(rings: Position[][]): Position[][] {
	return rings.map((ring, i) => {
		const clockwise = signedArea(ring) < 0;
		const wantClockwise = i === 0;
		return clockwise === wantClockwise ? ring : [...ring].reverse();
	});
}

/** Shoelace area in longitude/latitude: positive when anticlockwise. */
function signedArea(ring: Position[]): number {
	let sum = 0;
	for (let i = 0, n = ring.length; i < n; i++) {
		const a = ring[i]!;
		const b = ring[(i + 1) % n]!;
		sum += (a[0]! * b[1]!) - (b[0]! * a[1]!);
	}
	return sum / 2;
}

// ───────────────────────────── us-atlas states ─────────────────────────────

const stateShapes = new Map<string, Shape | undefined>();

/**
 * The shape of a US state by its 2-digit FIPS code (`06` = California), from us-atlas
 * `states-10m.json`; undefined for an unknown code. Read once, kept in memory.
 */
export function stateShape(code: string): Shape | undefined {
	if (!stateShapes.has(code)) {
		const file = createRequire(import.meta.url).resolve('us-atlas/states-10m.json');
		const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology;
		const states = topology.objects['states'];
		if (states && states.type === 'GeometryCollection') {
			for (const g of states.geometries) {
				const f = topoFeature(topology, g) as Feature<Geometry | null>;
				const name = typeof (g.properties as Record<string, unknown> | undefined)?.['name'] === 'string' ? String((g.properties as Record<string, unknown>)['name']) : String(g.id);
				if (g.id !== undefined && f.geometry) stateShapes.set(String(g.id), { name, geometry: f.geometry });
			}
		}
		if (!stateShapes.has(code)) stateShapes.set(code, undefined);
	}
	return stateShapes.get(code);
}
