//! A living map (issue #21): identity that survives corrections, and changes applied one at a
//! time to the seed and the real geodata.

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::{Geometry, Point};
use planmap::atlas::Living;
use planmap::plan::PlannedFeature;
use planmap::store::placement::{CurrentCorrection, Version};

use crate::common;

fn seed_living() -> Living {
    Living::new(
        &common::folder("geodata", "geojson"),
        &common::folder("seeds", "txt"),
    )
    .expect("the seed builds")
}

/// A correction of one feature to its own point (distinct per feature, inside the district).
fn correction_of(f: &PlannedFeature, k: u32) -> CurrentCorrection {
    CurrentCorrection {
        feature_id: f.id.clone(),
        layer: f.layer,
        name: f.name.clone(),
        geometry: Geometry::Point(Point::new(
            106.55 + f64::from(k) * 0.0007,
            29.55 + f64::from(k) * 0.0003,
        )),
        uncertainty_m: 20.0,
        source: "现场踏勘".into(),
        note: "核对位置".into(),
        editor: "li.ming".into(),
        at: format!("2026-12-07T10:{:02}:00.000Z", k % 60),
        version: Version(1),
    }
}

/// Every feature's id → (place, geometry) as served.
fn served(living: &Living) -> BTreeMap<String, (String, Option<Geometry<f64>>)> {
    living
        .atlas()
        .features
        .iter()
        .map(|f| (f.id.clone(), (f.place.clone(), f.geometry.clone())))
        .collect()
}

#[test]
fn every_nested_pair_of_the_seed_corrected_in_both_orders_keeps_ids_places_and_its_own_correction()
{
    let mut living = seed_living();
    let automatic = served(&living);
    let features: Vec<Arc<PlannedFeature>> = living.atlas().features.clone();
    let pairs: Vec<(&PlannedFeature, &PlannedFeature)> = features
        .iter()
        .flat_map(|a| features.iter().map(move |b| (a.as_ref(), b.as_ref())))
        .filter(|(a, b)| a.id != b.id && a.report == b.report && b.name.contains(&a.name))
        .collect();
    assert!(
        pairs
            .iter()
            .any(|(a, b)| a.name == "湖广会馆" && b.name == "湖广会馆巴渝美食休闲基地"),
        "the 湖广会馆 pair is among the nested names"
    );
    assert!(pairs.len() >= 10, "{} nested pairs", pairs.len());
    let mut k = 0;
    for (inner, outer) in &pairs {
        for order in [[*inner, *outer], [*outer, *inner]] {
            let mut put = Vec::new();
            for f in order {
                k += 1;
                let c = correction_of(f, k);
                living.set_correction(&f.id, Some(c.clone()));
                put.push(c);
            }
            let now = served(&living);
            assert_eq!(
                now.keys().collect::<Vec<_>>(),
                automatic.keys().collect::<Vec<_>>(),
                "correcting {} and {} keeps every feature id",
                order[0].name,
                order[1].name
            );
            for (id, (place, _)) in &automatic {
                assert_eq!(&now[id].0, place, "{id} keeps its place");
            }
            for c in &put {
                assert_eq!(
                    now[&c.feature_id].1.as_ref(),
                    Some(&c.geometry),
                    "{} is drawn where its own correction put it",
                    c.feature_id
                );
            }
            // Reverting the first keeps the second's own correction.
            living.set_correction(&put[0].feature_id, None);
            let after = served(&living);
            assert_eq!(after[&put[1].feature_id].1.as_ref(), Some(&put[1].geometry));
            assert_eq!(
                after[&put[0].feature_id].1, automatic[&put[0].feature_id].1,
                "{} is back where the reader placed it",
                put[0].feature_id
            );
            living.set_correction(&put[1].feature_id, None);
            assert_eq!(
                served(&living),
                automatic,
                "reverting both restores the map"
            );
        }
    }
}

#[test]
fn a_correction_shares_every_untouched_feature_with_the_atlas_before() {
    let mut living = seed_living();
    let before = Arc::clone(living.atlas());
    let target = before
        .features
        .iter()
        .find(|f| f.name == "湖广会馆")
        .expect("湖广会馆 is a feature")
        .clone();
    let touched = living.set_correction(&target.id, Some(correction_of(&target, 7)));
    assert!(touched >= 1);
    let after = living.atlas();
    let shared = before
        .features
        .iter()
        .zip(&after.features)
        .filter(|(a, b)| Arc::ptr_eq(a, b))
        .count();
    assert_eq!(
        shared,
        before.features.len() - 1,
        "only the corrected feature is new"
    );
    assert!(Arc::ptr_eq(&before.reports[0], &after.reports[0]));
    let projects = before.collection("projects").unwrap();
    assert!(
        Arc::ptr_eq(
            &projects.index,
            &after.collection("projects").unwrap().index
        ),
        "an untouched collection keeps its R-tree"
    );
}
