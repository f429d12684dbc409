import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '#lib/server/db/connect.ts';
import { UserFacingError } from '#lib/server/errors.ts';

describe('DATABASE_URL', () => {
	it('defaults to the SQLite file under data/', () => {
		expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({ dialect: 'sqlite', file: '/srv/app/data/sac2050.db' });
		expect(parseDatabaseUrl('  ', '/srv/app')).toEqual({ dialect: 'sqlite', file: '/srv/app/data/sac2050.db' });
	});

	it('takes file: paths, relative and absolute', () => {
		expect(parseDatabaseUrl('file:other.db', '/srv/app')).toEqual({ dialect: 'sqlite', file: path.resolve('/srv/app/other.db') });
		expect(parseDatabaseUrl('file:/var/lib/sac.db', '/srv/app')).toEqual({ dialect: 'sqlite', file: '/var/lib/sac.db' });
		expect(parseDatabaseUrl('file:///var/lib/sac.db', '/srv/app')).toEqual({ dialect: 'sqlite', file: '/var/lib/sac.db' });
	});

	it('takes postgres:// and postgresql:// and never shows the password', () => {
		const target = parseDatabaseUrl('postgres://me:secret@db.example:6543/sac');
		expect(target).toMatchObject({ dialect: 'postgres', display: 'db.example:6543/sac' });
		expect(JSON.stringify((target as { display: string }).display)).not.toContain('secret');
		expect(parseDatabaseUrl('postgresql://db/sac').dialect).toBe('postgres');
	});

	it('refuses other schemes with a line that says what to write', () => {
		expect(() => parseDatabaseUrl('mysql://db/sac')).toThrow(UserFacingError);
		expect(() => parseDatabaseUrl('mysql://db/sac')).toThrow(/use file:<path> for SQLite or postgres:\/\//);
		expect(() => parseDatabaseUrl('file:')).toThrow(/names no file/);
	});
});
