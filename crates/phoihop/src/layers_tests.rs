//! The layers, held (docs/ARCHITECTURE.md, "The shape"): every source file under `src/`
//! is read and each `crate::…` path it names is checked against the table below. The
//! foundation and the kit import nothing above them; a domain never imports `web`, nor
//! another domain's pages or API (a module that offers routes), except as `ALLOWED`
//! says. Paths through `super::` stay inside their own module and are not checked.
//! Also held here: no code outside `case/kinds/` names a kind (its code or its prefix).

use std::path::{Path, PathBuf};

/// Where a module stands, bottom to top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Foundation,
    Kit,
    Domain,
    Top,
}

/// The foundation: storage, time, language, configuration, the domain error, who is
/// asking. It imports only itself (and the crate root's helpers: `hex`, `params!`, …).
const FOUNDATION: &[&str] = &["db", "clock", "i18n", "config", "error", "access"];
/// What every domain's pages and API are built from; it imports only the foundation.
const KIT: &[&str] = &["kit"];
/// Above the domains, free to import anything: router assembly and serving, the start
/// of the program, this test, and the tests that run a whole server (the test-only
/// sample kind's, through its pages and API).
const TOP: &[&str] = &[
    "web",
    "lib",
    "main",
    "layers",
    "start",
    "test_server",
    "sample_kind",
];
// Every other module is a domain.

/// Imports of another domain's pages or API that are allowed: (importing module, the
/// module imported, why).
const ALLOWED: &[(&str, &str, &str)] = &[(
    "attachment",
    "case::pages",
    "a refused upload is shown on the case page it was sent from",
)];

fn layer(module: &str) -> Layer {
    if FOUNDATION.contains(&module) {
        Layer::Foundation
    } else if KIT.contains(&module) {
        Layer::Kit
    } else if TOP.contains(&module) {
        Layer::Top
    } else {
        Layer::Domain
    }
}

/// The paths a source names after `crate::`, each as its segments, with the line they
/// are on; comments are left out, and a group (`crate::a::{b, c::d}`) gives one path
/// per member.
fn crate_paths(source: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            // `phoihop_crate::` or `$crate::` are other paths.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            for path in use_tree(&mut rest.chars().peekable()) {
                if !path.is_empty() {
                    found.push((number + 1, path));
                }
            }
        }
    }
    found
}

/// Reads `a::b::{c, d::e}` into `[a, b, c]` and `[a, b, d, e]`.
fn use_tree(chars: &mut std::iter::Peekable<std::str::Chars>) -> Vec<Vec<String>> {
    let mut prefix = Vec::new();
    loop {
        let segment: String =
            std::iter::from_fn(|| chars.next_if(|c| c.is_alphanumeric() || *c == '_')).collect();
        if !segment.is_empty() {
            prefix.push(segment);
        }
        if chars.next_if_eq(&':').is_some() && chars.next_if_eq(&':').is_some() {
            if chars.next_if_eq(&'{').is_some() {
                let mut paths = Vec::new();
                loop {
                    while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
                    if chars.peek().is_none_or(|c| *c == '}') {
                        chars.next();
                        break;
                    }
                    for member in use_tree(chars) {
                        let mut path = prefix.clone();
                        path.extend(member.into_iter().filter(|s| s != "self"));
                        paths.push(path);
                    }
                }
                return paths;
            }
            continue;
        }
        return vec![prefix];
    }
}

/// A source file: the module it belongs to (its folder, or its file's stem less
/// `_tests`), its path under `src/`, its text.
struct Source {
    module: String,
    path: String,
    text: String,
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the source folder")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under src/");
            let first = relative
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or("");
            let stem = first.strip_suffix(".rs").unwrap_or(first);
            let module = stem.strip_suffix("_tests").unwrap_or(stem).to_owned();
            out.push(Source {
                module,
                path: relative.display().to_string(),
                text: std::fs::read_to_string(&path).expect("read a source file"),
            });
        }
    }
}

