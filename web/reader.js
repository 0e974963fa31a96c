//! The reading pane: the report section by section with the place names marked (mentions from
//! the report's sentences and the catalogue, leftmost-longest, nested names kept, partial
//! overlaps dropped). Clicking a sentence flies to and highlights its features; selecting a
//! feature marks its words and scrolls to the mention in the sentence that plans it.
//! Offsets are code points of the report's normalised text, as the server gives them.
//! Installs `app.renderReport`, `app.scrollToMention`, `app.markReaderSelection`,
//! `app.onSentenceClick`.

import { $, $$, toast } from './dom.js';
import { html, esc, raw } from './html.js';
import { truncate, layerOfId } from './format.js';

/** Installs the reading pane on `app`. */
export function installReader(app) {
  const { state, vocab, catalog, featureCache } = app;
  let reportChars = null; // Array.from(report.text): offsets are code points
  const sentenceById = new Map();

  function renderPlain(start, end) {
    if (end <= start) return '';
    return esc(reportChars.slice(start, end).join('')).replace(/\n/g, '<span class="pb"></span>');
  }

  function renderWithMentions(start, end, mentions) {
    let out = '';
    let pos = start;
    const stack = []; // open mentions' ends
    const closeUntil = (limit) => {
      while (stack.length && stack[stack.length - 1] <= limit) {
        const e = stack.pop();
        out += renderPlain(pos, e);
        pos = e;
        out += '</mark>';
      }
    };
    for (const m of mentions) {
      closeUntil(m.start);
      if (stack.length && m.end > stack[stack.length - 1]) continue; // partial overlap
      if (m.start < pos) continue;
      out += renderPlain(pos, m.start);
      pos = m.start;
      out += String(html`<mark class="mention m-${m.layer || 'x'}" data-testid="mention" data-fid="${m.fid}" data-start="${m.start}" data-end="${m.end}">`);
      stack.push(m.end);
    }
    closeUntil(Infinity);
    out += renderPlain(pos, end);
    return raw(out);
  }

  function collectMentions(report) {
    const mentions = [];
    const seen = new Set();
    const add = (fid, start, end) => {
      const key = `${fid}|${start}|${end}`;
      if (seen.has(key) || !(end > start)) return;
      seen.add(key);
      const f = catalog.get(fid);
      mentions.push({ fid, start, end, layer: f ? f.properties.layer : layerOfId(fid, vocab.layers) });
    };
    report.sentences.forEach((s) => (s.mentions || []).forEach((m) => add(m.feature_id, m.start, m.end)));
    // Offsets are into this report's text: other reports' features are marked in their own.
    for (const f of catalog.values()) {
      if (f.properties.report && f.properties.report !== report.id) continue;
      (f.properties.mentions || []).forEach((m) => add(f.properties.id, m.start, m.end));
    }
    // Leftmost-longest; a mention inside a longer one is nested in it.
    mentions.sort((a, b) => a.start - b.start || b.end - a.end);
    return mentions;
  }

  function renderReport() {
    const report = state.report;
    if (!report) return;
    reportChars = Array.from(report.text);
    sentenceById.clear();
    report.sentences.forEach((s) => sentenceById.set(s.id, s));
    const mentions = collectMentions(report);

    const sentences = report.sentences.slice().sort((a, b) => a.start - b.start);
    const parts = [];
    let mi = 0;
    let si = 0;
    let pos = 0;
    const tocOpts = [html`<option value="">章节目录…</option>`];
    // Each section runs to the next one's start, so no text between sections is lost; text
    // before the first section is shown as a preamble.
    const secs = report.sections.slice().sort((a, b) => a.start - b.start);
    if (!secs.length || secs[0].start > 0) secs.unshift({ id: 'pre', start: 0, preamble: true });
    secs.forEach((sec, i) => {
      const end = i + 1 < secs.length ? secs[i + 1].start : reportChars.length;
      const label = sec.preamble ? '' : `${sec.part ? `${sec.part}、` : ''}${sec.number || ''}`;
      if (!sec.preamble) tocOpts.push(html`<option value="${sec.id}">${label}${truncate(sec.title || '（未编号部分）', 18)}</option>`);
      parts.push(String(html`<section class="rsec" id="rsec-${sec.id}" data-section="${sec.id}">
        ${sec.preamble ? '' : html`<h3 class="rsec-head"><span class="rsec-num">${label}</span>${sec.theme ? html`<span class="badge theme" style="--c:${vocab.themeColor(sec.theme)}">${sec.theme}</span>` : ''}</h3>`}
        <div class="rtext">`));
      pos = Math.max(pos, sec.start);
      while (si < sentences.length && sentences[si].start < end) {
        const s = sentences[si];
        si += 1;
        if (s.start < pos) continue;
        parts.push(renderPlain(pos, s.start));
        while (mi < mentions.length && mentions[mi].start < s.start) mi += 1;
        const inside = [];
        for (let k = mi; k < mentions.length && mentions[k].start < s.end; k += 1) if (mentions[k].end <= s.end) inside.push(mentions[k]);
        const n = (s.feature_ids || []).length;
        // A sentence that plans something is a control: focusable, activated by Enter.
        const feat = n ? html` data-features="${n}" title="点击或按回车，在地图上定位本句的 ${n} 处规划要素" tabindex="0" role="button"` : '';
        parts.push(String(html`<span class="sent${n ? ' has-feat' : ''}" data-testid="sentence" data-sid="${s.id}"${feat}>${renderWithMentions(s.start, s.end, inside)}</span>`));
        pos = s.end;
      }
      if (end > pos) { parts.push(renderPlain(pos, end)); pos = end; }
      parts.push('</div></section>');
    });
    $('#reader-body').innerHTML = parts.join('');
    $('#reader-toc').innerHTML = String(html`${tocOpts}`);
    if (state.selected) markReaderSelection(state.selected, false);
  }

  function readerVisible() {
    const r = $('#reader');
    return r.offsetParent !== null && getComputedStyle(r).display !== 'none';
  }

  function scrollToMention(start) {
    const m = $(`#reader-body mark[data-start="${Number(start)}"]`);
    if (!m) return;
    $$('#reader-body mark.current').forEach((x) => x.classList.remove('current'));
    m.classList.add('current');
    if (readerVisible()) {
      m.scrollIntoView({ behavior: 'smooth', block: 'center' });
      m.classList.remove('flash');
      void m.offsetWidth; // restart the flash animation
      m.classList.add('flash');
      state.pendingScroll = null;
    } else {
      state.pendingScroll = start;
    }
  }

  // Marks the selected feature's words in the report and scrolls to the mention in the sentence
  // that plans it (its quote), else to its first mention.
  function markReaderSelection(id, scroll) {
    $$('#reader-body mark.sel').forEach((x) => x.classList.remove('sel'));
    if (!id || !state.report) return;
    $$(`#reader-body mark[data-fid="${CSS.escape(id)}"]`).forEach((x) => x.classList.add('sel'));
    const f = catalog.get(id) || featureCache[state.crs].get(id);
    const mentions = f ? (f.properties.mentions || []) : [];
    if (!mentions.length) return;
    let best = mentions[0];
    if (f.properties.quote) {
      const q = f.properties.quote.trim();
      const inQuote = mentions.find((m) => {
        const s = sentenceById.get(m.sentence_id);
        return s && reportChars.slice(s.start, s.end).join('').trim() === q;
      });
      if (inQuote) best = inQuote;
    }
    if (scroll) scrollToMention(best.start);
  }

  async function onSentenceClick(sentEl, markEl) {
    const sid = Number(sentEl.dataset.sid);
    const s = sentenceById.get(sid);
    if (!s) return;
    // A second click on the highlighted sentence (not on a place name) clears its highlight.
    if (!markEl && sentEl.classList.contains('active')) {
      sentEl.classList.remove('active');
      state.highlightedSentence = null;
      state.highlighted = [];
      app.drawHighlights();
      return;
    }
    $$('#reader-body .sent.active').forEach((x) => x.classList.remove('active'));
    sentEl.classList.add('active');
    state.highlightedSentence = sid;
    state.highlighted = (s.feature_ids || []).slice();
    const features = await app.drawHighlights();
    const located = features.filter((f) => f.geometry && state.highlighted.includes(f.properties.id));
    const unlocated = features.filter((f) => !f.geometry && state.highlighted.includes(f.properties.id));
    if (located.length) {
      app.flyToFeatures(located);
      app.revealMap();
    }
    if (markEl) {
      app.selectFeature(markEl.dataset.fid, { fly: false, scrollReport: false, tab: !app.readerInSide() });
    } else if (unlocated.length && !located.length) {
      toast(`本句涉及的 ${unlocated.length} 项尚无具体位置（见“图层”中的全区性 / 未定位事项）。`, 'info');
    } else if (unlocated.length) {
      toast(`已定位 ${located.length} 处；另有 ${unlocated.length} 项尚无具体位置。`, 'info');
    }
    if (!state.highlighted.length) toast('本句没有可定位的规划要素。', 'info');
  }

  Object.assign(app, { renderReport, scrollToMention, markReaderSelection, onSentenceClick });
}
