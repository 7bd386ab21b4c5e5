import { type SiteTopicKind, siteTopic } from '@pantau/shared';

/** What a site may do on each of its topics (docs/storage.md, "Who may say what"). */
const SITE_GRANTS: readonly (readonly [access: 'read' | 'write' | 'readwrite', kind: SiteTopicKind])[] = [
  ['write', 'telemetry'],
  ['write', 'status'],
  ['write', 'resend-reply'],
  ['read', 'resend'],
  ['readwrite', 'check'],
];

/**
 * The ACL lines that give every site its own topics: Mosquitto's `pattern` lines, `%u` being the
 * user name, which is the site id. One set serves every site, so provisioning adds no line per site
 * (a broker reload re-reads the ACL, and 80,000 sites' own blocks would make each reload read
 * 400,000 lines to say what these five say).
 */
export function siteAclPatterns(topicRoot: string): string[] {
  return SITE_GRANTS.map(([access, kind]) => `pattern ${access} ${siteTopic(topicRoot, '%u', kind)}`);
}

/** The site patterns the ACL's text lacks (none: every site's login gets its own topics). */
export function missingSitePatterns(aclText: string, topicRoot: string): string[] {
  const present = new Set(aclText.split('\n').map((line) => line.trim().replace(/\s+/g, ' ')));
  return siteAclPatterns(topicRoot).filter((line) => !present.has(line));
}

/**
 * The ACL's text with the missing site patterns appended (under a comment saying who added them);
 * the text unchanged when none is missing. Every line already there is kept, in its place.
 */
export function withSitePatterns(aclText: string, topicRoot: string): string {
  const missing = missingSitePatterns(aclText, topicRoot);
  if (missing.length === 0) return aclText;
  const body = aclText === '' || aclText.endsWith('\n') ? aclText : `${aclText}\n`;
  const gap = body === '' ? '' : '\n';
  return `${body}${gap}# Every site's own topics (%u is its user name, its site id); added by pantau-collector provision.\n${missing.join('\n')}\n`;
}
