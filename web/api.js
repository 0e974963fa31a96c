//! The page's HTTP client: URL building, JSON fetch with errors that name the server's
//! message and parameter, and paging through `next` links. No DOM: `fetch` and the origin are
//! given, `onStart`/`onDone` let the page count outstanding requests, and `onChange` hears the
//! server's change number (`X-Planmap-Change`) of every answer.

/** An error answer (or a non-JSON body) from the server. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

/** The most pages `fetchAllPages` follows: the district's layers are far smaller. */
export const MAX_PAGES = 20;

/** `path` on `origin` with `params` in the query, leaving out empty values. */
export function buildUrl(path, params, origin) {
  const url = new URL(path, origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  return url.toString();
}

/**
 * The placement itself in place of the served geometry. GIS clients get one geometry family per
 * collection (a zone placed at a point is served as its uncertainty disc, `location.drawn`);
 * the server then sends the placement as the feature's `placement`, which the page draws,
 * measures and edits as before. Applied to a feature, and to the `features` and
 * `district_wide` lists of a collection or a near answer.
 */
export function withPlacements(body) {
  const swap = (f) => (f && f.type === 'Feature' && f.placement ? { ...f, geometry: f.placement } : f);
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  if (body.type === 'Feature') return swap(body);
  const out = { ...body };
  for (const key of ['features', 'district_wide']) {
    if (Array.isArray(body[key])) out[key] = body[key].map(swap);
  }
  return out;
}

/** A client bound to `origin`. */
export function createApi({ origin, fetch: fetchFn = globalThis.fetch, onStart = () => {}, onDone = () => {}, onChange = () => {} }) {
  async function getJSON(path, params, signal) {
    const url = buildUrl(path, params, origin);
    onStart();
    try {
      const res = await fetchFn(url, { signal, headers: { Accept: 'application/json' } });
      // Every answer names the server's change number: a larger one than the page has seen
      // means reports, verdicts or corrections changed since (the page then follows them).
      const change = Number(res.headers && res.headers.get ? res.headers.get('X-Planmap-Change') : NaN);
      if (res.ok && Number.isFinite(change)) onChange(change);
      const text = await res.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
      if (!res.ok) throw new ApiError(res.status, body);
      if (body === null) throw new ApiError(res.status, { message: '服务器返回的不是 JSON' });
      return withPlacements(body);
    } finally {
      onDone();
    }
  }

  /** A feature collection with every page's features, following `next` links. */
  async function fetchAllPages(path, params, signal) {
    const first = await getJSON(path, params, signal);
    const features = first.features.slice();
    let next = (first.links || []).find((l) => l.rel === 'next');
    let pages = 1;
    while (next && pages < MAX_PAGES) {
      const page = await getJSON(next.href, null, signal);
      features.push(...page.features);
      next = (page.links || []).find((l) => l.rel === 'next');
      pages += 1;
    }
    return { ...first, features };
  }

  return { getJSON, fetchAllPages };
}

/** The server's error codes (`{code}` of every JSON error) in Chinese. */
export const CODE_LABELS = {
  bad_parameter: '请求的参数不合要求',
  not_found: '找不到所请求的内容',
  internal: '服务器内部出错，请稍后再试',
  unauthorized: '令牌无效、已撤销或未登录，请重新登录',
  forbidden: '此账号无权修改',
  too_many_failures: '登录失败次数过多',
  conflict: '他人已先保存了此要素的位置',
  not_corrected: '此要素没有人工修正，已是自动定位',
  outside_district: '位置在渝中区界之外，需在说明中写明“区外”的理由',
  payload_too_large: '提交的内容过大',
  uri_too_long: '请求地址过长',
  method_not_allowed: '不支持此操作',
  overloaded: '服务器繁忙，请稍后再试',
  unavailable: '服务器暂时只能读取，无法保存',
  duplicate_id: '已有同一编号的报告，请换一个编号或先删除原报告',
  read_only_report: '这是服务器自带的基础报告，只读，不能删除',
  unsupported_media_type: '只能读取 .txt（UTF-8）、.docx 或 PDF 文件',
  unreadable_file: '文件无法读取（不是 .docx 文件，或 PDF 已损坏、加密）',
  no_text_layer: '这份 PDF 没有文字层（扫描件或图片），无法读出文字；请先做文字识别（OCR），或上传文本',
};

/** The parameters the server may name, in Chinese. */
export const PARAM_LABELS = {
  geometry: '几何', uncertainty_m: '位置误差（米）', source: '来源', note: '说明', 'If-Match': '版本号',
  Authorization: '登录令牌', bbox: '地图范围', limit: '数量上限', crs: '坐标系', q: '搜索词', report: '报告',
  lon: '经度', lat: '纬度', radius_m: '查询半径', layers: '图层', filter: '筛选条件', path: '地址',
  text: '报告正文', id: '报告编号', title: '标题', year: '年份', kind: '类型', verdict: '判定', layer: '图层', name: '名称',
  file: '文件', 'Content-Type': '文件类型',
};

/** `（参数：中文名）` for the parameter an error names, '' when it names none. */
export function paramNote(parameter) {
  return parameter ? `（参数：${PARAM_LABELS[parameter] || parameter}）` : '';
}

/**
 * A one-line Chinese message for an error: what failed, the server's code in Chinese (its
 * English wording is for the log, not the page), the parameter it refused.
 */
export function errorMessage(what, err) {
  const body = (err && err.body) || {};
  const lead = CODE_LABELS[body.code]
    || (err && err.name === 'ApiError' ? `服务器拒绝（HTTP ${err.status}）` : `网络或页面出错（${err && err.message ? err.message : err}）`);
  return `${what}失败：${lead}${paramNote(body.parameter)}。`;
}