/// The modules that offer routes (`web` mounts them): a domain's pages and API, as
/// `domain::module`.
fn plumbing(all: &[Source]) -> Vec<String> {
    all.iter()
        .filter(|s| s.text.contains("pub fn routes("))
        .filter_map(|s| {
            let path = s.path.strip_suffix(".rs")?;
            let path = path.strip_suffix("/mod").unwrap_or(path);
            Some(path.replace('/', "::"))
        })
        .collect()
}

/// What is wrong with `source`'s imports, one line each.
fn violations(source: &Source, modules: &[String], plumbing: &[String]) -> Vec<String> {
    let from = layer(&source.module);
    let mut wrong = Vec::new();
    for (line, path) in crate_paths(&source.text) {
        let target = path[0].as_str();
        if target == source.module || from == Layer::Top {
            continue;
        }
        // The crate root's own items (`hex`, `params!`, `open_db`) are the
        // foundation's, except what the top names (`start`).
        let to = if modules.iter().any(|m| m == target) || TOP.contains(&target) {
            layer(target)
        } else {
            Layer::Foundation
        };
        let named = path.join("::");
        let problem = match (from, to) {
            (Layer::Foundation | Layer::Kit, Layer::Foundation) => None,
            (Layer::Foundation, _) => Some("the foundation imports only the foundation"),
            (Layer::Kit, _) => Some("the kit imports only the foundation"),
            (Layer::Domain, Layer::Top) => Some("a domain never imports the layer above it"),
            (Layer::Domain, Layer::Domain) => {
                let module = path.iter().take(2).cloned().collect::<Vec<_>>().join("::");
                let allowed = ALLOWED
                    .iter()
                    .any(|(who, what, _)| *who == source.module && *what == module);
                (plumbing.contains(&module) && !allowed)
                    .then_some("a domain uses another domain's model, not its pages or API")
            }
            (Layer::Domain, _) | (Layer::Top, _) => None,
        };
        if let Some(problem) = problem {
            wrong.push(format!("{}:{line}: {named}: {problem}", source.path));
        }
    }
    wrong
}

fn read_all() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    sources(&root, &root, &mut all);
    all
}

