//! Street segments end to end: a text of our own words that plans a stretch of 长滨路 (a line
//! in `geodata/gazetteer.geojson`) between 菜园坝 and 储奇门, read, placed on the repository's
//! geodata and served.
//! 储奇门 is the gazetteer's point at the 储奇门站 bus stop (300 m); 白象街, which no entry
//! places, is the end that cannot be placed.

use std::sync::Arc;

use geo::{Closest, Distance, Geometry, Haversine, HaversineClosestPoint, Length, Point};
use planmap::atlas::{Atlas, NamedFile};
use planmap::plan::PlannedFeature;

use crate::common;

const SEGMENT_TEXT: &str = "二、2026年工作安排\n（一）做优滨江岸线。\n完成长滨路菜园坝至储奇门段改造，新增滨江步道2公里。\n";
const UNPLACED_END_TEXT: &str = "二、2026年工作安排\n（一）做优滨江岸线。\n完成长滨路菜园坝至白象街段改造，新增滨江步道2公里。\n";
const WHOLE_TEXT: &str =
    "二、2026年工作安排\n（一）做优滨江岸线。\n完成长滨路改造，新增滨江步道2公里。\n";

fn atlas(text: &str) -> Arc<Atlas> {
    let geodata = common::folder("geodata", "geojson");
    let seeds = vec![NamedFile {
        name: "riverside-2026.txt".into(),
        bytes: text.as_bytes().to_vec(),
    }];
    Arc::new(Atlas::build(&geodata, &seeds).expect("the atlas builds"))
}

fn feature<'a>(atlas: &'a Atlas, name: &str) -> &'a PlannedFeature {
    atlas
        .features
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} is a feature"))
}

fn length_m(f: &PlannedFeature) -> f64 {
    match f.geometry.as_ref().expect("placed") {
        Geometry::LineString(l) => Haversine.length(l),
        g => panic!("{} is drawn as {g:?}, not one line", f.name),
    }
}

/// Metres from `p` to the nearest point of a placed feature (0 inside an area).
fn distance_to(p: Point<f64>, f: &PlannedFeature) -> f64 {
    let g = f.geometry.as_ref().expect("placed");
    if let Geometry::Polygon(area) = g
        && geo::Contains::contains(area, &p)
    {
        return 0.0;
    }
    match g.haversine_closest_point(&p) {
        Closest::Intersection(q) | Closest::SinglePoint(q) => Haversine.distance(p, q),
        Closest::Indeterminate => f64::INFINITY,
    }
}

#[test]
fn the_segment_of_changbinlu_is_drawn_shorter_than_the_street_with_ends_at_its_ends_places() {
    let segment = atlas(SEGMENT_TEXT);
    let whole = atlas(WHOLE_TEXT);
    let road = feature(&segment, "长滨路");
    let whole_road = feature(&whole, "长滨路");
    assert_eq!(road.segments.len(), 1, "{:?}", road.segments);
    let s = &road.segments[0];
    assert_eq!((s.from.as_str(), s.to.as_str()), ("菜园坝", "储奇门"));
    assert!(s.drawn, "{s:?}");
    assert_eq!(
        s.quote,
        "完成长滨路菜园坝至储奇门段改造，新增滨江步道2公里。"
    );

    let (drawn, street) = (length_m(road), length_m(whole_road));
    println!("长滨路: whole {street:.0} m, 菜园坝至储奇门段 {drawn:.0} m");
    assert!(drawn < street * 0.8, "{drawn:.0} m of {street:.0} m");
    assert_eq!(road.length_m(), Some(drawn.round()));

    // Each end of the drawn line lies within the uncertainty of one end's placed geometry.
    let Some(Geometry::LineString(line)) = &road.geometry else {
        panic!("one line");
    };
    let first = Point(line.0[0]);
    let last = Point(*line.0.last().expect("an end"));
    let ends = [feature(&segment, "菜园坝"), feature(&segment, "储奇门")];
    for end in ends {
        let u = end.location.uncertainty_m.expect("placed");
        let d = distance_to(first, end).min(distance_to(last, end));
        println!(
            "{}: drawn end {d:.0} m from its placed geometry (uncertainty {u:.0} m)",
            end.name
        );
        assert!(d <= u, "{}: {d:.0} m > {u:.0} m", end.name);
    }
    // One end of the line is at each place, not both at one.
    let first_is_nearer = |end: &PlannedFeature| distance_to(first, end) < distance_to(last, end);
    assert_ne!(first_is_nearer(ends[0]), first_is_nearer(ends[1]));

    // The drawn stretch is as uncertain as the street plus its less certain end.
    let (u_cut, u_street) = (
        road.location.uncertainty_m.expect("placed"),
        whole_road.location.uncertainty_m.expect("placed"),
    );
    assert!(u_cut > u_street, "{u_cut} ≤ {u_street}");
}

