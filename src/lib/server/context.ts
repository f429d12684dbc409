import { openDatabase, type Db } from './db/connect.ts';
import { loadRegionPack, regionPackDir, type RegionPack } from '../region/pack.ts';

/**
 * Process-wide handles for the web server: one database pool and the region pack,
 * opened on first use. The `sac2050 serve` command migrates and seeds before the first
 * request, so here they are only opened.
 */
let db: Promise<Db> | undefined;
let region: RegionPack | undefined;

export function getDb(): Promise<Db> {
	db ??= openDatabase();
	return db;
}

export function getRegion(): RegionPack {
	region ??= loadRegionPack(regionPackDir());
	return region;
}
