// TEL values of vCards (2.1, 3.0, 4.0): WhatsApp/Telegram shared contacts and .vcf attachments.

/** Removes vCard 3.0/4.0 backslash escapes: '\,' '\;' '\\' '\n'. */
function unescapeValue(v: string): string {
  return v.replace(/\\([\\,;nN])/g, (_m: string, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** vCard 2.1 QUOTED-PRINTABLE ('=2B7=20928…'), decoded as UTF-8. */
function decodeQuotedPrintable(v: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const hex = v.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits 'TEL;TYPE="voice,cell";VALUE=uri:tel:+1…' at the first ':' outside double quotes. */
function splitProperty(line: string): { head: string; value: string } | null {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return { head: line.slice(0, i), value: line.slice(i + 1) };
  }
  return null;
}

/**
 * The TEL values of every vCard in `vcard`, in order, as written after the property's ':' (a vCard
 * 4.0 `tel:` URI is kept as is; normalizePhone reads it). Handles folded lines (CRLF/LF + space or
 * tab), group prefixes ('item1.TEL'), parameters in any case ('TEL;TYPE=CELL', 'TEL;type=CELL;waid=…'),
 * backslash escapes, and vCard 2.1 quoted-printable values including '=' soft line breaks.
 */
export function phonesFromVCard(vcard: string): string[] {
  const physical = vcard.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i]!;
    // RFC 6350 folding: a line starting with a space or tab continues the previous one.
    while (i + 1 < physical.length && /^[ \t]/.test(physical[i + 1]!)) line += physical[++i]!.slice(1);
    const prop = splitProperty(line);
    if (!prop) continue;
    const [name = '', ...params] = prop.head.split(';');
    const qp = params.some((p) => /^(?:ENCODING=)?QUOTED-PRINTABLE$/i.test(p.trim()));
    let value = prop.value;
    // vCard 2.1 quoted-printable soft line breaks: a trailing '=' joins the next line.
    if (qp) while (value.endsWith('=') && i + 1 < physical.length) value = value.slice(0, -1) + physical[++i]!;
    if (name.replace(/^[^.]*\./, '').trim().toUpperCase() !== 'TEL') continue;
    value = (qp ? decodeQuotedPrintable(value) : unescapeValue(value)).trim();
    if (value) out.push(value);
  }
  return out;
}
