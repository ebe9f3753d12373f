/**
 * Finds channel credentials in what left the gateway. A provider may echo a key shortened or masked
 * (`sk-proj-****abcd`), and a gateway may log part of one, so any 12 consecutive characters of a key count
 * as a leak, not only the whole key. 12 is long enough that a random 40-character key's piece cannot occur
 * anywhere by chance, short enough to catch a key cut in half.
 */

export const LEAK_PIECE_LENGTH = 12;

/** `where: piece` for every place a key or a piece of one appears; empty when nothing leaked. */
export function findCredentialLeaks(places: Record<string, string>, keys: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const [where, text] of Object.entries(places)) {
    for (const key of keys) {
      if (text.includes(key)) {
        leaks.push(`${where}: the whole key ${key}`);
        continue;
      }
      for (let start = 0; start + LEAK_PIECE_LENGTH <= key.length; start += 1) {
        const piece = key.slice(start, start + LEAK_PIECE_LENGTH);
        if (text.includes(piece)) {
          leaks.push(`${where}: "${piece}" (characters ${start}-${start + LEAK_PIECE_LENGTH} of a channel key)`);
          break;
        }
      }
    }
  }
  return leaks;
}

/** How many times any 12-character piece of any key occurs in `text`: grows when a process prints a key. */
export function countCredentialPieces(text: string, keys: readonly string[]): number {
  let count = 0;
  for (const key of keys) {
    for (let start = 0; start + LEAK_PIECE_LENGTH <= key.length; start += 1) {
      const piece = key.slice(start, start + LEAK_PIECE_LENGTH);
      for (let at = text.indexOf(piece); at !== -1; at = text.indexOf(piece, at + 1)) count += 1;
    }
  }
  return count;
}
