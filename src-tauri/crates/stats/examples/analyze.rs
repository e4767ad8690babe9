//! Prints the JSON report of a per-person CSV file, the shape
//! `rebound experiment analyze FILE --json` is meant to print.
//!
//! cargo run -p rebound-stats --example analyze -- FILE [VARIANT_COLUMN [CONVERSION_COLUMN [VALUE_COLUMN]]]

use std::path::PathBuf;

use rebound_stats::{analyze_person_csv, AnalysisOptions, PersonColumns};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: analyze FILE [VARIANT_COLUMN [CONVERSION_COLUMN [VALUE_COLUMN]]]");
        std::process::exit(2);
    };
    let columns = PersonColumns {
        variant: args.get(1).cloned(),
        converted: args.get(2).cloned(),
        value: args.get(3).cloned(),
        covariate: None,
    };
    match analyze_person_csv(&PathBuf::from(file), &columns, &AnalysisOptions::default()) {
        Ok(report) => println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("report serialises")
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
