// Pictures of a cluster for the HTML report, drawn as inline SVG (no script, nothing loaded):
// a timeline with one lane per victim, each member's messages as dots, the messages the evidence
// cites ringed; and a graph of the members with their links, labelled by evidence family.
// Every label is escaped: names were written by the people under investigation.
import type { Cluster } from '../../attribution/types.js';
import type { TimelinePoint } from '../../model.js';
import { escapeHtml as h } from '../../util/sanitize.js';

const PALETTE = ['#4a6fa5', '#c0504d', '#9bbb59', '#8064a2', '#f79646', '#4bacc6', '#7f7f7f', '#b65708'];

/** Colour of each member, by its place among the cluster's members. */
export function memberColours(members: readonly string[]): Map<string, string> {
  return new Map(members.map((m, i) => [m, PALETTE[i % PALETTE.length]!]));
}

const day = (iso: string): string => iso.slice(0, 10);

/** The timeline of a cluster: time across, a lane per victim; the cited messages ringed. */
export function timelineSvg(points: readonly TimelinePoint[], members: readonly string[], cited: ReadonlySet<string>, coTimed: ReadonlySet<string> = new Set()): string {
  if (points.length === 0) return '<p class="muted">No message of its members has a known time.</p>';
  const victims = [...new Set(points.map((p) => p.victim))].sort();
  const colours = memberColours(members);
  const left = 110;
  const width = 760;
  const lane = 26;
  const top = 10;
  const height = top + victims.length * lane + 34;
  const t0 = Date.parse(points[0]!.at);
  const t1 = Date.parse(points[points.length - 1]!.at);
  const span = Math.max(t1 - t0, 60_000);
  const x = (iso: string): number => left + ((Date.parse(iso) - t0) / span) * (width - left - 10);
  const y = (victim: string): number => top + victims.indexOf(victim) * lane + lane / 2;
  const out: string[] = [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="messages of the cluster over time, one lane per victim">`,
  ];
  for (const v of victims) {
    out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e5"/>`);
    out.push(`<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12">${h(v)}</text>`);
  }
  for (const p of points) {
    const cx = x(p.at).toFixed(1);
    out.push(`<circle cx="${cx}" cy="${y(p.victim)}" r="3.2" fill="${colours.get(p.sender) ?? '#999'}"><title>${h(`${p.at} ${p.sender} → ${p.victim} (${p.id})`)}</title></circle>`);
    if (coTimed.has(p.id)) out.push(`<circle cx="${cx}" cy="${y(p.victim)}" r="7" fill="none" stroke="#e08a00" stroke-width="2"/>`);
    else if (cited.has(p.id)) out.push(`<circle cx="${cx}" cy="${y(p.victim)}" r="6" fill="none" stroke="#b00020" stroke-width="1.4"/>`);
  }
  const axis = top + victims.length * lane + 8;
  out.push(`<line x1="${left}" x2="${width - 10}" y1="${axis}" y2="${axis}" stroke="#888"/>`);
  out.push(`<text x="${left}" y="${axis + 16}" font-size="11">${h(day(points[0]!.at))}</text>`);
  out.push(`<text x="${width - 10}" y="${axis + 16}" font-size="11" text-anchor="end">${h(day(points[points.length - 1]!.at))}</text>`);
  out.push('</svg>');
  const legend = members
    .map((m) => `<span class="legend"><span class="swatch" style="background:${colours.get(m)}"></span><span class="mono">${h(m)}</span></span>`)
    .join(' ');
  return `${out.join('')}<div class="muted">${legend} · ringed in red: messages the evidence cites; in orange: co-timing episodes (several accounts writing to different victims within minutes) · UTC</div>`;
}

/** The members on an ellipse, their links as lines labelled with the families that join them. */
export function clusterGraphSvg(c: Cluster): string {
  const n = c.members.length;
  const width = 640;
  const height = n <= 3 ? 260 : 360;
  const rx = width / 2 - 130;
  const ry = height / 2 - 45;
  const at = new Map(
    c.members.map((m, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return [m, { x: width / 2 + rx * Math.cos(angle), y: height / 2 + ry * Math.sin(angle) }];
    }),
  );
  const colours = memberColours(c.members);
  const out = [`<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="members of the cluster and their links">`];
  for (const link of c.links) {
    const a = at.get(link.a);
    const b = at.get(link.b);
    if (!a || !b) continue;
    const hard = !Number.isFinite(link.score);
    const label = hard
      ? link.evidence.some((e) => e.type === 'analyst-confirmed')
        ? 'confirmed by the analyst'
        : 'same account'
      : `${link.score.toFixed(1)} bits: ${Object.keys(link.families).filter((f) => f !== 'account').join(', ')}`;
    out.push(`<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="${link.bridge ? '#b00020' : '#666'}" stroke-width="${hard ? 3 : 1.6}"${hard ? '' : ' stroke-dasharray="5 3"'}/>`);
    // The label beside the middle of its line, pushed out from the centre so labels do not cross.
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const dx = mx - width / 2;
    const dy = my - height / 2;
    const d = Math.hypot(dx, dy) || 1;
    const lx = mx + (dx / d) * 14;
    const ly = my + (dy / d) * 14 + 3;
    const anchor = Math.abs(dx) < 20 ? 'middle' : dx < 0 ? 'end' : 'start';
    out.push(`<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" font-size="11" text-anchor="${anchor}" fill="${link.bridge ? '#b00020' : '#333'}">${h(label)}${link.bridge ? ' (bridge)' : ''}</text>`);
  }
  for (const m of c.members) {
    const p = at.get(m)!;
    const below = p.y >= height / 2;
    out.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="9" fill="${colours.get(m)}"/>`);
    out.push(`<text x="${p.x.toFixed(1)}" y="${(below ? p.y + 24 : p.y - 15).toFixed(1)}" font-size="11" text-anchor="middle">${h(m)}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}
