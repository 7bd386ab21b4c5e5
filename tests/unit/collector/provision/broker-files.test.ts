import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  matchesMosquittoHash,
  missingSitePatterns,
  mosquittoHash,
  newSitePassword,
  passwordEntry,
  removePasswordEntry,
  setPasswordEntry,
  siteAclPatterns,
  withSitePatterns,
  writeFileAtomic,
} from '@pantau/collector';
import { DEFAULT_TOPIC_ROOT } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const SALT = Buffer.from('0123456789ab');
const OTHERS = ['paser-kuaro-02:$7$101$aaaa$bbbb', '# a note the admin left', 'pantau-collector:$7$101$cccc$dddd'];

describe("Mosquitto's password hash", () => {
  it('mosquitto_passwd accepts a password against the hash we write, and we accept its hash', () => {
    const dir = dirs.make('pwhash');
    const file = join(dir, 'passwd');
    writeFileSync(file, '');
    execFileSync('mosquitto_passwd', ['-b', file, 'site-a', 'rahasia-123']);
    const theirs = passwordEntry(readFileSync(file, 'utf8'), 'site-a') ?? '';
    expect(matchesMosquittoHash('rahasia-123', theirs)).toBe(true);
    expect(matchesMosquittoHash('rahasia-124', theirs)).toBe(false);
    // Ours, with mosquitto_passwd's own salt, is byte for byte the line it wrote.
    const salt = Buffer.from(theirs.split('$')[3] ?? '', 'base64');
    expect(mosquittoHash('rahasia-123', salt)).toBe(theirs);
  });

  it('is $7$, 101 iterations, a 12-byte salt and a 64-byte hash', () => {
    const [, seven, iterations, salt, hash] = mosquittoHash('x', SALT).split('$');
    expect([seven, iterations]).toEqual(['7', '101']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(12);
    expect(Buffer.from(hash ?? '', 'base64')).toHaveLength(64);
  });
});

describe('a site password', () => {
  it('is 24 characters of 32 (120 bits) in groups of four, without 0, o, 1 or l', () => {
    let n = 0;
    const random = (size: number) => Buffer.from(Array.from({ length: size }, () => (n++ * 7) % 256));
    const password = newSitePassword(random);
    expect(password).toMatch(/^([a-z2-9]{4}-){5}[a-z2-9]{4}$/);
    expect(password).not.toMatch(/[01lo]/);
    expect(new Set(password.replaceAll('-', '')).size).toBeGreaterThan(10);
  });
});

describe('the password file', () => {
  const text = `${OTHERS.join('\n')}\n`;

  it('adds a site at the end and keeps every other line as it was', () => {
    const next = setPasswordEntry(text, 'kutim-sangatta-01', 'HASH1');
    expect(next).toBe(`${text}kutim-sangatta-01:HASH1\n`);
    expect(passwordEntry(next, 'kutim-sangatta-01')).toBe('HASH1');
  });

  it('replaces a site in its place, and setting the same entry twice changes nothing more', () => {
    const once = setPasswordEntry(setPasswordEntry(text, 'kutim-sangatta-01', 'OLD'), 'paser-tanah-grogot-09', 'X');
    const rotated = setPasswordEntry(once, 'kutim-sangatta-01', 'NEW');
    expect(rotated.split('\n')).toEqual([...OTHERS, 'kutim-sangatta-01:NEW', 'paser-tanah-grogot-09:X', '']);
    expect(setPasswordEntry(rotated, 'kutim-sangatta-01', 'NEW')).toBe(rotated);
  });

  it('removes only the site, idempotently; a user named like a prefix of it stays', () => {
    const withSites = setPasswordEntry(setPasswordEntry(text, 'site-1', 'A'), 'site-10', 'B');
    const removed = removePasswordEntry(withSites, 'site-1');
    expect(removed).toBe(`${text}site-10:B\n`);
    expect(removePasswordEntry(removed, 'site-1')).toBe(removed);
    expect(passwordEntry(removed, 'site-1')).toBeNull();
  });

  it('a file without a final newline keeps its lines', () => {
    expect(setPasswordEntry('a:1', 'b', '2')).toBe('a:1\nb:2\n');
    expect(removePasswordEntry('a:1\nb:2', 'b')).toBe('a:1\n');
  });
});

describe('the ACL', () => {
  it('the shipped ACL already holds every site pattern, so provisioning leaves it byte for byte', () => {
    const shipped = readFileSync(new URL('../../../../deploy/mosquitto/pantau.acl', import.meta.url), 'utf8');
    expect(missingSitePatterns(shipped, DEFAULT_TOPIC_ROOT)).toEqual([]);
    expect(withSitePatterns(shipped, DEFAULT_TOPIC_ROOT)).toBe(shipped);
  });

  it('adds the missing patterns once, after every line already there', () => {
    const acl = 'user pantau-collector\ntopic read pantau/v1/site/#\npattern write pantau/v1/site/%u/status';
    const next = withSitePatterns(acl, DEFAULT_TOPIC_ROOT);
    expect(next.startsWith(`${acl}\n`)).toBe(true);
    expect(missingSitePatterns(next, DEFAULT_TOPIC_ROOT)).toEqual([]);
    expect(next.split('\n').filter((l) => l === 'pattern write pantau/v1/site/%u/status')).toHaveLength(1);
    expect(withSitePatterns(next, DEFAULT_TOPIC_ROOT)).toBe(next);
  });

  it("follows the collector's topic root", () => {
    expect(siteAclPatterns('noc/v1')).toContain('pattern write noc/v1/site/%u/telemetry');
    expect(missingSitePatterns(withSitePatterns('', 'noc/v1'), 'noc/v1')).toEqual([]);
  });
});

describe('an atomic write', () => {
  it('replaces the file whole with the mode asked, and leaves no temporary file', async () => {
    const dir = dirs.make('atomic');
    const file = join(dir, 'pantau-sites.passwd');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    await writeFileAtomic(file, 'new\n', { gid: null, mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await writeFileAtomic(file, 'newer\n', { gid: process.getgid?.() ?? 0, mode: 0o640 });
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' })).toBe('pantau-sites.passwd\n');
  });
});
