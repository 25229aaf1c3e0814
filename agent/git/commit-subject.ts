// The subject line of a commit: at most 72 characters. A long description is reworded
// shorter first (parenthetical, paths, trailing clause, filler words, location), and only
// cut with "…" when no shorter wording fits.

export const SUBJECT_MAX_LENGTH = 72;

const FILLER_WORDS = /\b(the|a|an|very|extremely|really|quite|just|simply|currently|actually)\s+/gi;
/** Where a description's trailing clause starts: it says how or why, the subject says what. */
const TRAILING_CLAUSE = /\s+(without|so that|so it|because|while|in order to|which|that (?:is|are|was|were)|by (?:using|adding|moving|making)|to (?:make|avoid|keep|ensure))\s.*$|\s*[,;:—–]\s.*$|\s+-\s.*$/i;
const LOCATION = /\s+(in|of|from|inside|within)\s+[\w.@/-]+\.[A-Za-z0-9]+\b/g;

/** Shorter wordings of a description, each one building on the previous. */
export function shorterWordings(description: string): string[] {
  const single = description.replace(/\s+/g, ' ').trim();
  const steps: Array<(text: string) => string> = [
    (text) => text.replace(/\s*\([^()]*\)\s*$/, ''),
    (text) => text.replace(/(?:[\w.@-]+\/)+([\w.@-]+)/g, '$1'),
    (text) => text.replace(TRAILING_CLAUSE, ''),
    (text) => text.replace(FILLER_WORDS, ''),
    (text) => text.replace(LOCATION, ''),
  ];
  const wordings = [single];
  for (const step of steps) {
    const next = step(wordings.at(-1)!).trim();
    // A step that would leave almost nothing is skipped, not taken.
    wordings.push(next.split(' ').length >= 2 ? next : wordings.at(-1)!);
  }
  return [...new Set(wordings)];
}

/** `prefix: description` within 72 characters, reworded before it is cut. */
export function fitSubject(prefix: string, description: string): string {
  const wordings = shorterWordings(description);
  for (const wording of wordings) {
    const subject = `${prefix}: ${wording}`.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
    if (subject.length <= SUBJECT_MAX_LENGTH) return subject;
  }
  const shortest = truncateSubject(`${prefix}: ${wordings.at(-1)!}`.slice(0, SUBJECT_MAX_LENGTH - 1));
  // The cut word goes, and so does a dangling connective before it ("… and…").
  return `${shortest.replace(/\s+\S*$/, '').replace(/(\s+(and|or|with|to|of|for|in|on|at|by|the|a|an))+$/i, '')}…`;
}

/** Cuts at a word boundary to ≤ 72 characters, without a trailing period. */
export function truncateSubject(subject: string): string {
  const single = subject.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
  if (single.length <= SUBJECT_MAX_LENGTH) return single;
  const cut = single.slice(0, SUBJECT_MAX_LENGTH + 1);
  const space = cut.lastIndexOf(' ');
  return (space > SUBJECT_MAX_LENGTH / 2 ? cut.slice(0, space) : cut.slice(0, SUBJECT_MAX_LENGTH)).replace(/[\s,;:.-]+$/, '');
}
