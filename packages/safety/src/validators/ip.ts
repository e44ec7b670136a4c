/**
 * Strict IP address parsing. IPv4 is dotted-quad only: four decimal octets 0–255 with no leading zeros
 * (`010.1.1.1` is refused: some parsers read it as octal, so it is ambiguous and rarely an address).
 * IPv6 follows RFC 4291 text forms: eight groups of 1–4 hex digits, one `::` for a run of zero groups,
 * an optional embedded IPv4 tail; zone identifiers (`%eth0`) are not part of the address.
 */

/** Whether `text` is a dotted-quad IPv4 address. */
export function isIPv4(text: string): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  for (const part of parts) {
    if (part.length < 1 || part.length > 3) return false;
    if (part.length > 1 && part[0] === "0") return false;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (Number(part) > 255) return false;
  }
  return true;
}

function isHexGroup(group: string): boolean {
  return /^[0-9A-Fa-f]{1,4}$/.test(group);
}

/**
 * Parses an IPv6 address. Returns the number of groups written out (an IPv4 tail counts as two), or
 * undefined when `text` is not an address.
 */
export function parseIPv6(text: string): number | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const groups: string[] = [];
  for (const half of halves) {
    if (half === "") continue;
    groups.push(...half.split(":"));
  }
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as string;
    const isLast = i === groups.length - 1;
    const lastHalf = halves[halves.length - 1] as string;
    if (isLast && group.includes(".") && (lastHalf !== "" || !compressed)) {
      if (!isIPv4(group)) return undefined;
      count += 2;
    } else if (isHexGroup(group)) {
      count += 1;
    } else {
      return undefined;
    }
  }
  if (compressed ? count > 7 : count !== 8) return undefined;
  return count;
}
