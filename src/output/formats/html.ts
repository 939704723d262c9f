// The HTML report of `analyze --format html`: one self-contained page (no scripts, no external
// resources, a Content-Security-Policy that forbids loading anything) for investigators who read
// and share findings. Every string from the evidence is escaped. No clock readings: the same case
// gives the same bytes.
import type { Analysis } from '../../app/analyze.js';
import type { Cluster, ClusterParams, PairScore } from '../../attribution/types.js';
import { pairStatus, ruleLine, weightLine } from '../clusters.js';
import { FAMILY_OF } from '../../attribution/signals/index.js';
import { revealObfuscation } from '../../attribution/text.js';
import type { ClusterImage, Message } from '../../model.js';
import { escapeHtml } from '../../util/sanitize.js';
import { formatLength } from '../../util/time.js';
import { sourceLabel } from '../messages.js';
import { TOOL } from '../../version.js';
import { phoneRegionNote } from '../phones.js';
import { clusterGraphSvg, timelineSvg } from './report-svg.js';
import { mapSvg } from './report-map.js';

const h = escapeHtml;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;color:#1d1d1f;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{border-bottom:1px solid #e4e4e4;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f5f5f7;font-weight:600}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.card{border:1px solid #d0d0d5;border-radius:8px;padding:1rem 1.2rem;margin:1.2rem 0;background:#fcfcfd}
.muted{color:#6e6e73}.tag{display:inline-block;border-radius:4px;padding:0 .35rem;margin-right:.25rem;background:#eef;font-size:12px}
.bridge{color:#b00020;font-weight:600}.bar{display:inline-block;height:.75rem;background:#4a6fa5;vertical-align:middle;margin-right:.4rem}
.quote{background:#f3f3f6;border-left:3px solid #999;padding:.2rem .5rem;margin:.2rem 0;white-space:pre-wrap}
.against{color:#6e4a00;font-size:13px}
nav.toc{border:1px solid #e0e0e5;border-radius:8px;padding:.5rem 1rem;background:#fafafc}nav.toc ol{margin:.3rem 0;padding-left:1.3rem}
.lead{font-size:1.05rem}.warn{color:#8a5300}.bad{color:#b00020}.legend{margin-right:.8rem;white-space:nowrap}
.swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.25rem;vertical-align:middle}
details>summary{cursor:pointer;font-weight:600;margin:.4rem 0}svg{max-width:100%;height:auto}
.quote,.gallery figure,tr{break-inside:avoid}.thumb{max-width:160px;max-height:160px;border:1px solid #ccc;margin:.2rem .3rem 0 0;vertical-align:top}
.gallery{display:flex;flex-wrap:wrap;gap:.6rem}.gallery figure{margin:0;width:170px;font-size:11px;break-inside:avoid}.nothumb{width:160px;height:60px;background:#eee;color:#777;font-size:11px;display:flex;align-items:center;justify-content:center}
@page{size:A4;margin:14mm}@media print{body{margin:0;max-width:none;font-size:10.5px}.thumb{max-width:90px;max-height:90px}.gallery figure{width:100px}svg.timeline,svg.graph{max-height:200px}td,th{padding:.15rem .3rem}.card{break-inside:avoid-page}h2{break-after:avoid}h3,h4{break-after:avoid}a{color:inherit;text-decoration:none}}
`;

function table(headers: string[], rows: string[][]): string {
  return `<table><thead><tr>${headers.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function waterfall(p: PairScore, joinBits: number): string {
  const scale = (bits: number): number => Math.max(2, Math.round((bits / Math.max(joinBits * 2, p.score)) * 360));
  const rows = Object.entries(p.byType)
    .sort((a, b) => (b[1]!.bits || 0) - (a[1]!.bits || 0))
    .map(([type, t]) => {
      const finite = Number.isFinite(t!.bits);
      return `<div><span class="bar" style="width:${finite ? scale(t!.bits) : 360}px"></span><span class="mono">${finite ? `+${t!.bits.toFixed(2)}` : 'hard'}</span> ${h(type)} <span class="muted">(${FAMILY_OF[type as keyof typeof FAMILY_OF]}, ${t!.items} item${t!.items === 1 ? '' : 's'})</span></div>`;
    });
  return rows.join('');
}

/** A thumbnail embedded in the page, or nothing when none could be made. */
function thumb(thumbnails: Map<string, string>, sha256: string | null): string {
  const uri = sha256 === null ? undefined : thumbnails.get(sha256);
  return uri === undefined ? '' : `<img class="thumb" src="${h(uri)}" alt="image ${h(sha256!.slice(0, 12))}">`;
}

function quote(m: Message | undefined, ref: string, thumbnails: Map<string, string> = new Map()): string {
  if (!m) return `<div class="mono">${h(ref)}</div>`;
  const pictures = m.media.map((x) => thumb(thumbnails, x.sha256)).join('');
  const when = m.time.utc ? m.time.utc.replace('T', ' ').replace('Z', ' UTC') : 'time unknown';
  const text = m.text || m.media.map((x) => x.name).join(' ');
  return `<div><span class="tag">${h(m.victim)}</span><span class="mono">${h(when)}</span> · <span class="mono">${h(m.sender?.key ?? '')}</span> · <span class="mono muted">message ${h(m.id)} · ${h(sourceLabel(m))}</span> <span class="mono muted">sha256 ${h(m.source.sha256.slice(0, 16))}…</span><div class="quote">${h(revealObfuscation(text))}</div>${pictures ? `<div class="thumbs">${pictures}</div>` : ''}</div>`;
}

/** Messages quoted in full per piece of evidence; the others are named by id (every one stays traceable). */
const QUOTED = 2;

function quotes(refs: readonly string[], messages: Map<string, Message>, thumbnails: Map<string, string>): string {
  const shown = refs.slice(0, QUOTED).map((r) => quote(messages.get(r), r, thumbnails)).join('');
  const rest = refs.slice(QUOTED);
  return rest.length === 0 ? shown : `${shown}<div class="muted">and ${rest.length} more: <span class="mono">${rest.map((r) => h(r)).join(' ')}</span></div>`;
}

function link(p: PairScore, messages: Map<string, Message>, params: ClusterParams, thumbnails: Map<string, string> = new Map()): string {
  const hard = !Number.isFinite(p.score);
  const head = `<h4>${h(p.a)} ↔ ${h(p.b)} <span class="muted">${hard ? '' : `${p.score.toFixed(2)} bits`} — ${h(pairStatus(p, params))}</span>${p.bridge ? ' <span class="bridge">bridge: single point of failure</span>' : ''}</h4>${hard ? '' : `<p class="muted">${h(ruleLine(p, params))}</p>`}`;
  const evidence = p.evidence
    .map((e) => {
      return `<tr><td><b>${h(e.type)}</b><br><span class="muted">${h(FAMILY_OF[e.type])}</span></td><td>${h(e.detail)}<div class="mono muted">${h(weightLine(e))}</div>${quotes(e.refs, messages, thumbnails)}<div class="against">Against: ${h(e.against)}</div></td></tr>`;
    })
    .join('');
  return `<div class="link">${head}${waterfall(p, params.joinBits)}<table><thead><tr><th>evidence</th><th>what, weight, artifacts</th></tr></thead><tbody>${evidence}</tbody></table></div>`;
}

function clusterCard(c: Cluster, a: Analysis, messages: Map<string, Message>): string {
  const members = c.members.map((key) => {
    const i = a.identities.get(key);
    return [
      `<span class="mono">${h(key)}</span>`,
      h((i?.names ?? []).join(' | ')),
      h(i?.platform ?? ''),
      String(i?.messages ?? 0),
      h((i?.victims ?? []).join(', ')),
      h(`${i?.firstSeen ?? '?'} … ${i?.lastSeen ?? '?'}`),
    ];
  });
  const cited = new Set(c.links.flatMap((l) => l.evidence.flatMap((e) => e.refs)));
  const coTimed = new Set(c.links.flatMap((l) => l.evidence.filter((e) => e.type === 'co-timing').flatMap((e) => e.refs)));
  return `<div class="card" id="${h(c.id)}"><h3>${h(c.id)} <span class="muted">${c.members.length} identities, ${c.accounts.length} accounts, victims ${h(c.victims.join(', '))}</span></h3>${table(
    ['identity', 'names', 'platform', 'messages', 'victims', 'first … last'],
    members,
  )}<h4>Links</h4>${clusterGraphSvg(c)}<h4>Timeline</h4>${timelineSvg(a.timelines.get(c.id) ?? [], c.members, cited, coTimed)}${gallery(a.galleries.get(c.id) ?? [], a.thumbnails)}<details open><summary>Evidence ledger (${c.links.length} ${c.links.length === 1 ? 'link' : 'links'})</summary>${c.links.map((l) => link(l, messages, a.clusters.params, a.thumbnails)).join('')}</details><p class="against"><b>Alternative explanations to rule out:</b> forwarding, a public template, a common image, a recycled or virtual number, and the victim's own contact label (WhatsApp shows the victim's saved name).</p></div>`;
}

/** The images and videos a cluster's members sent, as thumbnails (a video: the frame from its middle) with their SHA-256 and anomalies (marked). */
function gallery(images: ClusterImage[], thumbnails: Map<string, string>): string {
  if (images.length === 0) return '';
  const figures = images.map(
    (i) =>
      `<figure>${thumb(thumbnails, i.sha256) || `<div class="nothumb">${i.durationMs !== null ? 'no frame (ffmpeg not installed)' : 'no thumbnail'}</div>`}<figcaption><span class="mono">${h(i.sha256.slice(0, 16))}…</span><br>${i.durationMs !== null ? `video ${formatLength(i.durationMs)} · ` : ''}${i.width !== null && i.height !== null ? `${i.width}×${i.height} · ` : ''}${i.messages} message${i.messages === 1 ? '' : 's'}${i.camera !== null ? `<br>${h(i.camera)}` : ''}${i.takenAt !== null ? `<br>taken ${h(i.takenAt)}` : ''}${i.anomalies.length > 0 ? `<br><span class="bad">${h(i.anomalies.join(' '))}</span>` : ''}</figcaption></figure>`,
  );
  const videos = images.filter((i) => i.durationMs !== null).length;
  const title = videos === 0 ? 'Images' : videos === images.length ? 'Videos' : 'Images and videos';
  return `<h4>${title} (${images.length})</h4><div class="gallery">${figures.join('')}</div>`;
}

/** How many candidate links the report shows in full; the rest are listed in a table. */
const CANDIDATES_SHOWN = 5;

/** The first screen: what was found, cluster by cluster, and how sure it is against chance. */
function findings(a: Analysis): string {
  const c = a.clusters;
  const o = a.overview;
  const victimsReached = new Set(c.clusters.flatMap((x) => x.victims));
  const rows = c.clusters.map((cluster) => {
    const ids = cluster.members.map((m) => a.identities.get(m));
    const platforms = [...new Set(ids.map((i) => i?.platform ?? '?'))].sort();
    const numbers = [...new Set(ids.flatMap((i) => i?.phones ?? []))].sort();
    const first = ids.map((i) => i?.firstSeen).filter((t): t is string => !!t).sort()[0] ?? '?';
    const last = ids.map((i) => i?.lastSeen).filter((t): t is string => !!t).sort().at(-1) ?? '?';
    const scored = cluster.links.filter((l) => Number.isFinite(l.score));
    const weakest = scored.length > 0 ? Math.min(...scored.map((l) => l.score)) : null;
    const bridges = scored.filter((l) => l.bridge).length;
    return [
      `<a href="#${h(cluster.id)}">${h(cluster.id)}</a>`,
      `${cluster.victims.length}: ${h(cluster.victims.join(', '))}`,
      `${cluster.members.length} in ${cluster.accounts.length} accounts (${h(platforms.join(', '))})`,
      `<span class="mono">${h(numbers.join(' ') || '—')}</span>`,
      h(`${first.slice(0, 10)} … ${last.slice(0, 10)}`),
      h(`${cluster.score.toFixed(1)} bits` + (weakest !== null ? `; weakest link ${weakest.toFixed(1)}` : '') + (bridges > 0 ? `; ${bridges} bridge${bridges === 1 ? '' : 's'}` : '')),
    ];
  });
  const lead =
    c.clusters.length === 0
      ? `No actor found: no two sender accounts of this case share evidence beyond chance under the run's rule.`
      : `<b>${c.clusters.length} ${c.clusters.length === 1 ? 'actor' : 'actors'}</b> (clusters of sender accounts that evidence links), reaching <b>${victimsReached.size} of ${o.victims.length} victims</b>; ${c.candidates.length} further candidate ${c.candidates.length === 1 ? 'link' : 'links'} for an analyst to confirm or reject.`;
  const chance = `Chance alone would draw at most <b>${c.chance.expectedJoins}</b> joins and ${c.chance.expectedCandidates} candidate links among the ${c.chance.pairs.toLocaleString('en')} account pairs compared (rule: join at ≥ ${c.params.joinBits} bits plus ${c.weighing.lookElsewhere} for the pairs compared, from ≥ ${c.params.minFamilies} independent families).`;
  return `<h2 id="findings">Findings</h2><p class="lead">${lead}</p>${rows.length > 0 ? table(['actor', 'victims reached', 'identities', 'numbers', 'active', 'strength'], rows) : ''}<p>${chance}</p>`;
}

/** Where a warning points: `file:line` or `file@offset`. */
function warningPlace(w: Analysis['overview']['warnings'][number]): string {
  return `${w.file}${w.line !== null ? `:${w.line}` : w.offset !== null ? `@${w.offset}` : ''}`;
}

/** Data quality: how times were obtained, exports that overlap, inputs refused, warnings by kind. */
function quality(a: Analysis): string {
  const o = a.overview;
  const bases = Object.entries(o.timeBases).sort(([x], [y]) => (x < y ? -1 : 1));
  const assumed = o.timeBases['assumed-utc'] ?? 0;
  const items = [
    `Times: ${bases.map(([k, n]) => `${h(k)} ${n}`).join(', ') || 'none'}.` +
      (assumed > 0 ? ` <span class="warn">${assumed} messages carry a wall clock with no zone and were read as UTC: give the export's zone (--tz) to place them.</span>` : ''),
    o.messagesWithSeveralSources > 0
      ? `${o.messagesWithSeveralSources} messages are held by more than one export (a chat exported twice): each is counted once, with every source.`
      : 'No message is held by more than one export.',
    o.rejected.length > 0
      ? `<span class="bad">${o.rejected.length} ${o.rejected.length === 1 ? 'input was' : 'inputs were'} refused</span>: ${o.rejected.map((r) => `<span class="mono">${h(r.path)}</span> (${h(r.reason)})`).join('; ')}.`
      : 'No input was refused.',
  ];
  const byCode = new Map<string, { n: number; example: string }>();
  for (const w of o.warnings) {
    const seen = byCode.get(w.code);
    if (seen) seen.n++;
    else byCode.set(w.code, { n: 1, example: `${warningPlace(w)}: ${w.message}` });
  }
  const warnings = [...byCode].sort(([x, a1], [y, b1]) => b1.n - a1.n || (x < y ? -1 : 1)).map(([code, w]) => [h(code), String(w.n), h(w.example)]);
  return `<h2 id="quality">Data quality</h2><ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>${warnings.length > 0 ? `<p>Warnings by kind (all of them under <a href="#warnings">Warnings</a>):</p>${table(['kind', 'count', 'first'], warnings)}` : '<p>No warnings.</p>'}`;
}

function toc(a: Analysis, decisions: boolean): string {
  const clusters = a.clusters.clusters.map((c) => `<li><a href="#${h(c.id)}">${h(c.id)}</a> <span class="muted">${c.members.length} identities, victims ${h(c.victims.join(', '))}</span></li>`).join('');
  const entries = [
    '<li><a href="#findings">Findings</a></li>',
    '<li><a href="#quality">Data quality</a></li>',
    `<li><a href="#clusters">Clusters (${a.clusters.clusters.length})</a>${clusters ? `<ol>${clusters}</ol>` : ''}</li>`,
    `<li><a href="#map">Map (${a.places.length})</a></li>`,
    `<li><a href="#candidates">Candidate links (${a.clusters.candidates.length})</a></li>`,
    decisions ? `<li><a href="#decisions">Analyst decisions (${a.clusters.decisions.length})</a></li>` : '',
    `<li><a href="#senders">Senders (${a.senders.length})</a>, <a href="#phones">phone numbers (${a.phones.length})</a>, <a href="#evidence">evidence files</a>, <a href="#warnings">warnings (${a.overview.warnings.length})</a>, <a href="#method">method</a></li>`,
  ];
  return `<nav class="toc"><b>Contents</b><ol>${entries.join('')}</ol></nav>`;
}

/**
 * The folder that holds every export (the longest common folder of their paths), or null when they
 * share none. The report shows paths relative to it, so that it names no folder of the machine it
 * was made on.
 */
export function evidenceRoot(paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  let common = paths[0]!.split('/').slice(0, -1);
  for (const p of paths.slice(1)) {
    const parts = p.split('/');
    let i = 0;
    while (i < common.length && i < parts.length - 1 && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  const root = common.join('/');
  // A short relative root ("exports") could also begin words of the texts quoted: left as it is.
  return root.startsWith('/') || common.filter((c) => c !== '' && c !== '.').length >= 2 ? root : null;
}

/** The whole report. `messages` holds every message the evidence refers to. */
export function analysisHtml(a: Analysis, messages: Map<string, Message>, absolutePaths = false): string {
  const root = absolutePaths ? null : evidenceRoot(a.overview.exports.map((e) => e.path));
  const html = reportHtml(a, messages, root);
  // Every path the page shows, from the evidence folder on: one replacement of the folder's escaped
  // form (paths are escaped like every string), anywhere it begins a path.
  return root === null ? html : html.split(h(`${root}/`)).join('');
}

function reportHtml(a: Analysis, messages: Map<string, Message>, root: string | null): string {
  const o = a.overview;
  const exportsRows = o.exports.map((e) => [
    `<span class="mono">${h(e.path)}</span>`,
    h(e.reader),
    h(e.victim),
    String(e.chats),
    String(e.messages),
    h(phoneRegionNote(e.region, e.regionSource)),
    `<span class="mono">${h(e.sha256)}</span>`,
  ]);
  const senders = a.senders.map((s) => [
    `<span class="mono">${h(s.key)}</span>`,
    h(s.names.join(' | ')),
    h(s.phones.join(' ')),
    String(s.messages),
    h((s.selfOf.length > 0 ? `(own account of ${s.selfOf.join(', ')}) ` : '') + s.victims.join(', ')),
    h(`${s.firstSeen ?? '?'} … ${s.lastSeen ?? '?'}`),
  ]);
  const phones = a.phones.map((p) => [
    `<span class="mono">${h(p.e164)}</span>`,
    h(p.countries.join('/') || p.country || ''),
    h(p.type ?? ''),
    h(p.valid ? 'valid pattern' : p.reason),
    String(p.seen),
    h(p.victims.join(', ')),
    `<span class="mono">${h([...p.owners, ...p.writers].join(' '))}</span>`,
  ]);
  const ranked = a.clusters.candidates;
  const candidateRows = ranked.map((p, i) => [String(i + 1), `<span class="mono">${h(p.a)}</span>`, `<span class="mono">${h(p.b)}</span>`, p.score.toFixed(1), h(Object.keys(p.families).join(', '))]);
  const candidates =
    ranked.length === 0
      ? ''
      : table(['rank', 'a', 'b', 'bits', 'families'], candidateRows) +
        ranked
          .slice(0, CANDIDATES_SHOWN)
          .map((p, i) => `<details><summary>#${i + 1}: ${h(p.a)} ↔ ${h(p.b)}, ${p.score.toFixed(1)} bits</summary>${link(p, messages, a.clusters.params, a.thumbnails)}</details>`)
          .join('') +
        (ranked.length > CANDIDATES_SHOWN
          ? `<p class="muted">The ledgers of the other ${ranked.length - CANDIDATES_SHOWN}: <code>threatlens explain KEY KEY --case DIR</code>, or all of them with <code>threatlens cluster --case DIR --format json</code> (its <code>candidates</code>).</p>`
          : '');
  const decisionRows = a.clusters.decisions.map((d) => [
    h(`#${d.decision.id}`),
    h(d.decision.verdict),
    `<span class="mono">${h(d.decision.keys.join(' '))}</span>`,
    h([d.decision.examiner, d.decision.decidedAt.slice(0, 10)].filter((x) => x !== null).join(', ')),
    h(d.decision.note ?? ''),
    h(d.effect),
  ]);
  const decisions =
    decisionRows.length > 0
      ? `<h2 id="decisions">Analyst decisions (${decisionRows.length})</h2>\n<p class="muted">Recorded with threatlens review and applied by this run, whatever the evidence.</p>${table(['id', 'decision', 'identities', 'by', 'note', 'what it did'], decisionRows)}\n`
      : '';
  const warnings = o.warnings.map((w) => [h(w.code), `<span class="mono">${h(warningPlace(w))}</span>`, h(w.message)]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>threatlens report</title><style>${STYLE}</style></head><body>
<h1>threatlens report</h1>
<p class="muted">${h(TOOL)} · ${root !== null ? `paths relative to the evidence folder <span class="mono">${h(root.split('/').pop()!)}/</span> (<code>--absolute-paths</code> shows them whole) · ` : ''}${o.exports.length} exports from ${o.victims.length} victims (${h(o.victims.join(', '))}) · ${o.messages} messages, ${h(o.firstMessage ?? '?')} … ${h(o.lastMessage ?? '?')} UTC. Message content below was written by the people under investigation; it is shown escaped, with hidden characters and mixed-script letters made visible (⟨U+200B⟩, [a]).</p>
${toc(a, decisionRows.length > 0)}
${findings(a)}
${quality(a)}
<h2 id="clusters">Clusters (${a.clusters.clusters.length})</h2>
${a.clusters.clusters.map((c) => clusterCard(c, a, messages)).join('') || '<p>None.</p>'}
<h2 id="map">Map (${a.places.length} ${a.places.length === 1 ? 'place' : 'places'})</h2>
${mapSvg(a.places)}
<h2 id="candidates">Candidate links (${a.clusters.candidates.length})</h2>
<p class="muted">Ranked by bits: one strong evidence family, not joined. Confirm or reject each with <code>threatlens review</code>; a rejected one is not offered again.</p>
${candidates || '<p>None.</p>'}
${decisions}<h2 id="senders">Senders (${a.senders.length})</h2><details><summary>every sender identity of the case</summary>${table(['key', 'names', 'phones', 'messages', 'victims', 'first … last'], senders)}</details>
<h2 id="phones">Phone numbers (${a.phones.length})</h2><details><summary>every number seen, with where</summary>${table(['number', 'country', 'type', 'check', 'seen', 'victims', 'senders'], phones)}</details>
<h2 id="evidence">Evidence (${o.exports.length} exports, ${o.evidenceFiles} files)</h2>${table(['file', 'reader', 'victim', 'chats', 'messages', 'numbers without +', 'sha256'], exportsRows)}
<h2 id="warnings">Warnings (${o.warnings.length})</h2>${warnings.length > 0 ? `<details><summary>every warning, with its place</summary>${table(['code', 'where', 'message'], warnings)}</details>` : '<p>None.</p>'}
<h2 id="method">Method</h2><p>Parameters of this run: <span class="mono">${h(JSON.stringify(a.clusters.params, (_k, v) => (v === Infinity ? 'hard' : v)))}</span>. How each signal is weighed: README "How attribution works"; the run is recorded in the case with its method.</p>
</body></html>
`;
}
