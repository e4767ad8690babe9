//! The in-memory engine keeps a copy of the workspace while it is open; every
//! change an import or an undo makes must show in the next count.

mod common;

use std::path::PathBuf;

use rebound_core::CancelToken;
use rebound_import::{self as import, ImportRequest};
use rebound_segments::{
    count, member_ids, prepare, sql_member_ids, CountCondition, CountOp, EventSpec, Rule, Window,
};

fn export(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[tokio::test]
async fn counts_follow_imports_and_undo() {
    let fixture = common::empty_workspace().await;
    let ws = &fixture.workspace;
    let viewers = common::definition(
        "viewers",
        Rule::Did {
            event: EventSpec::named("view_item"),
            count: CountCondition {
                op: CountOp::AtLeast,
                n: 1,
            },
            window: Window::Ever,
        },
    );
    let as_of = i64::MAX / 2;
    assert_eq!(prepare(ws).await.expect("prepare"), (0, 0));
    assert_eq!(count(ws, &viewers, as_of).await.expect("count").members, 0);

    let request = ImportRequest {
        path: export("rees46_2019-Oct_head_sample.csv"),
        format: None,
        mapping: None,
        save_mapping: false,
        conversion: None,
    };
    let outcome = import::run(ws, &request, &|_| {}, &CancelToken::new())
        .await
        .expect("import");
    let (people, events) = prepare(ws).await.expect("prepare");
    assert!(people > 1000, "{people} people");
    assert_eq!(events, outcome.import.rows_imported as u64);
    let after_import = member_ids(ws, &viewers, as_of).await.expect("ids");
    assert!(!after_import.is_empty());
    assert_eq!(
        after_import,
        sql_member_ids(ws, &viewers, as_of).await.expect("sql")
    );

    import::undo(ws, outcome.import.id).await.expect("undo");
    assert_eq!(prepare(ws).await.expect("prepare").1, 0);
    assert_eq!(count(ws, &viewers, as_of).await.expect("count").members, 0);
}
