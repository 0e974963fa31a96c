//! The page's vocabulary: which planned layers exist, what each kind and status is called, and
//! the page's colour palette for layers, kinds and themes.
//!
//! Input: the served vocabulary (`GET /api/vocabulary`, the server's src/vocab/vocab.json:
//! `{layers: [{id, label}], statuses: [{id, label, verbs}], themes: [{id, label, keywords}],
//! kinds: [{kind, layer, label, terms}]}`), or null when the server does not serve it: then a
//! small built-in default stands in (the page says so in the console). Output: lookups.
//! The vocabulary decides which layers, statuses and kinds exist and what they are called. Where
//! it also carries presentation (a layer's `title`, `note`, `symbol`, `color`; a status's
//! `title`; a theme's `color`), that wins; this module's palette fills in what it lacks (kind
//! colours, and everything when the default stands in). It never adds terms of its own.

/** Presentation of the planned layers: how the page titles and draws each one. */
export const LAYER_STYLE = {
  zones: { title: '规划片区', note: '商圈、片区、园区、风貌区', symbol: 'polygon', color: '#e8590c' },
  streets: { title: '街巷与线路', note: '路、街、巷、连廊、轴线', symbol: 'line', color: '#1971c2' },
  projects: { title: '重点项目', note: '楼宇、广场、公园、地块', symbol: 'point', color: '#c92a2a' },
};

// Colour per kind, in each layer's own colour family so that a zone never looks like a
// project. Kinds not listed get a stable colour from the layer's fallback family.
const KIND_COLORS = {
  zones: {
    片区: '#f08c00', 商务区: '#d9480f', 商圈: '#d9480f', 城: '#c2255c', 新城: '#c2255c',
    产业园: '#7048e8', 园区: '#7048e8', 园: '#7048e8', 基地: '#ae3ec9', 小镇: '#ae3ec9',
    风貌区: '#8f5b34', 风貌带: '#8f5b34', 街区: '#a61e4d', 公园: '#2b8a3e', 景区: '#2b8a3e',
    生态带: '#2b8a3e', 集聚区: '#e67700', 示范带: '#9c36b5', 示范区: '#9c36b5',
  },
  streets: {
    路: '#1971c2', 大道: '#1864ab', 街: '#0c8599', 巷: '#4263eb', 立交: '#495057',
    号线: '#2f9e44', 轨道线: '#2f9e44', 连廊: '#0b7285', 轴线: '#364fc7', 步道: '#087f5b', 桥: '#5c7cfa',
  },
  projects: {
    中心: '#e03131', 大厦: '#9c36b5', 楼宇: '#9c36b5', 广场: '#f76707', 地块: '#5c940d',
    公园: '#2b8a3e', 学校: '#1971c2', 医院: '#c2255c', 会馆: '#9c6644', 市场: '#e8590c',
  },
};
const KIND_FALLBACK = {
  zones: ['#d9480f', '#ae3ec9', '#a61e4d', '#e67700', '#862e9c'],
  streets: ['#1c7ed6', '#1098ad', '#3b5bdb', '#0ca678', '#4c6ef5'],
  projects: ['#e03131', '#c2255c', '#9c36b5', '#f76707', '#a61e4d'],
};
const NEUTRAL = '#868e96';

// Colour per stage of work, ordered light to strong as work advances: 谋划 blue, 启动 amber,
// 复工 (stalled work resumes) brown, 在建 orange-red, 完工 green; an item the report gives no
// verb is grey.
export const STAGE_COLORS = {
  planned: '#3b5bdb', starting: '#f59f00', resuming: '#a0522d', under_construction: '#e8590c', completing: '#2b8a3e',
};
const STAGE_SHORT = { planned: '谋划', starting: '启动', resuming: '复工', under_construction: '在建', completing: '完工' };

const THEME_COLORS = {
  产业: '#e8590c', 开放: '#1971c2', 改革: '#7048e8', 文旅: '#c2255c', 生态: '#2b8a3e',
  城市更新: '#f08c00', 治理: '#495057', 民生: '#0c8599', 综合: NEUTRAL,
};

