/** Test data for the guard pipeline: PII values embedded in prose, and deterministic random chunkings of a text into a stream. */
export const PII = {
  email: "jane.doe@example.com",
  phone: "+44 20 7946 0958",
  card: "4111 1111 1111 1111",
  iban: "DE89 3704 0044 0532 0130 00",
  ssn: "123-45-6789",
  aws: "AKIAIOSFODNN7EXAMPLE",
  ip: "192.168.10.24",
} as const;

/** Prose with every PII value of `PII` embedded. */
export const PII_TEXT = `Hi, I'm Jane (${PII.email}, ${PII.phone}). My card is ${PII.card}, IBAN ${PII.iban}, SSN ${PII.ssn}. Key ${PII.aws} on ${PII.ip}.`;

/** Splits `text` into chunks at random positions (deterministic per seed). */
export function randomChunks(text: string, seed: number, maxChunk = 12): string[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(next() * maxChunk);
    chunks.push(text.slice(i, i + n));
    i += n;
  }
  return chunks;
}

export async function* fromChunks(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}
