//! The `planmap` commands that read and write files without serving: `parse` (what a report
//! yields, optionally scored against a gold list), `gazetteer import-osm` and `bench
//! --write-seeds`. Part of the binary: errors are `anyhow`, output goes to stdout through
//! [`emit`].

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::DataArgs;
use crate::{build, geodata, read_file, seeds};

/// `planmap parse`: the named files, else the `--seeds` folder (or the embedded reports).
pub(crate) fn parse(
    files: &[PathBuf],
    json: bool,
    gold: Option<&Path>,
    data: &DataArgs,
) -> Result<()> {
    let reports = if files.is_empty() {
        seeds(data)?
    } else {
        files
            .iter()
            .map(|f| {
                let file = read_file(f)?;
                // Checked here so the message can say what a report must be.
                std::str::from_utf8(&file.bytes)
                    .with_context(|| format!("reading {} (reports must be UTF-8)", f.display()))?;
                Ok(file)
            })
            .collect::<Result<_>>()?
    };
    // Report ids come from file names, so two files of one name would read as one report.
    for (i, r) in reports.iter().enumerate() {
        if reports[..i].iter().any(|earlier| earlier.name == r.name) {
            bail!(
                "two reports named {}: give each file once, with distinct names",
                r.name
            );
        }
    }
    let atlas = build(&geodata(data)?, &reports)?;
    let mut listings = planmap::listing::listings(&atlas);
    if listings.is_empty() {
        bail!("no report parsed");
    }
    if let Some(gold) = gold {
        return score_against_gold(gold, &listings);
    }
    if json {
        // One report prints one object, as before several could be given; several an array.
        let out = if listings.len() == 1 {
            listings.remove(0).to_json()
        } else {
            listings
                .iter()
                .map(planmap::listing::ReportListing::to_json)
                .collect()
        };
        emit(&format!("{}\n", serde_json::to_string_pretty(&out)?))
    } else {
        emit(&listings.iter().map(ToString::to_string).collect::<String>())
    }
}

/// `planmap parse --gold`: the one report's items scored against the gold list. The items are
/// those the atlas read with the gazetteer's names, as `report::gold::evaluate` reads them.
fn score_against_gold(gold: &Path, listings: &[planmap::listing::ReportListing<'_>]) -> Result<()> {
    let [listing] = listings else {
        bail!(
            "--gold scores one report against its gold list; {} reports were given",
            listings.len()
        );
    };
    let tsv = std::fs::read_to_string(gold)
        .with_context(|| format!("reading {} (a UTF-8 TSV gold list)", gold.display()))?;
    let places = planmap::report::gold::read_gold(&tsv)
        .with_context(|| format!("reading {}", gold.display()))?;
    let score = planmap::report::gold::score(
        listing.report.items.iter().map(|i| i.name.as_str()),
        &places,
    );
    emit(&format!(
        "{} against {}:\n{score}\n",
        listing.report.id,
        gold.display()
    ))
}

/// Writes `text` to standard output. A reader that stops early (`planmap export | head`) is
/// not an error: the rest is not wanted.
pub(crate) fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("writing to standard output")
        }
        _ => Ok(()),
    }
}

/// `planmap gazetteer import-osm`: reads the extract, writes the entries file, prints counts.
pub(crate) fn import_osm(file: &Path, bbox: Option<[f64; 4]>, out: Option<PathBuf>) -> Result<()> {
    let label = file.display().to_string();
    let reader = std::io::BufReader::new(
        std::fs::File::open(file).with_context(|| format!("opening {label}"))?,
    );
    let options = planmap::import::ImportOptions {
        bbox,
        file_label: label.clone(),
    };
    let (geojson, summary) = planmap::import::import_osm(reader, &options)?;
    let stem = file
        .file_name()
        .and_then(|n| n.to_str())
        .map_or("extract", |n| n.split('.').next().unwrap_or("extract"))
        .to_string();
    let out = out.unwrap_or_else(|| PathBuf::from(format!("geodata/osm-import-{stem}.geojson")));
    std::fs::write(&out, geojson).with_context(|| format!("writing {}", out.display()))?;
    println!("{summary}");
    println!(
        "wrote {}; `planmap serve --geodata {}` uses it",
        out.display(),
        out.parent().map_or(".".into(), |p| p.display().to_string())
    );
    Ok(())
}

/// `planmap bench --reports N --write-seeds DIR`: the bench's generated reports, as files.
pub(crate) fn write_bench_seeds(n: usize, dir: &Path) -> Result<()> {
    let seed = planmap::defaults::seeds()
        .into_iter()
        .next()
        .context("no embedded report")?;
    let text = String::from_utf8(seed.bytes).context("the embedded report is not UTF-8")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for f in planmap::bench_reports::variants(&text, n.max(1)) {
        let path = dir.join(&f.name);
        std::fs::write(&path, &f.bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    emit(&format!(
        "wrote {} reports to {}\n",
        n.max(1),
        dir.display()
    ))
}
