// The HTML report of `analyze --format html`: one self-contained page (no scripts, no external
// resources, a Content-Security-Policy that forbids loading anything) for investigators who read
// and share findings. Every string from the evidence is escaped. No clock readings: the same case
// gives the same bytes.
import type { Analysis } from '../../app/analyze.js';
import type { Cluster, ClusterParams, PairScore } from '../../attribution/types.js';
import { pairStatus, ruleLine, weightLine } from '../clusters.js';
import { FAMILY_OF } from '../../attribution/signals/index.js';
import { revealObfuscation } from '../../attribution/text.js';
import type { Message } from '../../model.js';
import { escapeHtml } from '../../util/sanitize.js';
import { sourceLabel } from '../messages.js';
import { TOOL } from '../../version.js';
import { phoneRegionNote } from '../phones.js';

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

function quote(m: Message | undefined, ref: string): string {
  if (!m) return `<div class="mono">${h(ref)}</div>`;
  const when = m.time.utc ? m.time.utc.replace('T', ' ').replace('Z', ' UTC') : 'time unknown';
  const text = m.text || m.media.map((x) => x.name).join(' ');
  return `<div><span class="tag">${h(m.victim)}</span><span class="mono">${h(when)}</span> · <span class="mono">${h(m.sender?.key ?? '')}</span> · <span class="mono muted">${h(sourceLabel(m))}</span> <span class="mono muted">sha256 ${h(m.source.sha256.slice(0, 16))}…</span><div class="quote">${h(revealObfuscation(text))}</div></div>`;
}

function link(p: PairScore, messages: Map<string, Message>, params: ClusterParams): string {
  const hard = !Number.isFinite(p.score);
  const head = `<h4>${h(p.a)} ↔ ${h(p.b)} <span class="muted">${hard ? '' : `${p.score.toFixed(2)} bits`} — ${h(pairStatus(p, params))}</span>${p.bridge ? ' <span class="bridge">bridge: single point of failure</span>' : ''}</h4>${hard ? '' : `<p class="muted">${h(ruleLine(p, params))}</p>`}`;
  const evidence = p.evidence
    .map((e) => {
      return `<tr><td><b>${h(e.type)}</b><br><span class="muted">${h(FAMILY_OF[e.type])}</span></td><td>${h(e.detail)}<div class="mono muted">${h(weightLine(e))}</div>${e.refs.map((r) => quote(messages.get(r), r)).join('')}<div class="against">Against: ${h(e.against)}</div></td></tr>`;
    })
    .join('');
  return `${head}${waterfall(p, params.joinBits)}<table><thead><tr><th>evidence</th><th>what, weight, artifacts</th></tr></thead><tbody>${evidence}</tbody></table>`;
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
  return `<div class="card" id="${h(c.id)}"><h3>${h(c.id)} <span class="muted">${c.members.length} identities, ${c.accounts.length} accounts, victims ${h(c.victims.join(', '))}</span></h3>${table(
    ['identity', 'names', 'platform', 'messages', 'victims', 'first … last'],
    members,
  )}<h4>Evidence ledger</h4>${c.links.map((l) => link(l, messages, a.clusters.params)).join('')}<p class="against"><b>Alternative explanations to rule out:</b> forwarding, a public template, a common image, a recycled or virtual number, and the victim's own contact label (WhatsApp shows the victim's saved name).</p></div>`;
}

/** The whole report. `messages` holds every message the evidence refers to. */
export function analysisHtml(a: Analysis, messages: Map<string, Message>): string {
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
  const candidates = a.clusters.candidates.map((p) => link(p, messages, a.clusters.params)).join('');
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
      ? `<h2>Analyst decisions (${decisionRows.length})</h2>\n<p class="muted">Recorded with threatlens review and applied by this run, whatever the evidence.</p>${table(['id', 'decision', 'identities', 'by', 'note', 'what it did'], decisionRows)}\n`
      : '';
  const warnings = o.warnings.map((w) => [h(w.code), `<span class="mono">${h(`${w.file}${w.line !== null ? `:${w.line}` : w.offset !== null ? `@${w.offset}` : ''}`)}</span>`, h(w.message)]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>threatlens report</title><style>${STYLE}</style></head><body>
<h1>threatlens report</h1>
<p class="muted">${h(TOOL)} · ${o.exports.length} exports from ${o.victims.length} victims (${h(o.victims.join(', '))}) · ${o.messages} messages, ${h(o.firstMessage ?? '?')} … ${h(o.lastMessage ?? '?')} UTC. Message content below was written by the people under investigation; it is shown escaped, with hidden characters and mixed-script letters made visible (⟨U+200B⟩, [a]).</p>
<h2>Clusters (${a.clusters.clusters.length})</h2>
${a.clusters.clusters.map((c) => clusterCard(c, a, messages)).join('') || '<p>None.</p>'}
<h2>Candidate links (${a.clusters.candidates.length})</h2>
<p class="muted">One strong evidence family, not joined: confirm or reject.</p>
${candidates || '<p>None.</p>'}
${decisions}<h2>Senders (${a.senders.length})</h2>${table(['key', 'names', 'phones', 'messages', 'victims', 'first … last'], senders)}
<h2>Phone numbers (${a.phones.length})</h2>${table(['number', 'country', 'type', 'check', 'seen', 'victims', 'senders'], phones)}
<h2>Evidence (${o.exports.length} exports, ${o.evidenceFiles} files)</h2>${table(['file', 'reader', 'victim', 'chats', 'messages', 'numbers without +', 'sha256'], exportsRows)}
<h2>Warnings (${o.warnings.length})</h2>${warnings.length > 0 ? table(['code', 'where', 'message'], warnings) : '<p>None.</p>'}
</body></html>
`;
}
