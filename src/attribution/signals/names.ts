// Display names: the same name on two identities is weak evidence, and often a trap (WhatsApp shows
// the victim's own saved label, "Мама" is in every phone). Names that are phone numbers are left
// to the identifier signal.
import type { AttributionInput, Evidence, EvidenceContext } from '../types.js';
import { evidenceFromItem } from '../evidence.js';
import { canonicalText } from '../text.js';
import { defineSignal } from './signal.js';

// This signal's families and evidence types (each with its family), as the model knows them.
declare module '../types.js' {
  interface Families {
    name: true;
  }
  interface EvidenceTypes {
    'display-name': 'name';
  }
}

export const namesSignal = defineSignal({
  name: 'names',
  phase: 'items',
  items: (input, eligible, ctx) => ({ evidence: nameEvidence(input, eligible, ctx) }),
  families: { name: { weighedBy: 'items', content: false, candidateAlone: false } },
  types: {
    // The victim chose the saved name ("Мама" in every phone): shown, never scored.
    'display-name': {
      family: 'name',
      bits: 0,
      against: "WhatsApp shows the victim's own saved name for a contact, and common names (Мама, Иван) recur by chance",
    },
  },
  method: { nullModel: 'display names are shown and score 0 bits (the victim chose the saved name)' },
});

export function nameEvidence(input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext): Evidence[] {
  const byName = new Map<string, Map<string, string[]>>();
  for (const identity of input.identities) {
    if (!eligible.has(identity.key)) continue;
    for (const name of identity.names) {
      const canonical = canonicalText(name);
      if (canonical.length < 2 || /^[+\d\s().-]+$/.test(canonical)) continue;
      const map = byName.get(canonical) ?? new Map<string, string[]>();
      map.set(identity.key, []);
      byName.set(canonical, map);
    }
  }
  const out: Evidence[] = [];
  for (const name of [...byName.keys()].sort()) {
    out.push(...evidenceFromItem('display-name', { byIdentity: byName.get(name)!, item: `name:${name}`, detail: `display name "${name}"` }, ctx));
  }
  return out;
}
