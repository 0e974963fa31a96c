//! Feeding the map (editors), as pure functions: a report file's bytes as text (UTF-8 only, the
//! BOM dropped), what its file name says (`yuzhong-2027.txt` → id and year), whether words
//! selected in the reading pane can be a name, and the lexicon's verdicts as list rows. No DOM.

/** The Chinese words for the two verdicts. */
export const VERDICT_LABELS = { place: '是地名', not_place: '不是地名' };

/**
 * A report file's text: `{ok: true, text}` for UTF-8 (a leading BOM dropped), else
 * `{ok: false, error}` naming the first byte that is not UTF-8. `bytes` is a Uint8Array.
 */
export function decodeReport(bytes) {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
    if (!text.trim()) return { ok: false, error: '文件是空的。' };
    return { ok: true, text };
  } catch (_) {
    // Find the first bad byte for the message: decode growing prefixes is too slow for a large
    // file, so walk the UTF-8 sequences.
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i];
      const n = b < 0x80 ? 1 : (b >> 5) === 6 ? 2 : (b >> 4) === 14 ? 3 : (b >> 3) === 30 ? 4 : 0;
      if (!n || i + n > bytes.length) break;
      let ok = true;
      for (let k = 1; k < n; k += 1) if ((bytes[i + k] >> 6) !== 2) ok = false;
      if (!ok) break;
      i += n;
    }
    return { ok: false, error: `文件不是 UTF-8 文本（第 ${i + 1} 字节起无法读取）；请先另存为 UTF-8。` };
  }
}

/** The media type of a `.docx`. */
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * How a chosen report file is read, by its name: `{kind: 'text'}` (decoded here, shown in the
 * text box), `{kind: 'docx' | 'pdf', type}` (sent as it is; the server reads its text), or
 * `{kind: null, error}`.
 */
export function fileKind(name) {
  const ext = (/\.([^.]*)$/.exec(String(name || '')) || [])[1];
  switch ((ext || '').toLowerCase()) {
    case 'txt': return { kind: 'text', type: 'text/plain; charset=utf-8' };
    case 'docx': return { kind: 'docx', type: DOCX_TYPE };
    case 'pdf': return { kind: 'pdf', type: 'application/pdf' };
    default: return { kind: null, error: '只能读取 .txt（UTF-8）、.docx 或带文字层的 PDF 文件。' };
  }
}

/** What a file name says: `yuzhong-2027.txt` → `{id: 'yuzhong-2027', year: 2027}`. */
export function fromFileName(name) {
  const stem = String(name || '').replace(/\.[^.]*$/, '');
  const id = stem.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const m = /(?:^|[^0-9])((?:19|20)\d\d)(?:[^0-9]|$)/.exec(stem);
  return { id: id || null, year: m ? Number(m[1]) : null };
}

/**
 * Words selected in the reading pane as a candidate name: trimmed, 2 to 30 characters, on one
 * line, without sentence punctuation. `{ok: true, name}` or `{ok: false, error}`.
 */
export function selectionName(text) {
  const name = String(text || '').trim();
  const n = Array.from(name).length;
  if (n < 2) return { ok: false, error: '请至少选中两个字。' };
  if (n > 30) return { ok: false, error: '选中的文字过长（最多 30 个字）。' };
  if (/[\s，。；：、！？“”（）《》,.;:!?()]/.test(name)) return { ok: false, error: '选中的文字含标点或换行，请只选地名本身。' };
  return { ok: true, name };
}

/** `/api/lexicon`'s live verdicts as rows, newest first: `{name, verdict, label, layer, kind, note, editor, at}`. */
export function verdictRows(lexicon) {
  return ((lexicon && lexicon.verdicts) || [])
    .map((v) => ({ ...v, label: VERDICT_LABELS[v.verdict] || v.verdict || '' }))
    .sort((a, b) => String(b.at || '').localeCompare(String(a.at || '')) || (b.change || 0) - (a.change || 0));
}
