// feeding.js: report files as text, file names, selected words as names, verdict rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReport, fileKind, fromFileName, selectionName, verdictRows } from '../../feeding.js';

const utf8 = (s) => new TextEncoder().encode(s);

test('a UTF-8 report file is read as text without its BOM; other encodings are refused naming the byte', () => {
  assert.deepEqual(decodeReport(utf8('\ufeff推进十八梯传统风貌区建设。')), { ok: true, text: '推进十八梯传统风貌区建设。' });
  // GBK bytes of 渝中 after two ASCII letters: the third byte is where UTF-8 fails.
  const gbk = new Uint8Array([0x61, 0x62, 0xd3, 0xe5, 0xd6, 0xd0]);
  const r = decodeReport(gbk);
  assert.equal(r.ok, false);
  assert.match(r.error, /第 3 字节/);
  assert.equal(decodeReport(utf8('  \n')).ok, false, 'an empty file is refused');
});

test('a file name gives the report id and year when it states them', () => {
  assert.deepEqual(fromFileName('yuzhong-2027.txt'), { id: 'yuzhong-2027', year: 2027 });
  assert.deepEqual(fromFileName('Yuzhong Report 2026.TXT'), { id: 'yuzhong-report-2026', year: 2026 });
  assert.deepEqual(fromFileName('渝中报告.txt'), { id: null, year: null });
  assert.equal(fromFileName('plan-12026.txt').year, null, 'digits inside a longer number are not a year');
});

test('selected words are a name when they are 2 to 30 characters without punctuation', () => {
  assert.deepEqual(selectionName(' 嘉宾里 '), { ok: true, name: '嘉宾里' });
  assert.equal(selectionName('里').ok, false);
  assert.equal(selectionName('嘉宾里，十八梯').ok, false);
  assert.equal(selectionName('一'.repeat(31)).ok, false);
});

test('verdicts are listed newest first with their Chinese label', () => {
  const rows = verdictRows({ verdicts: [
    { name: '某某片区', verdict: 'not_place', at: '2026-12-07T10:00:00Z', change: 3 },
    { name: '嘉宾里', verdict: 'place', layer: 'streets', at: '2026-12-07T11:00:00Z', change: 4 },
  ] });
  assert.deepEqual(rows.map((r) => [r.name, r.label]), [['嘉宾里', '是地名'], ['某某片区', '不是地名']]);
  assert.deepEqual(verdictRows(null), []);
});

test('a chosen file is read by its extension: .txt here, .docx and PDF by the server, others refused', () => {
  assert.equal(fileKind('yuzhong-2027.TXT').kind, 'text');
  assert.deepEqual(fileKind('报告.docx'), { kind: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  assert.deepEqual(fileKind('scan.Pdf'), { kind: 'pdf', type: 'application/pdf' });
  assert.equal(fileKind('old.doc').kind, null);
  assert.match(fileKind('noext').error, /\.docx/);
});
