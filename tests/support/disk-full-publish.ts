/**
 * Run by tests/integration/disk-full.test.ts inside its own mount namespace, with DIR a
 * small tmpfs: loads the region into a SQLite database there, stages an upload, fills the
 * disk, tries to publish, frees the disk, and prints what happened as one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '#lib/server/db/connect.ts';
import { migrateToLatest } from '#lib/server/db/migrate.ts';
import { diskFullLogLine, isDiskFull } from '#lib/server/db/storage-errors.ts';
import { loadRegionPack } from '#lib/region/pack.ts';
import { seedRegion } from '#lib/region/server/seed.ts';
import { createUserWithPassword } from '#lib/server/auth/users.ts';
import { publishDraft, stageUpload } from '#lib/admin/upload/server/drafts.ts';
import { listRevisions, readCurrentObservations } from '#lib/indicators/server/store.ts';

const dir = process.argv[2]!;
const db = await openDatabase(`file:${path.join(dir, 'sac2050.db')}`);
await migrateToLatest(db);
await seedRegion(db, loadRegionPack('region'));
const user = await createUserWithPassword(db, { email: 'editor@example.org', role: 'editor', password: 'a long enough password' }, 'cli:test');
const editor = { id: user.id, name: user.name, email: user.email, role: 'editor' as const, emailVerified: true };
const rows = Array.from({ length: 20_000 }, (_, i) => `${1000 + (i % 1000)},${Math.floor(i / 1000)},${i}.5`).join('\n');
const draft = await stageUpload(db, editor, 'energy', { name: 'energy.csv', content: Buffer.from(`Year,Sex,Value\n${rows}\n`) });
db.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
const snapshot = async () => ({
	observations: (await readCurrentObservations(db.kysely, 'energy')).map((o) => [o.seriesKey, o.period, o.value]),
	revisions: (await listRevisions(db, 'energy')).map((r) => r.number)
});
const before = await snapshot();

const filler = path.join(dir, 'filler');
const fd = fs.openSync(filler, 'w');
try {
	for (const chunk = Buffer.alloc(64 * 1024); ; ) fs.writeSync(fd, chunk);
} catch {
	// ENOSPC: the disk is full.
}
fs.closeSync(fd);
let failure: unknown;
try {
	await publishDraft(db, editor, 'energy', draft);
} catch (error) {
	failure = error;
}
fs.rmSync(filler);
const after = await snapshot();
let publishedLater = false;
try {
	publishedLater = (await publishDraft(db, editor, 'energy', draft)).rowCount === 20_000;
} catch {
	publishedLater = false;
}
await db.close();
console.log(
	JSON.stringify({
		failed: failure !== undefined,
		message: failure instanceof Error ? failure.message : String(failure),
		diskFull: isDiskFull(failure),
		logLine: diskFullLogLine('Publishing', 'sac2050.db', failure),
		unchanged: JSON.stringify(before) === JSON.stringify(after),
		publishedLater
	})
);