#[test]
fn a_segment_whose_end_is_not_placed_keeps_the_whole_street_and_says_why() {
    // No gazetteer entry places 白象街.
    let segment = atlas(UNPLACED_END_TEXT);
    let whole = atlas(WHOLE_TEXT);
    let road = feature(&segment, "长滨路");
    assert_eq!(road.geometry, feature(&whole, "长滨路").geometry);
    assert_eq!(
        road.location.uncertainty_m,
        feature(&whole, "长滨路").location.uncertainty_m
    );
    let s = &road.segments[0];
    assert!(!s.drawn);
    assert_eq!(s.reason.as_deref(), Some("白象街未定位；画出整条路"));
    assert!(feature(&segment, "白象街").geometry.is_none());
}

#[tokio::test]
async fn the_segment_and_the_drawn_length_are_served_and_selectable() {
    let state = common::serve(atlas(SEGMENT_TEXT));
    let (status, _, body) = common::get_json(
        state.clone(),
        "/api/collections/streets/items?q=长滨路&properties=name,segments,length_m",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let road = body["features"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["properties"]["name"] == "长滨路"))
        .expect("长滨路 served");
    let p = &road["properties"];
    assert_eq!(p["segments"][0]["from"], "菜园坝");
    assert_eq!(p["segments"][0]["to"], "储奇门");
    assert_eq!(p["segments"][0]["drawn"], true);
    assert!(p["segments"][0].get("reason").is_none(), "{p}");
    let length = p["length_m"].as_f64().expect("a length");
    assert!(length > 100.0, "{p}");
    assert_eq!(common::placement(road)["type"], "LineString");

    // length_m is a queryable: the stretch is shorter than the whole street's 5.3 km.
    let (status, _, body) = common::get_json(
        state,
        "/api/collections/streets/items?filter=length_m%20%3C%205000&sortby=-length_m",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let names: Vec<&str> = body["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["name"].as_str())
        .collect();
    assert!(names.contains(&"长滨路"), "{names:?}");
}

#[test]
fn a_planners_correction_of_the_street_replaces_the_cut_and_says_so() {
    let geodata = common::folder("geodata", "geojson");
    let seeds = vec![NamedFile {
        name: "riverside-2026.txt".into(),
        bytes: SEGMENT_TEXT.as_bytes().to_vec(),
    }];
    let drawn = geo::LineString::from(vec![(106.577, 29.5525), (106.56, 29.549)]);
    let correction = planmap::store::placement::CurrentCorrection {
        feature_id: "riverside-2026/streets/长滨路".into(),
        layer: planmap::plan::Layer::Streets,
        name: "长滨路".into(),
        geometry: Geometry::LineString(drawn.clone()),
        uncertainty_m: 30.0,
        source: "现场踏勘".into(),
        note: "按施工围挡画出".into(),
        editor: "planner".into(),
        at: "2026-12-02T10:00:00.000Z".into(),
        version: planmap::store::placement::Version(1),
    };
    let living = planmap::atlas::Living::load(
        &geodata,
        &seeds,
        &[],
        &[],
        std::slice::from_ref(&correction),
        1,
    )
    .expect("the atlas builds");
    let atlas = living.atlas();
    let road = feature(atlas, "长滨路");
    assert_eq!(road.id, correction.feature_id);
    assert_eq!(road.geometry, Some(Geometry::LineString(drawn)));
    assert!(!road.segments[0].drawn);
    assert_eq!(
        road.segments[0].reason.as_deref(),
        Some("规划人员的更正替换了该路的几何")
    );
}
