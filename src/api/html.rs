//! HTML for people who open an API link in a browser (as pygeoapi and ldproxy offer): the
//! landing page, the collections, a page of items and one item as readable Chinese pages, the
//! features on a small Leaflet map (the page's own embedded Leaflet, `/vendor/leaflet/`).
//!
//! Input: the JSON answer the route would give, the request's base of links (every link of a
//! page starts with it, as the JSON's do) and whether the client asked for HTML (`f=html`, or
//! `Accept: text/html` without `f=json`). Output: a page built through one
//! escaping helper ([`esc`]); the features go to the map as a JSON data block, drawn by a small
//! script of ours served at `/api/html/map.js`, so the Content-Security-Policy stays
//! `script-src 'self'`.

use std::fmt::Write as _;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::links::href;
use super::params::Params;

/// Whether this request wants HTML: `f=html`, or a browser's `Accept: text/html` when `f` is
/// not given.
#[must_use]
pub fn wanted(p: &Params, headers: &HeaderMap) -> bool {
    match p.get("f") {
        Some(f) => f == "html",
        None => headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html")),
    }
}

/// Text made safe for HTML element content and quoted attribute values: the one escaping
/// helper every page goes through.
#[must_use]
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as text for a table cell: strings as they are, the rest as compact JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `href` with `f=json` (the same answer as JSON), keeping its other parameters.
fn as_json(href: &str) -> String {
    with_format(href, "json")
}

/// `href` with `f` set to `format`, keeping its other parameters.
#[must_use]
pub fn with_format(href: &str, format: &str) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "f")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push(("f".into(), format.into()));
    let qs = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    format!("{path}?{qs}")
}

