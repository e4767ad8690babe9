//! The UI's call layer, generated from [`operations!`](crate::operations):
//! `ui/src/bindings/api/commands.ts` holds one typed function per operation
//! (command name, argument names in camelCase, argument and result types
//! from ts-rs), so no command name is typed by hand in the UI. The test
//! below fails when the committed file drifts; `make bindings` rewrites it.

use std::collections::BTreeMap;

use ts_rs::{Config, TypeVisitor, TS};

/// One operation as the UI calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The IPC command name, e.g. `segment_count`.
    pub command: &'static str,
    /// The Rust function it runs, e.g. `segments::count`.
    pub function: &'static str,
    /// Argument names (as in Rust) with their TypeScript types.
    pub args: Vec<(&'static str, String)>,
    pub returns: String,
    /// Reports progress and can be cancelled through a job id.
    pub job: bool,
}

/// Where each named type's binding lives, by ts name.
type Imports = BTreeMap<String, String>;

/// The bindings folder (under `ui/src/bindings/`) a Rust type's binding is
/// written to: each crate's bindings test writes its own folder, the core
/// (with the stats types) the top one.
fn folder_of(rust_path: &str) -> &'static str {
    let krate = rust_path.split("::").next().unwrap_or_default();
    match krate {
        "rebound_segments" => "segments/",
        "rebound_campaigns" => "campaigns/",
        "rebound_creatives" => "creatives/",
        "rebound_sequences" => "sequences/",
        _ => "",
    }
}

struct Collect<'a> {
    imports: &'a mut Imports,
}

impl Collect<'_> {
    fn add<T: TS + 'static + ?Sized>(&mut self, cfg: &Config) {
        if T::output_path().is_some() {
            let name = T::ident(cfg);
            let path = format!("../{}{}", folder_of(std::any::type_name::<T>()), name);
            self.imports.insert(name, path);
        }
    }
}

impl TypeVisitor for Collect<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.add::<T>(&config());
    }
}

fn config() -> Config {
    // Ids, counts and seeds cross IPC as JSON numbers.
    Config::new().with_large_int("number")
}

/// The TypeScript name of `T`, recording the bindings it needs.
fn ts<T: TS + 'static>(imports: &mut Imports) -> String {
    let cfg = config();
    let mut collect = Collect { imports };
    collect.add::<T>(&cfg);
    T::visit_generics(&mut collect);
    T::name(&cfg)
}

macro_rules! table {
    ($( $name:ident => $([$flag:ident])? $module:ident :: $func:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty ; )*) => {
        /// Every operation, in the table's order, and the bindings they use.
        pub fn operations() -> (Vec<Operation>, BTreeMap<String, String>) {
            #[allow(unused_imports)]
            use crate::types::*;
            let mut imports = Imports::new();
            let list = vec![$(
                Operation {
                    command: stringify!($name),
                    function: concat!(stringify!($module), "::", stringify!($func)),
                    args: vec![$( (stringify!($arg), ts::<$ty>(&mut imports)) ),*],
                    returns: ts::<$ret>(&mut imports),
                    job: false $(|| stringify!($flag) == "job")?,
                },
            )*];
            (list, imports)
        }
    };
}

crate::operations!(table);

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The generated `commands.ts`.
pub fn commands_ts() -> String {
    let (list, mut imports) = operations();
    imports.insert("Progress".into(), "../Progress".into());
    let mut out = String::from(
        "// Generated from src-tauri/crates/api/src/lib.rs (operations!) by the\n\
         // rebound-api typescript test; do not edit. `make bindings` rewrites it.\n\n",
    );
    for (name, path) in &imports {
        out.push_str(&format!("import type {{ {name} }} from \"{path}\";\n"));
    }
    out.push_str(
        "\n/** Sends one command over IPC and resolves with its result. */\n\
         export type Invoke = <T>(command: string, args: Record<string, unknown>) => Promise<T>;\n\
         /** Makes the channel a job streams its progress through. */\n\
         export type ProgressChannel = (onProgress: (progress: Progress) => void) => unknown;\n\n\
         /** Every command the backend offers, by IPC name. */\n\
         export const COMMANDS = [\n",
    );
    for op in &list {
        out.push_str(&format!("  \"{}\",\n", op.command));
    }
    out.push_str(
        "] as const;\n\nexport type Command = (typeof COMMANDS)[number];\n\n\
         /** One typed function per command; `invoke` and `channel` carry them. */\n\
         export function commands(invoke: Invoke, channel: ProgressChannel) {\n  return {\n",
    );
    for op in &list {
        let mut params: Vec<String> = op
            .args
            .iter()
            .map(|(name, ty)| format!("{}: {}", camel(name), ty))
            .collect();
        let mut fields: Vec<String> = op.args.iter().map(|(name, _)| camel(name)).collect();
        if op.job {
            params.push("jobId: string".into());
            params.push("onProgress: (progress: Progress) => void".into());
            fields.push("jobId".into());
            fields.push("onProgress: channel(onProgress)".into());
        }
        out.push_str(&format!(
            "    /** `{}` */\n    {}: ({}): Promise<{}> =>\n      invoke<{}>(\"{}\", {{ {} }}),\n",
            op.function,
            camel(op.command),
            params.join(", "),
            op.returns,
            op.returns,
            op.command,
            fields.join(", "),
        ));
    }
    out.push_str("  };\n}\n\nexport type Commands = ReturnType<typeof commands>;\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_ui_call_layer_matches_the_operations() {
        let fresh = tempfile::tempdir().expect("temp dir");
        std::fs::write(fresh.path().join("commands.ts"), commands_ts()).expect("write");
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings/api");
        rebound_core::ts_bindings::sync_bindings(fresh.path(), &committed, "commands.ts");
    }

    #[test]
    fn names_types_and_jobs_come_from_the_table() {
        let (list, imports) = operations();
        let count = list.iter().find(|o| o.command == "segment_count").unwrap();
        assert_eq!(count.function, "segments::count");
        assert_eq!(
            count.args,
            vec![
                ("definition", "SegmentDefinition".to_string()),
                ("as_of_day", "string | null".to_string())
            ]
        );
        assert_eq!(count.returns, "SegmentCount");
        assert!(!count.job);
        let run = list.iter().find(|o| o.command == "import_run").unwrap();
        assert!(run.job);
        let sample = list.iter().find(|o| o.command == "segment_sample").unwrap();
        assert_eq!(sample.returns, "Array<Member>");
        assert_eq!(sample.args[3], ("seed", "number".to_string()));
        assert_eq!(imports["Member"], "../segments/Member");
        assert_eq!(imports["Dashboard"], "../Dashboard");
        assert_eq!(imports["Preview"], "../creatives/Preview");
        // Every command once.
        let mut names: Vec<_> = list.iter().map(|o| o.command).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), list.len());
    }

    #[test]
    fn camel_case_as_serde_and_tauri_expect() {
        assert_eq!(camel("as_of_day"), "asOfDay");
        assert_eq!(camel("id"), "id");
    }
}
