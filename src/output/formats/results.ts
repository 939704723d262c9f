// The formats of the clustering's results: clusters, the analysis, an explanation. Loaded by the
// commands that show them (cluster, analyze, explain), not by every listing.
import type { Analysis } from '../../app/analyze.js';
import type { Explanation } from '../../app/explain.js';
import { csv } from './csv.js';
import { dot } from './dot.js';
import { gexf } from './gexf.js';
import { graphml } from './graphml.js';
import { analysisHtml } from './html.js';
import { json } from './json.js';
import { jsonl } from './jsonl.js';
import { table } from './table.js';
import type { ClusterView, Formats } from './contract.js';

export const CLUSTER_FORMATS: Formats<ClusterView> = {
  table: table.clusters,
  csv: csv.clusters,
  json: json.clusters,
  jsonl: jsonl.clusters,
  graphml,
  gexf,
  dot,
};

export const ANALYSIS_FORMATS: Formats<Analysis> = {
  table: table.analysis,
  json: json.analysis,
  html: (a, c) => [analysisHtml(a, a.messages, c.absolutePaths === true)],
};

export const EXPLANATION_FORMATS: Formats<Explanation> = { table: table.explanation, json: json.explanation };
