//! The index file on its own: tiers, pages across tiers, scopes and facets.

use super::{Doc, Filters, Scope, Source, Store, Tier, parse};

fn doc(id: i64, label: &str, body: &str, owner: i64) -> Doc {
    Doc {
        source: Source::Case,
        ref_id: id,
        case_id: id,
        case_number: format!("VV-2026-{id:04}"),
        label: label.to_owned(),
        body: body.to_owned(),
        at: 0,
        orgs: vec![owner],
        kind: "incident".into(),
        state: if id % 2 == 0 { "reported" } else { "closed" }.into(),
        field_id: Some(1),
        agency_id: owner,
        year: 2026,
    }
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(&dir.path().join("index-1.sqlite")).expect("index");
    let mut docs = Vec::new();
    let mut id = 0;
    let mut add = |n: usize, label: &str, body: &str| {
        for _ in 0..n {
            id += 1;
            docs.push(doc(id, label, body, 10 + id % 3));
        }
    };
    add(30, "Tranh chấp đất đai", "");
    add(25, "Vụ việc", "về đất đai kéo dài");
    add(25, "Vụ việc", "ve dat dai keo dai");
    add(25, "Vụ việc", "đai lưng và đất sét");
    add(10, "Chuyện khác", "không liên quan");
    store.replace(&[], docs, &[]).expect("write");
    (dir, store)
}

#[test]
fn pages_walk_the_tiers_in_order_without_gaps_or_repeats() {
    let (_dir, store) = store();
    let q = parse("đất đai");
    let mut seen = Vec::new();
    let mut tiers = Vec::new();
    for page in 1..=7 {
        let found = store
            .search(&q, &Scope::Everything, &Filters::default(), page)
            .expect("search");
        assert_eq!(found.total, 105);
        for hit in found.hits {
            seen.push(hit.case_id);
            tiers.push(hit.tier);
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 105, "every match once");
    assert_eq!(seen.len(), 105);
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{tiers:?}");
    let of = |tier: Tier| tiers.iter().filter(|t| **t == tier).count();
    assert_eq!(of(Tier::ExactTitle), 30);
    assert_eq!(of(Tier::Exact), 25);
    // "đai lưng và đất sét": both spellings typed, not as a phrase.
    assert_eq!(of(Tier::ExactWords), 25);
    assert_eq!(of(Tier::Phrase), 25, "ve dat dai: only without diacritics");
}

#[test]
fn a_tier_larger_than_the_ranked_part_pages_without_gaps_or_repeats() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(&dir.path().join("index-1.sqlite")).expect("index");
    let n = super::rank::RANKED as i64 + 37;
    // Every third says "bán hàng" twice in its text: those are the more relevant.
    // Given oldest last: the first given is the newest.
    let docs = (1..=n)
        .rev()
        .map(|id| {
            let body = if id % 3 == 0 {
                "bán hàng, bán hàng"
            } else {
                ""
            };
            doc(id, "Bán hàng rong", body, 10)
        })
        .collect();
    store.replace(&[], docs, &[]).expect("write");
    let q = parse("bán hàng");
    let mut seen = Vec::new();
    for page in 1..=(n as usize).div_ceil(20) {
        let found = store
            .search(&q, &Scope::Everything, &Filters::default(), page)
            .expect("search");
        assert_eq!(found.total, n as usize);
        seen.extend(found.hits.iter().map(|h| h.case_id));
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (n as usize, n as usize));
    // Ranked part: the newest RANKED (ids n down to 38), those saying it twice first,
    // newest first among equals; then the older ones, newest first.
    let ranked = &seen[..super::rank::RANKED];
    let twice = ranked.iter().take_while(|id| *id % 3 == 0).count();
    assert_eq!(twice, ((38..=n).filter(|id| id % 3 == 0)).count());
    assert!(ranked[..twice].windows(2).all(|w| w[0] > w[1]));
    assert_eq!(
        &seen[super::rank::RANKED..],
        (1..=37).rev().collect::<Vec<_>>()
    );
}

#[test]
fn scopes_and_filters_are_part_of_the_count_and_the_facets() {
    let (_dir, store) = store();
    let q = parse("dat dai");
    let mine = store
        .search(&q, &Scope::Organisations(vec![11]), &Filters::default(), 1)
        .expect("search");
    assert_eq!(mine.total, 35, "ids 1..=105 with id % 3 == 1");
    assert!(mine.hits.iter().all(|h| h.agency_id == 11));
    let facet_sum: usize = mine.facets.agency.iter().map(|(_, n)| n).sum();
    assert_eq!(facet_sum, 35);
    let closed = store
        .search(
            &q,
            &Scope::Organisations(vec![11]),
            &Filters {
                state: Some("closed".into()),
                ..Filters::default()
            },
            1,
        )
        .expect("search");
    assert!(closed.total > 0 && closed.total < 35);
    assert!(closed.hits.iter().all(|h| h.state == "closed"));
    let nothing = store
        .search(&q, &Scope::Organisations(vec![]), &Filters::default(), 1)
        .expect("search");
    assert_eq!(nothing.total, 0);
    let odd = Filters {
        kind: Some("\" OR x".into()),
        ..Filters::default()
    };
    let quoted = store
        .search(&q, &Scope::Everything, &odd, 1)
        .expect("no syntax error");
    assert_eq!(quoted.total, 0);
}

