/**
 * Case folding of ASCII letters only. `toUpperCase` also turns some other letters into ASCII ones
 * (`ſ` → `S`, `ı` → `I`), which would let a word no vendor sends pass for a documented state.
 * @internal
 */
export function asciiUpperCase(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/** @internal */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