fn module_names(all: &[Source]) -> Vec<String> {
    let mut names: Vec<String> = all.iter().map(|s| s.module.clone()).collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn imports_go_down_the_layers_only() {
    let all = read_all();
    let modules = module_names(&all);
    let plumbing = plumbing(&all);
    assert!(
        plumbing.iter().any(|p| p == "case::api") && plumbing.iter().any(|p| p == "org::pages"),
        "the modules offering routes are found: {plumbing:?}"
    );
    let wrong: Vec<String> = all
        .iter()
        .flat_map(|s| violations(s, &modules, &plumbing))
        .collect();
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_allowed_edge_is_still_taken() {
    let all = read_all();
    for (who, what, why) in ALLOWED {
        let taken = all.iter().filter(|s| s.module == *who).any(|s| {
            crate_paths(&s.text)
                .iter()
                .any(|(_, p)| p.iter().take(2).cloned().collect::<Vec<_>>().join("::") == *what)
        });
        assert!(
            taken,
            "{who} no longer imports {what} ({why}): remove the entry"
        );
    }
}

fn source(module: &str, text: &str) -> Source {
    Source {
        module: module.into(),
        path: format!("{module}/x.rs"),
        text: text.into(),
    }
}

fn check(module: &str, text: &str) -> Vec<String> {
    let modules: Vec<String> = ["kit", "web", "case", "search", "db", "access", "org"]
        .iter()
        .map(|m| m.to_string())
        .collect();
    let plumbing = vec!["case::api".to_owned(), "case::pages".to_owned()];
    violations(&source(module, text), &modules, &plumbing)
}

#[test]
fn a_kit_file_naming_a_domain_is_refused() {
    assert_eq!(check("kit", "use crate::case::model::Case;").len(), 1);
    assert_eq!(check("kit", "let s: crate::search::Index;").len(), 1);
    assert!(check("kit", "use crate::db::Db;\nuse crate::access::Actor;").is_empty());
    assert!(check("kit", "let h = crate::hex(&b);").is_empty());
}

#[test]
fn the_foundation_names_neither_the_kit_nor_a_domain() {
    assert_eq!(check("access", "use crate::kit::App;").len(), 1);
    assert_eq!(check("db", "use crate::org;").len(), 1);
}

#[test]
fn a_domain_naming_web_or_another_domains_pages_is_refused() {
    assert_eq!(check("search", "use crate::web::Node;").len(), 1);
    assert_eq!(
        check("search", "use crate::case::api::all_states;").len(),
        1
    );
    assert_eq!(check("search", "use crate::case::{model, pages};").len(), 1);
    assert!(check("search", "use crate::case::model::CaseActor;").is_empty());
    assert!(check("search", "use crate::kit::{ApiActor, ApiError};").is_empty());
    // Its own pages, and the allowed edge.
    assert!(check("case", "use crate::case::pages::case_page;").is_empty());
    assert!(check("attachment", "crate::case::pages::case_page(&app)").is_empty());
}

#[test]
fn comments_and_other_crates_are_not_imports() {
    assert!(check("kit", "// see crate::case::api").is_empty());
    assert!(check("kit", "let x = 1; // crate::web::App").is_empty());
    assert!(check("kit", "$crate::web::x; my_crate::web::x;").is_empty());
}

#[test]
fn groups_give_each_member() {
    let paths: Vec<Vec<String>> = crate_paths("use crate::kit::{self, App, ctx::{Ctx, Form}};")
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let join = |p: &Vec<String>| p.join("::");
    let joined: Vec<String> = paths.iter().map(join).collect();
    assert_eq!(
        joined,
        ["kit", "kit::App", "kit::ctx::Ctx", "kit::ctx::Form"]
    );
}

/// Where `text`, read as code, names a kind of `all` by its code or its number prefix
/// in a string (`"incident"`, `'incident'`, `"VV"`, `VV-2026-…`): one line each. Comments
/// are left out, and so is what follows the first `#[cfg(test)]` (tests name the kinds
/// they drive).
fn kinds_named(path: &str, text: &str, all: &[&crate::case::workflow::Workflow]) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        for w in all {
            let needles = [
                format!("\"{}\"", w.kind),
                format!("'{}'", w.kind),
                format!("\"{}\"", w.prefix),
                format!("{}-20", w.prefix),
            ];
            if needles.iter().any(|n| code.contains(n.as_str())) {
                found.push(format!("{path}:{}: names {}", number + 1, w.kind));
            }
        }
    }
    found
}

#[test]
fn nothing_outside_a_kinds_module_names_a_kind() {
    let wrong: Vec<String> = read_all()
        .iter()
        .filter(|s| !s.path.starts_with("case/kinds/") && !s.path.ends_with("_tests.rs"))
        .flat_map(|s| kinds_named(&s.path, &s.text, crate::case::kinds::ALL))
        .collect();
    assert!(
        wrong.is_empty(),
        "a kind is named outside case/kinds/ (give its declaration a hook instead):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_kind_named_in_code_is_found_and_in_comments_or_tests_is_not() {
    let all = [&crate::case::kinds::incident::WORKFLOW];
    let named = |text: &str| kinds_named("x.rs", text, &all).len();
    assert_eq!(named(r#"kinds::find("incident")"#), 1);
    assert_eq!(named("WHERE kind = 'incident'"), 1);
    assert_eq!(named(r#"format!("VV-2026-{n:04}")"#), 1);
    assert_eq!(named(r#"let p = "VV";"#), 1);
    assert_eq!(named("/// `incident` as in VV-2026-0042"), 0);
    assert_eq!(named("let kind = w.kind; // \"incident\""), 0);
    assert_eq!(named("#[cfg(test)]\nmod tests { \"incident\" }"), 0);
    assert_eq!(named(r#"let s = "incidents";"#), 0);
}
