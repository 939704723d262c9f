// The contract between the format registry (index.ts) and the formats: what a format is given and
// returns. A module of its own so that the formats and the index both import it, not each other.
import type { ChalkInstance } from 'chalk';
import type { ClusterRun } from '../../app/cluster.js';
import type { EntityEdge } from '../../model.js';

/** What a format may need beyond the result: colour and width, for tables. */
export interface RenderContext {
  chalk: ChalkInstance;
  /** Total width available to a table. */
  width: number;
  /** CSV: begin with a UTF-8 byte-order mark (--bom), so that spreadsheet programs read UTF-8. */
  bom?: boolean;
  /** HTML report: evidence paths whole (--absolute-paths), not relative to the evidence folder. */
  absolutePaths?: boolean;
}

/** Renders a result as text, in pieces (a long listing is written while it is read). */
export type Render<R> = (result: R, context: RenderContext) => Iterable<string>;

export type Formats<R> = Readonly<Record<string, Render<R>>>;

/** A clustering as the graph formats draw it; `all`: every identity and scored pair, not only the links. */
export type ClusterView = Pick<ClusterRun, 'result' | 'identities'> & {
  all: boolean;
  /** cluster --graph full: the victims, numbers and images around the identities shown. */
  entities?: EntityEdge[];
};

