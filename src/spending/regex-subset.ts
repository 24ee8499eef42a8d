/**
 * The part of regular-expression syntax that MongoDB's PCRE, the embedded engine's RE2 and
 * JavaScript's syntax (which the checker of regex-safety.ts reads) share. A pattern outside it
 * matches differently on the two servers, or is refused by one of them only, so it is refused
 * before it runs anywhere, with what to write instead:
 * - look-around: PCRE runs it, RE2 refuses it (and PCRE takes fixed-length lookbehinds only);
 * - backreferences (`\1`, `\k<name>`): they differ on groups not yet matched, and `\12` may be
 *   an octal escape to one and a reference to the other;
 * - letter escapes other than `\d \D \w \W \s \S \b \B \n \r \t \f \cX \xHH \p{…} \P{…}`:
 *   PCRE gives `\K \A \Z \z \G \h \R \X \N \v \e \u`… meanings of their own, where lenient
 *   JavaScript reads a plain letter (or another character);
 * - `[]`, `[^]` and POSIX classes (`[[:alpha:]]`): `]` first in a class is a literal to PCRE;
 * - an unescaped `{` that is not a repetition (`a{,3}` repeats in PCRE2, is text in JavaScript).
 * Possessive quantifiers, atomic groups, conditionals and `(?P<…>)` do not parse as JavaScript
 * at all: regex-safety.ts refuses them already.
 */
import { visitRegExpAST, type AST } from '@eslint-community/regexpp';

/** Escapes of a letter both read alike (as characters: classes such as \d are not `Character` nodes). */
const COMMON_LETTER_ESCAPE = /^\\(?:[nrtf]|c[A-Za-z]|x[0-9A-Fa-f]{2})$/;

/** Why the pattern is outside the common subset, or undefined when it is inside. */
export function outsideCommonSubset(ast: AST.Pattern): string | undefined {
  let why: string | undefined;
  const refuse = (reason: string): void => {
    why ??= reason;
  };
  visitRegExpAST(ast, {
    onAssertionEnter(node) {
      if (node.kind === 'lookahead' || node.kind === 'lookbehind') {
        refuse(
          `uses a ${node.kind} ${node.raw.slice(0, node.kind === 'lookahead' ? 3 : 4)}…): MongoDB (PCRE) runs it, the embedded engine (RE2) does not, so the two would answer differently; match the text itself instead`,
        );
      }
    },
    onBackreferenceEnter(node) {
      refuse(`uses the backreference ${node.raw}: MongoDB (PCRE) and the embedded engine read references differently (RE2 has none); repeat the text instead`);
    },
    onCharacterEnter(node) {
      const raw = node.raw;
      if (/^\\[1-9]/.test(raw)) refuse(`has ${raw}, an octal escape or a backreference depending on the engine; write the character itself`);
      else if (/^\\[A-Za-z]/.test(raw) && !(COMMON_LETTER_ESCAPE.test(raw) || (raw === '\\b' && node.parent.type === 'CharacterClass'))) {
        refuse(
          `has the escape ${raw}, which MongoDB (PCRE) and the embedded engine read differently (or one of them refuses); write the character itself, or use \\d \\w \\s \\b \\n \\t \\xHH`,
        );
      } else if (raw === '{')
        refuse('has a { that is not a repetition: MongoDB (PCRE) may read it as one (a{,3}), the embedded engine reads text; escape it as \\{');
    },
    onCharacterClassEnter(node) {
      if (node.raw === '[]' || node.raw === '[^]')
        refuse(
          `has the class ${node.raw}, which MongoDB (PCRE) reads as the start of a class holding ]; escape the ] (\\]) or, for any character, use [\\s\\S]`,
        );
      else if (/\[[:.=]/.test(node.raw.slice(1)))
        refuse(`has a POSIX class (${node.raw}…), which only MongoDB (PCRE) knows; use \\d, \\w, \\s or a range such as [a-z]`);
    },
  });
  return why;
}

/** A literal text as a pattern that matches it, read alike by PCRE and JavaScript (only syntax characters escaped). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
