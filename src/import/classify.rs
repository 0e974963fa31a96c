//! Classifying OSM elements by their tags: which category an element falls in (road, railway,
//! station, place, area, point of interest), the tag that decided it, the kind of entry it
//! becomes (路, 公园, 学校 …) and its normalised name and aliases. Input: an element's tags and
//! shape; output: plain values, no geometry.
//!
//! The tables here map OSM tags to kinds; the layer of each kind is the vocabulary's
//! ([`crate::vocab::layer_of_kind`]), and a test checks that every kind they can emit is in it.

use crate::gazetteer::normalise_name;
use crate::vocab::Layer;

/// What kind of entry a feature becomes; also the order of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Category {
    Road,
    Railway,
    Station,
    Place,
    Area,
    Poi,
}

impl Category {
    /// Prefix of the ids of entries merged by name.
    pub(super) fn line_prefix(self) -> &'static str {
        if self == Category::Railway {
            "osm-rail"
        } else {
            "osm-road"
        }
    }
}

/// The tags of one element, borrowed from the block's string table.
pub(super) struct Tags<'a>(pub(super) Vec<(&'a str, &'a str)>);

impl<'a> Tags<'a> {
    /// The trimmed value of `key`, if present and not empty.
    pub(super) fn get(&self, key: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Whether `key` has exactly `value` (trimmed).
    pub(super) fn is(&self, key: &str, value: &str) -> bool {
        self.get(key) == Some(value)
    }
}

/// Shape of the element being classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Node,
    OpenWay,
    ClosedWay,
}

/// `highway` values that are not roads.
const NOT_ROADS: [&str; 5] = ["platform", "bus_stop", "elevator", "services", "rest_area"];
/// `railway` values that are lines.
const RAIL_LINES: [&str; 4] = ["rail", "subway", "monorail", "light_rail"];
/// `place` values for areas larger than a district: a point standing for all of 重庆 would
/// match the city's name throughout a report, so these are not imported.
const BIGGER_THAN_DISTRICT: [&str; 8] = [
    "continent",
    "country",
    "state",
    "region",
    "province",
    "city",
    "county",
    "municipality",
];
/// Keys that make a named element a point of interest, in order of precedence.
const POI_KEYS: [&str; 7] = [
    "amenity", "tourism", "historic", "shop", "leisure", "office", "building",
];

/// Which category an element falls in and the tag that put it there (`highway=primary`).
pub(super) fn classify(tags: &Tags<'_>, shape: Shape) -> Option<(Category, String)> {
    let tag = |key: &str| tags.get(key).map(|v| format!("{key}={v}"));
    let is_station = tags.is("railway", "station")
        || tags.is("railway", "halt")
        || tags.is("public_transport", "station");
    let station_tag = || {
        tag("railway")
            .filter(|_| tags.is("railway", "station") || tags.is("railway", "halt"))
            .or_else(|| tag("public_transport"))
    };
    let area_tag = || {
        if tags.is("leisure", "park") {
            tag("leisure")
        } else if tags.is("natural", "water") {
            tag("natural")
        } else if tags.is("waterway", "riverbank") {
            tag("waterway")
        } else {
            tag("landuse")
        }
    };
    let poi_tag = || {
        POI_KEYS
            .iter()
            .filter(|k| !(**k == "building" && tags.is("building", "no")))
            .find_map(|k| tag(k))
    };
    if shape != Shape::Node {
        if let Some(highway) = tags.get("highway").filter(|v| !NOT_ROADS.contains(v)) {
            return Some((Category::Road, format!("highway={highway}")));
        }
        if let Some(railway) = tags.get("railway").filter(|v| RAIL_LINES.contains(v)) {
            return Some((Category::Railway, format!("railway={railway}")));
        }
    }
    if is_station {
        return station_tag().map(|t| (Category::Station, t));
    }
    if let Some(t) = area_tag() {
        return Some((Category::Area, t));
    }
    if shape != Shape::OpenWay
        && let Some(place) = tags.get("place")
        && !BIGGER_THAN_DISTRICT.contains(&place)
    {
        return Some((Category::Place, format!("place={place}")));
    }
    poi_tag().map(|t| (Category::Poi, t))
}

/// Name endings of roads and the kind each gives, read top to bottom (立交 before 交 …).
/// OSM road names are not parsed by the report grammar, so the endings OSM uses (梯, 坡, 道)
/// are listed here even where the vocabulary has no generic term for them.
const ROAD_ENDINGS: [(&str, &str); 11] = [
    ("立交", "立交"),
    ("隧道", "隧道"),
    ("大道", "大道"),
    ("步道", "步道"),
    ("桥", "桥"),
    ("梯", "梯"),
    ("路", "路"),
    ("街", "街"),
    ("巷", "巷"),
    ("坡", "坡"),
    ("道", "道"),
];
/// Kind of a road whose name ends in none of [`ROAD_ENDINGS`].
const ROAD_DEFAULT: &str = "道路";
/// Kind of a railway or metro line.
const RAILWAY_KIND: &str = "轨道线";
/// Kind of a station.
const STATION_KIND: &str = "站";
/// Kind of a place, area or POI whose tag is in no row of [`KINDS`].
const OTHER_KIND: &str = "地标";

/// Head word of a road from the end of its name.
fn road_kind(name: &str) -> &'static str {
    ROAD_ENDINGS
        .iter()
        .find(|(end, _)| name.ends_with(end))
        .map_or(ROAD_DEFAULT, |(_, kind)| kind)
}

