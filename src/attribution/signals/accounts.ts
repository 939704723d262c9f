// Same account: proof that two identity keys are one account (the same Telegram id, the same phone,
// an address book entry tying an id to a number). These are not weighed: they merge identities into
// accounts with union-find before any other evidence is weighed.
import type { AccountLink, Evidence } from '../types.js';
import { defineSignal } from './signal.js';

// This signal's families and evidence types (each with its family), as the model knows them.
declare module '../types.js' {
  interface Families {
    account: true;
  }
  interface EvidenceTypes {
    'same-account': 'account';
    'analyst-confirmed': 'account';
  }
}

export const accountsSignal = defineSignal({
  name: 'accounts',
  phase: 'accounts',
  families: { account: { weighedBy: 'hard', content: false, candidateAlone: false } },
  types: {
    'same-account': {
      family: 'account',
      bits: Infinity,
      against: 'the account or number may be shared by several people, or a recycled/virtual number reassigned over time',
    },
    'analyst-confirmed': {
      family: 'account',
      bits: Infinity,
      against: "an analyst's judgement (threatlens review confirm), not evidence threatlens weighed: it stands on their note and the facts they relied on",
    },
  },
  method: {},
});

/** The evidence of each hard link (between its two keys, sorted): infinite bits, one source. */
export function accountEvidence(links: readonly (AccountLink & { pair: [string, string] })[]): Evidence[] {
  return links.map(
    (l): Evidence => ({
      type: l.decision === undefined ? 'same-account' : 'analyst-confirmed',
      between: l.pair,
      weight: Infinity,
      bits: Infinity,
      commonness: 1,
      df: 1,
      holders: l.pair,
      item: `account:${l.pair.join('|')}`,
      detail: l.detail,
      refs: l.refs.slice().sort(),
      against: accountsSignal.types[l.decision === undefined ? 'same-account' : 'analyst-confirmed'].against,
    }),
  );
}