/// Writes cases 1..=`cases` titled `label` as a rebuild does: in bulk, newest first,
/// three to a batch, the batches' terms written by each writer in turn.
fn rebuild(store: &Store, cases: i64, label: &str) {
    let mut analyzer = super::analyze::Analyzer::default();
    let mut bulk = store
        .bulk_sharing(super::store::Share::Alternate)
        .expect("bulk");
    let docs: Vec<_> = (1..=cases)
        .rev()
        .map(|id| analyzer.analyse(doc(id, label, "", 10)))
        .collect();
    let mut docs = docs.into_iter().peekable();
    while docs.peek().is_some() {
        bulk.write(docs.by_ref().take(3).collect()).expect("write");
    }
    bulk.finish().expect("finish");
}

#[test]
fn a_rebuild_writes_both_files_and_searches_read_them_as_one_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(&dir.path().join("index-1.sqlite")).expect("index");
    rebuild(&store, 12, "Tranh chấp đất đai");
    let case_ids = |text: &str| -> Vec<i64> {
        let found = store
            .search(&parse(text), &Scope::Everything, &Filters::default(), 1)
            .expect("search");
        found.hits.iter().map(|h| h.case_id).collect()
    };
    assert_eq!(case_ids("đất đai"), (1..=12).rev().collect::<Vec<_>>());
    let reader = store.reader().expect("reader");
    let in_file = |shard: i64| -> Vec<i64> {
        let mut stmt = reader
            .prepare("SELECT case_id FROM docs WHERE shard = ?1 ORDER BY id")
            .expect("prepare");
        let rows = stmt.query_map([shard], |r| r.get(0)).expect("query");
        rows.collect::<Result<_, _>>().expect("rows")
    };
    let (first, second) = (in_file(0), in_file(1));
    assert!(
        !first.is_empty() && !second.is_empty(),
        "{first:?} {second:?}"
    );

    // A case whose terms are in the second file changes: its new text is found, first
    // (the newest change; equally relevant, so newest first), and its old text no
    // more; so is a new case.
    let changed = second[0];
    store
        .replace(&[changed], vec![doc(changed, "Khiếu nại cũ", "", 10)], &[])
        .expect("replace");
    store
        .replace(&[13], vec![doc(13, "Khiếu nại mới", "", 10)], &[])
        .expect("add");
    assert_eq!(case_ids("khiếu nại"), vec![13, changed]);
    let left: Vec<i64> = (1..=12).rev().filter(|id| *id != changed).collect();
    assert_eq!(case_ids("đất đai"), left);

    // The facets kept in memory follow the changes, and are read back on opening.
    let facets = |store: &Store, text: &str| {
        let found = store
            .search(&parse(text), &Scope::Everything, &Filters::default(), 1)
            .expect("search");
        (found.total, found.facets.state, found.facets.year)
    };
    let live = facets(&store, "khiếu nại");
    assert_eq!(live.0, 2);
    assert_eq!(live.1.iter().map(|(_, n)| n).sum::<usize>(), 2);
    assert_eq!(live.2, vec![(2026, 2)]);
    let again = Store::open(store.path())
        .expect("open")
        .expect("this layout");
    assert_eq!(facets(&again, "khiếu nại"), live);
    assert_eq!(facets(&again, "đất đai"), facets(&store, "đất đai"));
    assert_eq!(
        facets(&again, "đất đai")
            .1
            .iter()
            .map(|(_, n)| n)
            .sum::<usize>(),
        11
    );
}

#[test]
fn a_first_index_fills_while_searchers_have_it_open() {
    // A node's first index is installed empty and searched while it fills: the files
    // cannot lose their journal then, and the rebuild goes on with it.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(&dir.path().join("index-1.sqlite")).expect("index");
    let q = parse("đất đai");
    let search = |store: &Store| {
        store
            .search(&q, &Scope::Everything, &Filters::default(), 1)
            .expect("search")
            .total
    };
    assert_eq!(search(&store), 0);
    rebuild(&store, 6, "Đất đai");
    assert_eq!(search(&store), 6);
    // Both files are writable again through the indexer's connection.
    store
        .replace(&[1, 2, 3, 4, 5, 6], Vec::new(), &[])
        .expect("replace");
    assert_eq!(search(&store), 0);
}

#[test]
fn a_first_page_across_tiers_leaves_out_what_an_earlier_tier_placed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(&dir.path().join("index-1.sqlite")).expect("index");
    // Five with the phrase as typed in the title (they match every later tier too),
    // then forty that hold it only without diacritics; the first given is the newest.
    let docs = (1..=45)
        .rev()
        .map(|id| match id {
            41..=45 => doc(id, "Tranh chấp đất đai", "đất đai", 10),
            _ => doc(id, "Hồ sơ", "ve dat dai o xa", 10),
        })
        .collect();
    store.replace(&[], docs, &[]).expect("write");
    let q = parse("đất đai");
    let mut seen = Vec::new();
    for page in 1..=3 {
        let found = store
            .search(&q, &Scope::Everything, &Filters::default(), page)
            .expect("search");
        assert_eq!(found.total, 45);
        if page == 1 {
            assert_eq!(found.hits[..5].iter().filter(|h| h.case_id > 40).count(), 5);
        }
        seen.extend(found.hits.iter().map(|h| h.case_id));
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (45, 45), "{seen:?}");
}