/// `key=value` → kind; `*` as value is the key's default. Read top to bottom, first match.
const KINDS: &[(&str, &str, &str)] = &[
    ("leisure", "park", "公园"),
    ("natural", "water", "水体"),
    ("waterway", "riverbank", "水体"),
    ("landuse", "residential", "居住区"),
    ("landuse", "commercial", "商业区"),
    ("landuse", "retail", "商业区"),
    ("landuse", "industrial", "工业区"),
    ("landuse", "construction", "工地"),
    ("landuse", "grass", "绿地"),
    ("landuse", "recreation_ground", "绿地"),
    ("landuse", "cemetery", "墓地"),
    ("landuse", "*", "用地"),
    ("place", "town", "镇"),
    ("place", "village", "村"),
    ("place", "hamlet", "村"),
    ("place", "suburb", "片区"),
    ("place", "quarter", "片区"),
    ("place", "neighbourhood", "社区"),
    ("place", "island", "岛"),
    ("place", "islet", "岛"),
    ("place", "square", "广场"),
    ("place", "*", "地名"),
    ("amenity", "school", "学校"),
    ("amenity", "kindergarten", "学校"),
    ("amenity", "university", "学校"),
    ("amenity", "college", "学校"),
    ("amenity", "hospital", "医院"),
    ("amenity", "clinic", "医院"),
    ("amenity", "library", "图书馆"),
    ("amenity", "theatre", "剧院"),
    ("amenity", "arts_centre", "文化设施"),
    ("amenity", "marketplace", "市场"),
    ("amenity", "place_of_worship", "宗教场所"),
    ("amenity", "townhall", "政府机构"),
    ("amenity", "parking", "停车场"),
    ("amenity", "*", "设施"),
    ("tourism", "museum", "博物馆"),
    ("tourism", "gallery", "美术馆"),
    ("tourism", "hotel", "酒店"),
    ("tourism", "viewpoint", "观景点"),
    ("tourism", "*", "景点"),
    ("historic", "*", "遗址"),
    ("shop", "mall", "商场"),
    ("shop", "department_store", "商场"),
    ("shop", "*", "商店"),
    ("leisure", "stadium", "体育场馆"),
    ("leisure", "sports_centre", "体育场馆"),
    ("leisure", "*", "休闲场所"),
    ("office", "*", "办公"),
    ("building", "*", "楼宇"),
];

/// The layer an entry of `kind` is served on: the vocabulary's. Every kind this module emits
/// is in the vocabulary (tested below); `projects`, where points of any kind go, only guards
/// a kind added here without a vocabulary row.
pub(super) fn layer_of(kind: &str) -> Layer {
    crate::vocab::layer_of_kind(kind).unwrap_or(Layer::Projects)
}

/// The kind of an entry from its category, defining tag (`key=value`) and name.
pub(super) fn kind_of(category: Category, tag: &str, name: &str) -> String {
    match category {
        Category::Road => road_kind(name).to_string(),
        Category::Railway => RAILWAY_KIND.to_string(),
        Category::Station => STATION_KIND.to_string(),
        Category::Place | Category::Area | Category::Poi => {
            let (key, value) = tag.split_once('=').unwrap_or((tag, ""));
            KINDS
                .iter()
                .find(|(k, v, _)| *k == key && (*v == value || *v == "*"))
                .map_or(OTHER_KIND, |(_, _, kind)| kind)
                .to_string()
        }
    }
}

/// The normalised name (`name`, else `name:zh`) and the aliases that differ from it.
pub(super) fn names(tags: &Tags<'_>) -> (Option<String>, Vec<String>) {
    let name = tags
        .get("name")
        .or_else(|| tags.get("name:zh"))
        .map(normalise_name)
        .filter(|n| !n.trim().is_empty());
    let Some(name) = name else {
        return (None, Vec::new());
    };
    let mut aliases: Vec<String> = Vec::new();
    for key in ["name:zh", "alt_name", "old_name", "short_name"] {
        for alias in tags.get(key).into_iter().flat_map(|v| v.split(';')) {
            let alias = normalise_name(alias.trim());
            if !alias.is_empty() && alias != name && !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
    }
    (Some(name), aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_city_is_not_a_place_to_import_but_a_neighbourhood_is() {
        let city = Tags(vec![("place", "city"), ("name", "重庆")]);
        assert_eq!(classify(&city, Shape::Node), None);
        let quarter = Tags(vec![("place", "quarter"), ("name", "解放碑")]);
        assert_eq!(
            classify(&quarter, Shape::Node),
            Some((Category::Place, "place=quarter".into()))
        );
    }

    #[test]
    fn every_kind_the_import_can_emit_is_in_the_vocabulary() {
        let emitted = KINDS
            .iter()
            .map(|(_, _, kind)| *kind)
            .chain(ROAD_ENDINGS.iter().map(|(_, kind)| *kind))
            .chain([ROAD_DEFAULT, RAILWAY_KIND, STATION_KIND, OTHER_KIND]);
        for kind in emitted {
            assert!(
                crate::vocab::layer_of_kind(kind).is_some(),
                "kind {kind} is not in src/vocab/vocab.json"
            );
        }
    }

    #[test]
    fn roads_and_railways_land_on_streets_and_stations_on_projects() {
        for kind in ROAD_ENDINGS
            .iter()
            .map(|(_, kind)| *kind)
            .chain([ROAD_DEFAULT, RAILWAY_KIND])
        {
            assert_eq!(layer_of(kind), Layer::Streets, "{kind}");
        }
        assert_eq!(layer_of(STATION_KIND), Layer::Projects);
        assert_eq!(layer_of("公园"), Layer::Zones);
        assert_eq!(layer_of("学校"), Layer::Projects);
    }
}