/// The `self` link of an answer.
fn self_href(body: &Value) -> String {
    body["links"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["rel"] == "self"))
        .and_then(|l| l["href"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// The links of an answer as a list (the JSON alternate first).
fn links_list(body: &Value) -> String {
    let mut out = String::from("<ul class=\"links\">");
    let me = self_href(body);
    if !me.is_empty() {
        let _ = write!(
            out,
            "<li><a rel=\"alternate\" type=\"application/json\" href=\"{}\">JSON</a></li>",
            esc(&as_json(&me))
        );
    }
    for l in body["links"].as_array().into_iter().flatten() {
        let (Some(href), Some(rel)) = (l["href"].as_str(), l["rel"].as_str()) else {
            continue;
        };
        if rel == "self" || rel == "alternate" {
            continue;
        }
        let title = l["title"].as_str().unwrap_or(rel);
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a> <small>{}</small></li>",
            esc(href),
            esc(title),
            esc(rel)
        );
    }
    out.push_str("</ul>");
    out
}

/// A whole page around `body_html`; `features`, when given, are drawn on the map.
fn page(
    title: &str,
    body: &Value,
    body_html: &str,
    features: Option<&Value>,
    base: &str,
) -> Response {
    let me = self_href(body);
    let at = |path: &str| esc(&href(base, path));
    let map = features.map_or_else(String::new, |fc| {
        // `</` cannot end the data block early once escaped as JSON's `\u003c/`.
        let data = fc.to_string().replace("</", "<\\/");
        format!(
            "<div id=\"map\" style=\"height:360px\"></div><script type=\"application/json\" id=\"features\">{data}</script><script src=\"{}\"></script><script src=\"{}\"></script>",
            at("/vendor/leaflet/leaflet.js"),
            at("/api/html/map.js"),
        )
    });
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t} · planmap</title><link rel=\"alternate\" type=\"application/json\" href=\"{j}\"><link rel=\"stylesheet\" href=\"{css}\"><style>body{{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:1.5em auto;max-width:60em;padding:0 1em;line-height:1.5}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}}small{{color:#666}}</style></head><body><nav><a href=\"{api}\">planmap API</a> · <a href=\"{data}\">数据集</a> · <a href=\"{map_page}\">地图</a></nav><h1>{t}</h1>{map}{b}{links}</body></html>",
        t = esc(title),
        j = esc(&as_json(&me)),
        css = at("/vendor/leaflet/leaflet.css"),
        api = at("/api?f=html"),
        data = at("/api/collections?f=html"),
        map_page = at("/"),
        b = body_html,
        links = links_list(body),
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

/// The landing page.
#[must_use]
pub fn landing(body: &Value, base: &str) -> Response {
    let intro = format!(
        "<p>{}</p>",
        esc(body["description"].as_str().unwrap_or_default())
    );
    page("planmap：规划地图 API", body, &intro, None, base)
}

/// The collections list.
#[must_use]
pub fn collections(body: &Value, base: &str) -> Response {
    let mut rows = String::from(
        "<table><tr><th>数据集</th><th>说明</th><th>要素数</th><th>已定位</th><th>几何类型</th></tr>",
    );
    for c in body["collections"].as_array().into_iter().flatten() {
        let id = c["id"].as_str().unwrap_or_default();
        let _ = write!(
            rows,
            "<tr><td><a href=\"{h}\">{t}</a><br><small>{i}</small></td><td>{d}</td><td>{n}</td><td>{l}</td><td>{g}</td></tr>",
            h = esc(&href(base, &format!("/api/collections/{id}/items?f=html"))),
            i = esc(id),
            t = esc(c["title"].as_str().unwrap_or(id)),
            d = esc(c["description"].as_str().unwrap_or_default()),
            n = esc(&cell(&c["itemCount"])),
            l = esc(&cell(&c["locatedCount"])),
            g = esc(&cell(&c["geometryType"])),
        );
    }
    rows.push_str("</table>");
    page("数据集", body, &rows, None, base)
}

/// One collection's metadata.
#[must_use]
pub fn collection(body: &Value, base: &str) -> Response {
    let id = body["id"].as_str().unwrap_or_default();
    let text = format!(
        "<p>{}</p><p><a href=\"{}\">浏览要素</a>（共 {} 个，已定位 {} 个；几何类型 {}）</p>",
        esc(body["description"].as_str().unwrap_or_default()),
        esc(&href(base, &format!("/api/collections/{id}/items?f=html"))),
        esc(&cell(&body["itemCount"])),
        esc(&cell(&body["locatedCount"])),
        esc(&cell(&body["geometryType"])),
    );
    page(
        body["title"].as_str().unwrap_or(id),
        body,
        &text,
        None,
        base,
    )
}

/// The properties people read first, in this order, with their Chinese labels.
const SHOWN: &[(&str, &str)] = &[
    ("name", "名称"),
    ("kind", "类型"),
    ("theme", "主题"),
    ("status", "状态"),
    ("year", "年份"),
    ("match", "定位方式"),
    ("uncertainty_m", "不确定半径（米）"),
    ("quote", "原文"),
];

/// A page of items.
#[must_use]
pub fn items(collection: &str, body: &Value, base: &str) -> Response {
    let mut rows = format!(
        "<p>共 {} 个要素，本页 {} 个。</p><table><tr>",
        esc(&cell(&body["numberMatched"])),
        esc(&cell(&body["numberReturned"]))
    );
    for (_, label) in SHOWN {
        let _ = write!(rows, "<th>{}</th>", esc(label));
    }
    rows.push_str("</tr>");
    for f in body["features"].as_array().into_iter().flatten() {
        let id = f["id"].as_str().unwrap_or_default();
        let link = href(base, &crate::atlas::item_path(collection, id));
        rows.push_str("<tr>");
        for (i, (key, _)) in SHOWN.iter().enumerate() {
            let v = esc(&cell(&f["properties"][*key]));
            if i == 0 {
                let name = if v.is_empty() { esc(id) } else { v };
                let _ = write!(
                    rows,
                    "<td><a href=\"{}?f=html\">{name}</a></td>",
                    esc(&link)
                );
            } else {
                let _ = write!(rows, "<td>{v}</td>");
            }
        }
        rows.push_str("</tr>");
    }
    rows.push_str("</table>");
    page(
        &format!("{collection} · 要素"),
        body,
        &rows,
        Some(&features_only(body)),
        base,
    )
}

/// One feature.
#[must_use]
pub fn item(body: &Value, base: &str) -> Response {
    let title = body["properties"]["name"]
        .as_str()
        .or_else(|| body["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let mut rows = String::from("<table>");
    for (k, v) in body["properties"].as_object().into_iter().flatten() {
        let _ = write!(
            rows,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(k),
            esc(&cell(v))
        );
    }
    rows.push_str("</table>");
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [body]});
    page(&title, body, &rows, Some(&fc), base)
}

/// A feature collection with only the features (no links), for the map.
fn features_only(body: &Value) -> Value {
    serde_json::json!({"type": "FeatureCollection", "features": body["features"]})
}

/// The map script of the HTML pages: draws the features of the page's JSON data block on an
/// OpenStreetMap basemap and fits the view to them.
const MAP_JS: &str = r"(function () {
  var data = JSON.parse(document.getElementById('features').textContent);
  var map = L.map('map');
  L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 19, attribution: '&copy; OpenStreetMap contributors'
  }).addTo(map);
  var layer = L.geoJSON(data, {
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 6 }); },
    onEachFeature: function (f, l) {
      var name = f.properties && f.properties.name;
      if (name) l.bindTooltip(String(name));
    }
  }).addTo(map);
  var b = layer.getBounds();
  if (b.isValid()) map.fitBounds(b, { maxZoom: 16 }); else map.setView([29.556, 106.57], 13);
})();
";

/// `GET /api/html/map.js`.
pub async fn map_js() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        MAP_JS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_escaping_helper_leaves_no_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(esc("十八梯"), "十八梯");
    }

    #[test]
    fn the_json_alternate_keeps_the_query_and_sets_f() {
        assert_eq!(
            as_json("http://h/api/collections/zones/items?limit=5&f=html"),
            "http://h/api/collections/zones/items?limit=5&f=json"
        );
    }
}
