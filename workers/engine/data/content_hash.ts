/**
 * A fast 128-bit hash of a Float64Array's bytes, as 32 hex digits: the identity of prepared data in cache keys
 * (PreparedInfo.key). Not cryptographic, and not the configuration file's fingerprint (fingerprint.ts, SHA-256 of a
 * canonical byte string): that one is computed only when a configuration is exported or checked on import. This one
 * reads the values' own bits in place, so NaN payloads and -0 count as written: equal data prepared twice gives the
 * same hash, and data that differs in any bit gives another (but for a 2^-128 chance).
 *
 * Four MurmurHash3-style lanes, each over every fourth 32-bit word, then mixed together with the length. At
 * 100,000 x 17 it reads 13.6 MB in a few ms and allocates nothing, where the SHA-256 fingerprint costs a canonical copy
 * (a fresh 13.6 MB buffer: ~65 ms of page faults in Chromium here) and the digest.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixWord(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');

export function contentHash(values: Float64Array): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
  const len = words.length;
  let h1 = 0x9747b28c;
  let h2 = 0x5bd1e995;
  let h3 = 0x1b873593;
  let h4 = 0x85ebca6b;
  const whole = len - (len % 4);
  for (let i = 0; i < whole; i += 4) {
    h1 ^= mixWord(words[i]);
    h1 = ((h1 << 13) | (h1 >>> 19)) + h2;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    h2 ^= mixWord(words[i + 1]);
    h2 = ((h2 << 17) | (h2 >>> 15)) + h3;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
    h3 ^= mixWord(words[i + 2]);
    h3 = ((h3 << 15) | (h3 >>> 17)) + h4;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;
    h4 ^= mixWord(words[i + 3]);
    h4 = ((h4 << 13) | (h4 >>> 19)) + h1;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }
  // the last one to three words (an odd number of values), each into its own lane
  if (whole < len) h1 ^= mixWord(words[whole]);
  if (whole + 1 < len) h2 ^= mixWord(words[whole + 1]);
  if (whole + 2 < len) h3 ^= mixWord(words[whole + 2]);
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return hex(h1) + hex(h2) + hex(h3) + hex(h4);
}
