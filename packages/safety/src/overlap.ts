/**
 * Deterministic overlap resolution. Findings are ranked by score, then length (longer first), then
 * start (earlier first), then entity and validator names; each is kept when none of its code units is
 * taken by a finding ranked above it. Linear in the text length plus the findings' total length: taken
 * code units are marked in a bitmap instead of searched in a list.
 */
import type { Finding } from "./types.js";

function compareRank(a: Finding, b: Finding): number {
  return (
    b.score - a.score ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0) ||
    (a.validator < b.validator ? -1 : a.validator > b.validator ? 1 : 0)
  );
}

/** The findings that survive overlap resolution, sorted by start. */
export function resolveOverlaps(findings: readonly Finding[]): Finding[] {
  if (findings.length < 2) return [...findings];
  let length = 0;
  for (const f of findings) length = Math.max(length, f.end);
  const taken = new Uint8Array(length);
  const kept: Finding[] = [];
  for (const f of [...findings].sort(compareRank)) {
    let free = true;
    for (let i = f.start; i < f.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, f.start, f.end);
    kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