/** What the page uses when the server serves no vocabulary: the page's own terms of old. */
export const DEFAULT_VOCABULARY = {
  layers: [{ id: 'zones', label: '规划片区' }, { id: 'streets', label: '街巷与线路' }, { id: 'projects', label: '重点项目' }],
  statuses: [
    { id: 'planned', label: '谋划推进' }, { id: 'starting', label: '启动 / 开工' },
    { id: 'under_construction', label: '在建 / 加快' }, { id: 'completing', label: '完工 / 投用' },
  ],
  themes: Object.keys(THEME_COLORS).map((t) => ({ id: t, label: t })),
  kinds: [],
};

/** A stable small hash of a string (for fallback colours). */
export function hashString(s) {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h;
}

/** The symbols the page's stylesheet draws (`.sym-polygon` …). */
const SYMBOLS = ['polygon', 'line', 'point'];

/** A CSS hex colour: the only colour syntax taken from the server. */
function isColor(c) {
  return typeof c === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(c);
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

/**
 * Lookups over a served vocabulary, or the default when `served` is missing or malformed.
 * `source` says which one is in use ('server' or 'default').
 */
export function createVocabulary(served) {
  const usable = served && typeof served === 'object' && list(served.layers).length > 0;
  const v = usable ? served : DEFAULT_VOCABULARY;
  const layers = list(v.layers).map((l) => l.id).filter((id) => typeof id === 'string' && id);
  const servedLayers = new Map(list(v.layers).map((l) => [l.id, l]));
  const statuses = list(v.statuses).length ? list(v.statuses) : DEFAULT_VOCABULARY.statuses;
  // A status's `title` is its longer wording for people (谋划推进), `label` the short one.
  const statusLabels = new Map(statuses.map((s) => [s.id, s.title || s.label || s.id]));
  const themes = list(v.themes).length ? list(v.themes) : DEFAULT_VOCABULARY.themes;
  const themeColors = new Map(themes.filter((t) => isColor(t.color)).map((t) => [t.id, t.color]));
  const kinds = new Map(list(v.kinds).map((k) => [k.kind, k]));

  return {
    source: usable ? 'server' : 'default',
    /** The planned layers' ids, in the vocabulary's order. */
    layers,
    /** Status ids in the vocabulary's order (planned → completing). */
    statusOrder: statuses.map((s) => s.id),
    /** Theme ids in the vocabulary's order. */
    themes: themes.map((t) => t.id),

    /** Title, note, symbol and colour of a layer: the served ones, else the palette's; a layer
     * neither knows is titled by its label (or id) and drawn as grey points. */
    layerMeta(layer) {
      const served = servedLayers.get(layer) || {};
      const style = LAYER_STYLE[layer] || { title: served.label || String(layer ?? ''), note: '', symbol: 'point', color: NEUTRAL };
      return {
        title: served.title || style.title,
        note: served.note ?? style.note,
        symbol: SYMBOLS.includes(served.symbol) ? served.symbol : style.symbol,
        color: isColor(served.color) ? served.color : style.color,
      };
    },
    /** The status's label; an unknown status is shown as written. */
    statusLabel(status) {
      return statusLabels.get(status) || '';
    },
    /** The kind's label (the kind itself when the vocabulary names it so or does not list it). */
    kindLabel(kind) {
      const k = kinds.get(kind);
      return (k && k.label) || kind || '';
    },
    /** The layer a kind belongs to, or null for a kind the vocabulary does not list. */
    layerOfKind(kind) {
      const k = kinds.get(kind);
      return k ? k.layer : null;
    },
    /** A colour for a kind on a layer: the palette's, else a stable one of the layer's family. */
    kindColor(layer, kind) {
      const table = KIND_COLORS[layer] || {};
      if (kind && table[kind]) return table[kind];
      const pal = KIND_FALLBACK[layer] || [NEUTRAL];
      return pal[hashString(kind || '') % pal.length];
    },
    /** A stage's colour (grey for an item without a stated stage). */
    stageColor(status) {
      return STAGE_COLORS[status] || NEUTRAL;
    },
    /** A stage's short label (谋划 / 启动 / 在建 / 完工): the vocabulary's `label`, else ours. */
    stageLabel(status) {
      const s = statuses.find((x) => x.id === status);
      return (s && s.label && s.label.length <= 4 ? s.label : STAGE_SHORT[status]) || '未注明阶段';
    },
    /** A theme's colour: the served one, else the palette's, else grey. */
    themeColor(theme) {
      return themeColors.get(theme) || THEME_COLORS[theme] || NEUTRAL;
    },
  };
}
